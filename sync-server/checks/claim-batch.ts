/**
 * Claims of Yjs client ids (client-ids.ts), written in batches: the claims of every write checked
 * meanwhile go to the store together — one transaction, one disk flush — and each caller gets the
 * owners of its ids as the store holds them after the batch (another user, or another instance,
 * may have held one first). Profiled on the writers workload, one claim per write (a device
 * that makes a Y.Doc per edit, as stock clients do, writes under a fresh id each time) was the
 * largest single cost of a write on SQLite: an autocommit, so a disk flush, per claim.
 * While one batch is written, the next gathers (as group-commit.ts does for the changes).
 */
import type { ClientClaim, Storage } from '../storage/storage.ts';

/** Claims in one batch at most. */
const MAX_BATCH = 256;

interface Waiting extends ClientClaim {
  resolve(owners: Map<number, string>): void;
  reject(error: unknown): void;
}

class ClaimBatch {
  private waiting: Waiting[] = [];
  private running: Promise<void> | undefined;

  constructor(private readonly storage: Storage) {}

  /** Claims the ids for the user where no one holds them; resolves with every one's owner after the batch. */
  claim(clients: number[], user: string, device: string): Promise<Map<number, string>> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ clients, user, device, resolve, reject });
      this.running ??= this.drain();
    });
  }

  private async drain(): Promise<void> {
    // Let the claims of the checks finished in this turn of the event loop join the first batch.
    await new Promise((resolve) => setImmediate(resolve));
    try {
      while (this.waiting.length > 0) {
        const batch = this.waiting.splice(0, MAX_BATCH);
        try {
          await this.storage.claimClients(batch.map(({ clients, user, device }) => ({ clients, user, device })));
          const owners = await this.storage.clientOwners([...new Set(batch.flatMap((one) => one.clients))]);
          for (const one of batch) one.resolve(owners);
        } catch (error) {
          for (const one of batch) one.reject(error);
        }
      }
    } finally {
      this.running = undefined;
    }
  }
}

const batches = new WeakMap<Storage, ClaimBatch>();

/** The claim batch of a store (one per store, so every connection's writes share it). */
export function claimBatchOf(storage: Storage): ClaimBatch {
  let batch = batches.get(storage);
  if (!batch) batches.set(storage, (batch = new ClaimBatch(storage)));
  return batch;
}
