/**
 * Reading many whole cards at once (exports): their stored states, each turned into a plain
 * CardView, or the states themselves for decoding off the store. Lists and search never need
 * this; they read index rows. More than a batch of ids reads every state in one pass
 * (readAllStates: each pack once), since ids in name order are spread over every pack; a few
 * ids read just theirs.
 */
import type { CardView } from '../../shared/card-types.ts';
import { readCardState } from '../../shared/card-read.ts';
import { readAllStates, readStates } from './db.ts';
import { BATCH, type StoreContext } from './store-context.ts';

export interface BulkReads {
  /** The cards of `ids` that are stored, in the order given. */
  readCards(ids: readonly string[], onProgress?: (done: number, total: number) => void): Promise<CardView[]>;
  /** The stored states of `ids` (those stored), for decoding elsewhere (a large export). */
  readCardStates(ids: readonly string[]): Promise<Map<string, Uint8Array>>;
}

export function createBulkReads(ctx: StoreContext): BulkReads {
  async function statesOf(ids: readonly string[]): Promise<Map<string, Uint8Array>> {
    if (ids.length > BATCH) return readAllStates(ctx.db, new Set(ids));
    const rows = await readStates(ctx.db, ids);
    return new Map(rows.flatMap((row) => (row ? [[row.id, row.state] as const] : [])));
  }

  return {
    readCardStates: statesOf,
    async readCards(ids, onProgress) {
      const states = await statesOf(ids);
      const out: CardView[] = [];
      for (let start = 0; start < ids.length; start += BATCH) {
        for (const id of ids.slice(start, start + BATCH)) {
          const state = states.get(id);
          if (!state) continue;
          const view = readCardState(state, id);
          if (view.fields.name) out.push(view);
        }
        onProgress?.(Math.min(start + BATCH, ids.length), ids.length);
        await new Promise<void>((resolve) => setTimeout(resolve, 0));
      }
      return out;
    },
  };
}
