/**
 * Reading many whole cards at once (exports): their stored states a batch at a time, each
 * turned into a plain CardView. Lists and search never need this; they read index rows.
 */
import type { CardView } from '../../shared/card-types.ts';
import { readCard } from '../../shared/card-read.ts';
import { readStates } from './db.ts';
import { BATCH, type StoreContext } from './store-context.ts';

export interface BulkReads {
  /** The cards of `ids` that are stored, in the order given. */
  readCards(ids: readonly string[], onProgress?: (done: number, total: number) => void): Promise<CardView[]>;
}

export function createBulkReads(ctx: StoreContext): BulkReads {
  return {
    async readCards(ids, onProgress) {
      const out: CardView[] = [];
      for (let start = 0; start < ids.length; start += BATCH) {
        const states = await readStates(ctx.db, ids.slice(start, start + BATCH));
        for (const row of states) {
          if (!row) continue;
          const doc = ctx.loadDoc(row);
          const view = readCard(doc, row.id);
          doc.destroy();
          if (view.fields.name) out.push(view);
        }
        onProgress?.(Math.min(start + BATCH, ids.length), ids.length);
        await new Promise<void>((resolve) => setTimeout(resolve, 0));
      }
      return out;
    },
  };
}
