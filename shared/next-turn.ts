/**
 * A turn of the event loop: lets messages (a worker's replies, a stop request) and rendering in
 * between slices of long work. A message, not a timer: nested timers wait at least 4 ms.
 */
export const nextTurn = () =>
  new Promise<void>((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
