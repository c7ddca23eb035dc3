/**
 * Each card's waiting work, taken one step at a time per card, in arrival order; cards do not
 * wait for each other. A step is either a server task (an edit of custody's) or a run of
 * consecutive updates that share a sender and an origin (one connection's burst, or a room's):
 * the hub checks and commits such a run as one merged change, which is how a burst of a
 * hundred keystrokes costs one check and one commit instead of a hundred.
 */

/** A run of updates is cut at this many, or at this many bytes (merging is done on the main thread). */
export const MAX_RUN = 64;
export const MAX_RUN_BYTES = 256 * 1024;

export interface QueuedUpdate {
  /** Updates with equal keys may be taken together (the sender's name and token, and the origin). */
  sender: string;
  origin: unknown;
  update: Uint8Array;
}

type Job<U extends QueuedUpdate> = { kind: 'update'; item: U } | { kind: 'task'; run: () => Promise<void> };

export class CardQueues<U extends QueuedUpdate> {
  private readonly queues = new Map<string, Job<U>[]>();
  private readonly running = new Map<string, Promise<void>>();

  constructor(private readonly takeRun: (cardId: string, run: U[]) => Promise<void>) {}

  /** Cards with work waiting or under way. */
  get size(): number {
    return this.queues.size;
  }

  update(cardId: string, item: U): void {
    this.push(cardId, { kind: 'update', item });
  }

  task(cardId: string, run: () => Promise<void>): void {
    this.push(cardId, { kind: 'task', run });
  }

  /** Resolves once every card's queue is empty. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running.values()]);
  }

  private push(cardId: string, job: Job<U>): void {
    const queue = this.queues.get(cardId);
    if (queue) return void queue.push(job);
    const fresh = [job];
    this.queues.set(cardId, fresh);
    this.running.set(cardId, this.work(cardId, fresh));
  }

  private async work(cardId: string, queue: Job<U>[]): Promise<void> {
    try {
      // A card's first update is not taken alone: the rest of its burst (the frames of the same
      // socket read, handled in this turn of the event loop) joins its run.
      await new Promise((resolve) => setImmediate(resolve));
      while (queue.length > 0) {
        const job = queue.shift()!;
        if (job.kind === 'task') {
          await job.run().catch((error: unknown) => console.error('sync-server: a card task failed', error));
          continue;
        }
        const run = [job.item];
        let bytes = job.item.update.byteLength;
        while (run.length < MAX_RUN && queue[0]?.kind === 'update') {
          const next = queue[0].item;
          if (next.sender !== job.item.sender || next.origin !== job.item.origin || bytes + next.update.byteLength > MAX_RUN_BYTES) break;
          queue.shift();
          run.push(next);
          bytes += next.update.byteLength;
        }
        await this.takeRun(cardId, run).catch((error: unknown) => console.error('sync-server: a run of changes failed', error));
      }
    } finally {
      this.queues.delete(cardId);
      this.running.delete(cardId);
    }
  }
}
