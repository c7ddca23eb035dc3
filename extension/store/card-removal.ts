/**
 * Deleting cards from the device: the index row (in `cards`, and in its pack's `packRows`
 * record), the Yjs state (its `docs` row and its entry in a pack, which is rewritten without it),
 * and the card's unsent changes (its outbox records and its entry in an outbox pack,
 * outbox-packs.ts) — all in one transaction. Every context is told, so lists and the search
 * index drop them.
 *
 * Two callers, two fates for the unsent changes:
 * - removeCards: the user gave the cards up (discarded refused changes, removed the samples);
 *   their unsent changes go with them.
 * - withdrawCards: the server says the user may no longer read them (GONE: a loan ended, a
 *   handover). The card goes, but what the user did and the server never got is the user's work:
 *   it moves to the `refused` table (code ACCESS_ENDED, described in words), to be retried after
 *   borrowing the card again, exported, or discarded — never dropped unasked.
 */
import * as Y from 'yjs';
import { makePack, packEntry, readStates, WAITING_ROWS_STAMP, type CardsDatabase } from './db.ts';
import { dropFromPacks, isPendingPack, packMembers } from './outbox-packs.ts';
import { describeRefused } from './refused-describe.ts';
import type { StoreContext } from './store-context.ts';

/** The refusal code of unsent changes kept when their card left the device. */
export const ACCESS_ENDED = 'access-ended';

export interface CardRemoval {
  /** Deletes these cards and their unsent changes; resolves to the number of unsent changes dropped. */
  removeCards(cardIds: string[]): Promise<number>;
  /** Deletes these cards (access ended); their unsent changes are kept as refused ones. Resolves to how many were kept. */
  withdrawCards(cardIds: string[]): Promise<number>;
}

/** Each card's unsent changes, merged into one update per card. */
async function unsentByCard(db: CardsDatabase, cardIds: string[]): Promise<Map<string, Uint8Array[]>> {
  const gone = new Set(cardIds);
  const byCard = new Map<string, Uint8Array[]>();
  const add = (cardId: string, update: Uint8Array) => byCard.set(cardId, [...(byCard.get(cardId) ?? []), update]);
  for (const row of await db.pending.where('cardId').anyOf(cardIds).sortBy('seq')) if (!isPendingPack(row)) add(row.cardId, row.update);
  const packSeqs = [...new Set(await db.pending.where('cardIds').anyOf(cardIds).primaryKeys())];
  for (const pack of await db.pending.bulkGet(packSeqs)) {
    if (!pack || !isPendingPack(pack)) continue;
    for (const member of packMembers(pack)) if (gone.has(member.cardId)) add(member.cardId, member.update);
  }
  return byCard;
}

export function createCardRemoval(ctx: StoreContext): CardRemoval {
  const { db } = ctx;

  /** Deletes the cards and their unsent changes; call inside a transaction on every table it names. */
  async function deleteCards(cardIds: string[]): Promise<number> {
    const gone = new Set(cardIds);
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
  }

  async function removeCards(cardIds: string[]): Promise<number> {
    if (cardIds.length === 0) return 0;
    const lost = await db.transaction('rw', [db.cards, db.docs, db.packs, db.packRows, db.pending, db.meta], () => deleteCards(cardIds));
    ctx.announce(cardIds);
    return lost;
  }

  async function withdrawCards(cardIds: string[]): Promise<number> {
    if (cardIds.length === 0) return 0;
    // One transaction: a crash leaves either the card with its outbox, or the card gone and its changes kept.
    const kept = await db.transaction('rw', [db.cards, db.docs, db.packs, db.packRows, db.pending, db.meta, db.refused], async () => {
      const unsent = await unsentByCard(db, cardIds);
      const cards = [...unsent.keys()];
      const states = await readStates(db, cards);
      const at = ctx.now();
      let count = 0;
      for (const [i, cardId] of cards.entries()) {
        const updates = unsent.get(cardId)!;
        const update = updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates);
        const described = describeRefused(states[i]?.state, update);
        await db.refused.add({
          cardId,
          code: ACCESS_ENDED,
          message: 'The card left this device (a loan ended or it was handed over) before these changes reached the server',
          at,
          update,
          ...described,
        });
        count += updates.length;
      }
      await deleteCards(cardIds);
      return count;
    });
    ctx.announce(cardIds);
    return kept;
  }

  return { removeCards, withdrawCards };
}
