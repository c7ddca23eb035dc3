/**
 * Reads of live changes, audited in batches. One change fanned out to hundreds of connections
 * notes a read on each; written one transaction per connection, that is a commit each. Here the
 * events wait up to BATCH_MS (or until BATCH_MAX wait) and go to the store in one write. Feed
 * runs audit their reads themselves, before SYNC_DONE (sync-endpoint.ts).
 */
import type { AuditEvent, Storage } from '../storage/storage.ts';

export const BATCH_MS = 200;
export const BATCH_MAX = 2_000;

export class AuditBatch {
  private waiting: Omit<AuditEvent, 'id'>[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly storage: Storage) {}

  add(event: Omit<AuditEvent, 'id'>): void {
    this.waiting.push(event);
    if (this.waiting.length >= BATCH_MAX) void this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), BATCH_MS);
      this.timer.unref?.();
    }
  }

  /** Writes what waits (after any write under way); resolves when it is stored or reported. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const events = this.waiting;
    this.waiting = [];
    if (events.length === 0) return this.writing;
    this.writing = this.writing.then(() =>
      this.storage.audit(events).catch((error: unknown) => console.error(`sync-server: ${events.length} reads could not be audited`, error)),
    );
    return this.writing;
  }
}
