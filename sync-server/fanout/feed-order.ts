/**
 * The live feed in log order. Instances on one database number the log from one counter, so a
 * change stored here may come right after one stored by another instance whose notice (Redis)
 * is still on its way. Handed on out of order, every connection would see a gap and read the
 * log again: a catch-up run each, hundreds of queries for one change. So a change whose
 * predecessor has not been seen waits up to HOLD_MS for it, and the waiting changes then go out
 * in order. A seq that never gets a notice (a write of the admin CLI, an access change's log
 * entries) costs that wait once; connections then see the gap and catch up as before.
 */

export const HOLD_MS = 100;

export class FeedOrder<T extends { seq: number }> {
  /** The seq expected next; undefined until the log's top at start is known (changes pass as they come). */
  private next: number | undefined;
  private lastPassed = 0;
  private readonly held = new Map<number, T>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly pass: (change: T) => void,
    private readonly holdMs = HOLD_MS,
  ) {}

  /** Everything up to `top` is history: the next change expected is the one after it. */
  start(top: number): void {
    this.next = Math.max(top, this.lastPassed) + 1;
  }

  push(change: T): void {
    if (this.next === undefined || change.seq < this.next) return this.send(change);
    if (change.seq > this.next) {
      this.held.set(change.seq, change);
      this.timer ??= setTimeout(() => this.flush(), this.holdMs);
      this.timer.unref?.();
      return;
    }
    this.send(change);
    this.next = change.seq + 1;
    for (let waiting = this.held.get(this.next); waiting; waiting = this.held.get(this.next)) {
      this.held.delete(this.next);
      this.send(waiting);
      this.next++;
    }
    if (this.held.size === 0) this.stopTimer();
  }

  /** Stops waiting: what is held goes out in order (the server is closing, or the wait is over). */
  flush(): void {
    this.stopTimer();
    const seqs = [...this.held.keys()].sort((a, b) => a - b);
    for (const seq of seqs) this.send(this.held.get(seq)!);
    this.held.clear();
    if (seqs.length > 0) this.next = Math.max(this.next ?? 0, seqs[seqs.length - 1]! + 1);
  }

  private send(change: T): void {
    this.lastPassed = Math.max(this.lastPassed, change.seq);
    this.pass(change);
  }

  private stopTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
