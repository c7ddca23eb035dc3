/**
 * Group commit: accepted changes (each already checked against the card as read) are stored in
 * batches — one transaction, one range of the log, one disk flush — with each change's audit
 * entry in the same transaction. While one batch commits, the next one gathers; a change is
 * answered (its seq, or undefined when its card moved on meanwhile) only once its batch has
 * committed, so an ACK never precedes the commit. Changes are numbered in the order they were
 * handed in, and the callers publish them in that order.
 * A batch that fails is tried again one change at a time, so one change the store refuses fails
 * alone; a store that is away fails them all (the callers refuse them as store-unavailable).
 */
import type { AuditEvent, CardSave, Storage } from './storage.ts';

/** Changes in one transaction at most. */
export const MAX_BATCH = 256;

export interface Commit {
  save: CardSave;
  /** The write's audit entry, stored only if the change is. */
  audit: Omit<AuditEvent, 'id'>;
}

interface Waiting extends Commit {
  resolve(seq: number | undefined): void;
  reject(error: unknown): void;
}

export class GroupCommit {
  private waiting: Waiting[] = [];
  private running: Promise<void> | undefined;

  constructor(private readonly storage: Storage) {}

  /** Stores the change in the next batch; resolves with its seq once committed (undefined: not as expected). */
  commit(change: Commit): Promise<number | undefined> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ ...change, resolve, reject });
      this.running ??= this.drain();
    });
  }

  /** Resolves once every change handed in so far is committed or failed. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    // Let the changes checked in this turn of the event loop join the first batch.
    await new Promise((resolve) => setImmediate(resolve));
    try {
      while (this.waiting.length > 0) {
        const batch = this.waiting.splice(0, MAX_BATCH);
        try {
          this.settle(batch, await this.write(batch));
        } catch (error) {
          if (batch.length === 1) batch[0]!.reject(error);
          else for (const one of batch) await this.write([one]).then((seqs) => this.settle([one], seqs), (failure: unknown) => one.reject(failure));
        }
      }
    } finally {
      this.running = undefined;
    }
  }

  private write(batch: Waiting[]): Promise<(number | undefined)[]> {
    return this.storage.transaction(async (tx) => {
      const seqs = await tx.saveCards(batch.map((one) => one.save));
      const events = batch.filter((_, i) => seqs[i] !== undefined).map((one) => one.audit);
      if (events.length > 0) await tx.audit(events);
      return seqs;
    });
  }

  private settle(batch: Waiting[], seqs: (number | undefined)[]): void {
    batch.forEach((one, i) => one.resolve(seqs[i]));
  }
}
