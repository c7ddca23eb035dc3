/**
 * New cards written in bulk inside the caller's transaction (an import's or a restore's), as a
 * first sync writes them: per batch of BATCH cards, their states as one `packs` record, their
 * index rows as that pack's `packRows` record (readers see them there, row-reads.ts) and their
 * outbox entries as one outbox pack (outbox-packs.ts). Three IndexedDB writes per 500 cards
 * instead of 1,000: each write costs the browser ~0.3 ms whatever its size.
 *
 * Pack ids and outbox seqs are reserved first (Dexie calls), then every write is queued on the
 * transaction (queued-writes.ts), so the browser writes one batch while the next is built.
 */
import type { CardIndexRow } from '../../shared/card-types.ts';
import { makePack, type CardsDatabase } from './db.ts';
import { pendingPackOf, reserveSeqs } from './outbox-packs.ts';
import type { QueuedWrites } from './queued-writes.ts';
import { BATCH } from './store-context.ts';

export interface NewCardPacker {
  add(cardId: string, state: Uint8Array, row: CardIndexRow): void;
  /** Writes the last, partial batch. */
  end(): void;
}

export interface PackKeys {
  nextPackId: number;
  nextSeq: number;
}

/**
 * The first pack id and outbox seq no record holds or will get from the key generators: call
 * inside a read-write transaction on `packs` and `pending`, before its queued writes.
 */
export async function reservePackKeys(db: CardsDatabase): Promise<PackKeys> {
  const nextPackId = (await db.packs.add({ cardIds: [], bytes: new Uint8Array(0), ends: [], seqs: [] })) as number;
  await db.packs.delete(nextPackId);
  return { nextPackId, nextSeq: await reserveSeqs(db) };
}

/** Writing a pack at an explicit id moves the key generator past it, as for the seqs. */
export function packNewCards(writes: QueuedWrites, keys: PackKeys, now: number): NewCardPacker {
  let { nextPackId, nextSeq } = keys;
  let cards: { cardId: string; state: Uint8Array; seq: number }[] = [];
  let rows: CardIndexRow[] = [];
  const write = () => {
    if (cards.length === 0) return;
    const pack = { ...makePack(cards), id: nextPackId };
    writes.add('packs', pack);
    writes.add('packRows', { id: nextPackId, rows });
    writes.add('pending', pendingPackOf(pack, nextSeq, now));
    nextPackId++;
    nextSeq += cards.length;
    cards = [];
    rows = [];
  };
  return {
    add(cardId, state, row) {
      cards.push({ cardId, state, seq: 0 });
      rows.push(row);
      if (cards.length === BATCH) write();
    },
    end: write,
  };
}
