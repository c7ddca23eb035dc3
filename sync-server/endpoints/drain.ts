/**
 * What the server must finish before it exits: every connection, open or closed, whose received
 * frames are not all handled yet. A connection enters when it opens and leaves once its socket
 * closed and its last frame was checked and stored (or refused); a shutdown closes the sockets,
 * then waits here (`whenEmpty`) before it closes the store. A change received is a change kept.
 */
export class Drain {
  private count = 0;
  private waiters: (() => void)[] = [];

  /** A connection begins; call the returned function once, when its queue is done. */
  enter(): () => void {
    this.count++;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.count--;
      if (this.count === 0) for (const wake of this.waiters.splice(0)) wake();
    };
  }

  /** How many connections still have frames to handle (or are open). */
  get size(): number {
    return this.count;
  }

  /** Resolves when no connection is left, or after `timeoutMs` (false then). */
  whenEmpty(timeoutMs: number): Promise<boolean> {
    if (this.count === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }
}
