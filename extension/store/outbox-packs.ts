/**
 * Outbox packs: the whole states of a batch of new cards (an import's or a restore's, BATCH at
 * a time) kept in the outbox as ONE `pending` record (PendingPack, db.ts) instead of one per
 * card. Each IndexedDB record costs the transfer page ~0.2-0.4 ms whatever its size; 10,000
 * outbox records were about a third of a 10,000-row import.
 *
 * The sync server never sees a pack: before the outbox is pushed, the packs at its head are
 * expanded into one ordinary record per card (expandPacksAtHead), so every card is pushed,
 * acknowledged or refused on its own, exactly as before.
 *
 * Seqs: a pack of n cards is stored at seq s, the seq of its last card; its cards own the n
 * seqs s-n+1 … s and take them when expanded, so the outbox keeps its order (a later edit of
 * an imported card is pushed after the card's first state). A transaction that writes packs
 * first reserves their seqs from the table's key generator (reserveSeqs); writing a pack at an
 * explicit seq moves the generator past it, so no later record takes a reserved seq.
 */
import { makePack, type CardsDatabase, type OutboxRow, type PendingPack, type PendingRow } from './db.ts';

export function isPendingPack(row: OutboxRow): row is PendingPack {
  return 'cardIds' in row;
}

/** How many outbox entries (cards' changes) a record stands for. */
function entriesOf(row: OutboxRow): number {
  return isPendingPack(row) ? row.cardIds.length : 1;
}

/**
 * The first seq of a block no outbox record holds or will get from the key generator: call
 * inside a read-write transaction on `pending`, then write that transaction's packs at this
 * seq and those after it (pendingPackOf, one block after another) before any other outbox
 * record (each pack written moves the generator past its block).
 */
export async function reserveSeqs(db: CardsDatabase): Promise<number> {
  const first = (await db.pending.add({ cardId: '', update: new Uint8Array(0), createdAt: 0 })) as number;
  await db.pending.delete(first);
  return first;
}

/** A pack of cards' whole states (a PackRow's layout) as the outbox record at seqs `firstSeq` …. */
export function pendingPackOf(cards: { cardIds: string[]; bytes: Uint8Array; ends: number[] }, firstSeq: number, createdAt: number): PendingPack {
  return { seq: firstSeq + cards.cardIds.length - 1, cardIds: cards.cardIds, bytes: cards.bytes, ends: cards.ends, createdAt };
}

/** The pack's cards as ordinary outbox records, at the seqs they own. */
export function packMembers(pack: PendingPack): PendingRow[] {
  const first = pack.seq! - pack.cardIds.length + 1;
  return pack.cardIds.map((cardId, i) => ({
    seq: first + i,
    cardId,
    // A copy: a view would carry the whole pack into the record.
    update: pack.bytes.slice(i === 0 ? 0 : pack.ends[i - 1], pack.ends[i]),
    createdAt: pack.createdAt,
  }));
}

/** The outbox's first records, up to the one that makes `limit` entries (a pack counts its cards). */
function head(db: CardsDatabase, limit: number): Promise<OutboxRow[]> {
  let entries = 0;
  return db.pending
    .orderBy('seq')
    .until((row) => {
      const full = entries >= limit;
      entries += entriesOf(row);
      return full;
    })
    .toArray();
}

/**
 * The first `limit` outbox entries as ordinary records, packs among them expanded first (in a
 * transaction of their own; without packs, nothing is written).
 */
export async function takeOutboxHead(db: CardsDatabase, limit: number): Promise<PendingRow[]> {
  const rows = await head(db, limit);
  if (!rows.some(isPendingPack)) return rows as PendingRow[];
  return db.transaction('rw', db.pending, async () => {
    for (const row of await head(db, limit)) {
      if (!isPendingPack(row)) continue;
      await db.pending.delete(row.seq!);
      await db.pending.bulkAdd(packMembers(row));
    }
    const expanded = await db.pending.orderBy('seq').limit(limit).toArray();
    return expanded.filter((row): row is PendingRow => !isPendingPack(row));
  });
}

/**
 * Drops these cards from the outbox packs that hold them (each pack rewritten without them,
 * at its seq, or deleted when none is left). Call inside a read-write transaction on
 * `pending`. Resolves with the number of cards' changes dropped.
 */
export async function dropFromPacks(db: CardsDatabase, cardIds: readonly string[]): Promise<number> {
  const gone = new Set(cardIds);
  const seqs = [...new Set(await db.pending.where('cardIds').anyOf([...cardIds]).primaryKeys())];
  let dropped = 0;
  for (const row of await db.pending.bulkGet(seqs)) {
    if (!row || !isPendingPack(row)) continue;
    const kept = packMembers(row).filter((member) => !gone.has(member.cardId));
    dropped += row.cardIds.length - kept.length;
    if (kept.length === 0) {
      await db.pending.delete(row.seq!);
      continue;
    }
    // The same layout as a pack of states (db.ts makePack); the seqs a PackRow carries are not kept.
    const { cardIds, bytes, ends } = makePack(kept.map((member) => ({ cardId: member.cardId, state: member.update, seq: 0 })));
    // Still at its seq: its remaining cards take the last seqs of the block it owned.
    await db.pending.put({ seq: row.seq, cardIds, bytes, ends, createdAt: row.createdAt });
  }
  return dropped;
}

/** The number of outbox entries: ordinary records plus every card of every pack. */
export async function countOutbox(db: CardsDatabase): Promise<number> {
  const [single, packed] = await Promise.all([db.pending.orderBy('cardId').count(), db.pending.orderBy('cardIds').count()]);
  return single + packed;
}
