/**
 * A TCP proxy on loopback in front of several server instances, as a load balancer is in a
 * deployment: each new connection goes to the first instance that accepts it, so devices keep
 * one server address while an instance dies. Bounded: it only connects to the given ports.
 */
import { connect, createServer, type Socket } from 'node:net';

export interface FailoverProxy {
  url: string;
  close(): Promise<void>;
}

export async function startFailoverProxy(targetPorts: number[]): Promise<FailoverProxy> {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    client.pause();
    const tryPort = (index: number) => {
      if (index >= targetPorts.length || client.destroyed) return client.destroy();
      const upstream = connect(targetPorts[index]!, '127.0.0.1');
      upstream.once('error', () => {
        upstream.destroy();
        if (!piped) tryPort(index + 1);
        else client.destroy();
      });
      let piped = false;
      upstream.once('connect', () => {
        piped = true;
        sockets.add(upstream);
        upstream.on('close', () => {
          sockets.delete(upstream);
          client.destroy();
        });
        client.on('close', () => upstream.destroy());
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
      });
    };
    tryPort(0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `ws://127.0.0.1:${port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
