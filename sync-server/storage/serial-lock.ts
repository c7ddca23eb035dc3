/**
 * A first-come, first-served lock for one process: `run` waits for every earlier holder, then
 * runs its job. The SQLite storage holds it for the length of a transaction, so calls made
 * outside the transaction wait instead of slipping into it (one SQLite connection has one
 * transaction at a time).
 */
export class SerialLock {
  private tail: Promise<void> = Promise.resolve();
  private waiting = 0;

  /** Whether a job holds the lock or waits for it. */
  get busy(): boolean {
    return this.waiting > 0;
  }

  async run<T>(job: () => T | Promise<T>): Promise<T> {
    this.waiting++;
    const before = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((resolve) => (release = resolve));
    try {
      await before;
      return await job();
    } finally {
      this.waiting--;
      release();
    }
  }
}
