/**
 * Rights that end by themselves (a loan's end, a cover's) take effect at that moment, not at the
 * access watch's next tick: connections whose scope holds such an end, and the watch for what ends
 * before its next tick, ask to be woken then (`wakeAt`), and one timer, set for the earliest end
 * asked for, runs `due` (custody's endDue: the end is logged as an access change in the ordered
 * log and announced, so every connection re-reads its rights and its devices are told GONE). Between the end and that entry, connections already
 * judge by the clock (rights.ts `scopeTest`), so nothing is sent past the end in any case.
 */

/** Timers further out than this are re-armed when they fire (setTimeout takes at most ~24.8 days). */
const MAX_DELAY = 2 ** 31 - 1;

export class AccessClock {
  private at = Infinity;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;

  constructor(private readonly due: () => Promise<unknown>) {}

  /** Runs `due` at `at` (epoch ms), or earlier if another end comes first. */
  wakeAt(at: number): void {
    if (this.stopped || !Number.isFinite(at) || at >= this.at) return;
    this.at = at;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.fire(), Math.min(MAX_DELAY, Math.max(0, at - Date.now())));
    this.timer.unref?.();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private fire(): void {
    const at = this.at;
    this.timer = undefined;
    this.at = Infinity;
    if (Date.now() < at) return this.wakeAt(at);
    this.due().catch((error: unknown) => console.error('sync-server: ending rights on time failed (the access watch tries again)', error));
  }
}
