/**
 * Deleting cards the user may no longer read (the server's GONE: a loan ended, a handover):
 * the index row (in `cards`, and in its pack's `packRows` record), the Yjs state (its `docs` row
 * and its entry in a pack, which is rewritten without it), and the card's unsent changes (its
 * outbox records and its entry in an outbox pack, outbox-packs.ts) — all in
 * one transaction, so no trace of the card stays on the device. Every context is told, so lists
 * and the search index drop them.
 */
import { makePack, packEntry, WAITING_ROWS_STAMP } from './db.ts';
import { dropFromPacks } from './outbox-packs.ts';
import type { StoreContext } from './store-context.ts';

export interface CardRemoval {
  /** Deletes these cards from the device; resolves to the number of unsent changes dropped. */
  removeCards(cardIds: string[]): Promise<number>;
}

export function createCardRemoval(ctx: StoreContext): CardRemoval {
  const { db } = ctx;
  return {
    async removeCards(cardIds) {
      if (cardIds.length === 0) return 0;
      const gone = new Set(cardIds);
      const lost = await db.transaction('rw', [db.cards, db.docs, db.packs, db.packRows, db.pending, db.meta], async () => {
        await db.cards.bulkDelete(cardIds);
        await db.docs.bulkDelete(cardIds);
        const dropped = (await db.pending.where('cardId').anyOf(cardIds).delete()) + (await dropFromPacks(db, cardIds));
        for (const pack of await db.packs.where('cardIds').anyOf(cardIds).toArray()) {
          const kept = pack.cardIds.map((_, i) => packEntry(pack, i)).filter((entry) => !gone.has(entry.id));
          if (kept.length === 0) await db.packs.delete(pack.id!);
          else await db.packs.put({ ...makePack(kept.map((entry) => ({ cardId: entry.id, state: entry.state, seq: entry.seq }))), id: pack.id! });
          const rows = await db.packRows.get(pack.id!);
          if (rows) {
            await db.packRows.put({ id: rows.id, rows: rows.rows.filter((row) => !gone.has(row.id)) });
            // Rewritten in place: every context's copy of the waiting rows is out of date (row-reads.ts).
            await db.meta.put({ key: WAITING_ROWS_STAMP, value: ctx.newId() });
          }
        }
        return dropped;
      });
      ctx.announce(cardIds);
      return lost;
    },
  };
}
