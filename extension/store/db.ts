/**
 * The extension's one IndexedDB database (Dexie), in the extension's own origin — never in a
 * content script or a webmail origin. Owns the schema and its versions:
 *   cards    CardIndexRow per card: derived, denormalised fields for lists, search, matching
 *   docs     { id, state, seq }: the card's compacted Yjs state and the server seq it is synced to
 *            (kept apart from `cards` so listing 10,000 cards never reads the Yjs blobs)
 *   packs    { id, cardIds, bytes, ends, seqs }: a first sync's card states, one record per
 *            received batch, concatenated in one buffer (one IndexedDB write per card costs
 *            ~0.2 ms; a batch record costs about nothing per card, and one buffer clones far
 *            faster than 125 arrays). A card's state is its `docs` row if it has one, else its
 *            pack entry: every later change is written to `docs`, so packs are never rewritten.
 *   packRows { id, rows }: the index rows of a pack's cards (same id: a first sync's, an
 *            import's or a restore's new cards), written in the pack's transaction: one record
 *            instead of 500 row writes (each IndexedDB write costs ~0.3 ms of the browser's CPU
 *            and ~0.15 ms of the writer's; 10,000 of them were 3 s of a 5 s first sync).
 *            Readers read them beside `cards` at once (row-reads.ts; a card's later edits write
 *            its row to `cards`, which hides the one in the record), and upkeep moves them into
 *            `cards` in the background a pack at a time (unpackRows), so that lookups by email
 *            or id use the table's indexes again. A removal rewrites a record in place and bumps
 *            the meta key WAITING_ROWS_STAMP so every context reloads them.
 *   pending  the outbox: local Yjs updates not yet acknowledged by the sync server, one record
 *            per update, except an import's or a restore's new cards: one record per batch
 *            (PendingPack, expanded into one record per card before anything is pushed;
 *            outbox-packs.ts)
 *   refused  local changes the server refused, one record each, kept until the user resolves
 *            them (retry, propose instead, export, discard): never capped, never dropped
 *   meta     key/value: device client id, sync cursor, settings
 * Keep old versions' declarations when adding a version; put migrations in `.upgrade()`.
 */
import Dexie, { type EntityTable, type InsertType } from 'dexie';
import * as Y from 'yjs';
import type { CardIndexRow, FieldValue } from '../../shared/card-types.ts';

export interface DocRow {
  id: string;
  state: Uint8Array;
  /** The highest server sequence number whose change this state includes (0: never synced). */
  seq: number;
}

export interface PackRow {
  id?: number;
  cardIds: string[];
  /** Every card's state, one after another; card i's ends at ends[i]. */
  bytes: Uint8Array;
  ends: number[];
  seqs: number[];
}

/** Packs the states of a batch of cards into one record. */
export function makePack(cards: readonly { cardId: string; state: Uint8Array; seq: number }[]): PackRow {
  const bytes = new Uint8Array(cards.reduce((sum, card) => sum + card.state.byteLength, 0));
  const ends: number[] = [];
  let at = 0;
  for (const card of cards) {
    bytes.set(card.state, at);
    at += card.state.byteLength;
    ends.push(at);
  }
  return { cardIds: cards.map((card) => card.cardId), bytes, ends, seqs: cards.map((card) => card.seq) };
}

/** Card i of a pack as a docs row (a copy: a view would carry the whole pack into any later write). */
export function packEntry(pack: PackRow, i: number): DocRow {
  return { id: pack.cardIds[i]!, state: pack.bytes.slice(i === 0 ? 0 : pack.ends[i - 1], pack.ends[i]), seq: pack.seqs[i]! };
}

export interface PendingRow {
  seq?: number;
  cardId: string;
  update: Uint8Array;
  createdAt: number;
  /** The card's whole state, sent again after the server lacked changes an update depended on. */
  whole?: boolean;
}

/**
 * The whole states of a batch of new cards as one outbox record, laid out as a PackRow. It
 * stands at the seq of its last card; its n cards own the seqs just below (outbox-packs.ts).
 */
export interface PendingPack {
  seq?: number;
  cardIds: string[];
  bytes: Uint8Array;
  ends: number[];
  createdAt: number;
}

export type OutboxRow = PendingRow | PendingPack;

/** What one refused change did, from the change records it carried (refused-describe.ts). */
export interface RefusedStep {
  mutation: string;
  /** A field key, 'contact:<id>.<key>', 'timeline:<id>', … (ChangeRecord.target). */
  target: string;
  to: FieldValue;
}

/** A local change the server refused: kept (table `refused`) until the user resolves it. */
export interface RefusedChange {
  id?: number;
  cardId: string;
  code: string;
  message: string;
  at: number;
  update: Uint8Array;
  /** The changes it made, in the order made (the newest 20 of a whole state's). */
  steps?: RefusedStep[];
  /** How many change records the update carried in all (a new card's whole state carries many). */
  stepCount?: number;
}

export interface MetaRow {
  key: string;
  value: unknown;
}

/** Meta key bumped whenever a `packRows` record is rewritten in place (row-reads.ts reloads). */
export const WAITING_ROWS_STAMP = 'waitingRowsStamp';

export interface PackRowsRow {
  /** The id of the pack whose cards these rows index. */
  id: number;
  rows: CardIndexRow[];
}

export type CardsDatabase = Dexie & {
  cards: EntityTable<CardIndexRow, 'id'>;
  packRows: EntityTable<PackRowsRow, 'id'>;
  docs: EntityTable<DocRow, 'id'>;
  packs: EntityTable<PackRow, 'id'>;
  pending: EntityTable<OutboxRow, 'seq', InsertType<PendingRow, 'seq'> | InsertType<PendingPack, 'seq'>>;
  meta: EntityTable<MetaRow, 'key'>;
  refused: EntityTable<RefusedChange, 'id'>;
};

/**
 * `strict` (the default here) flushes each transaction to disk before it completes: local edits
 * and the outbox use it. `relaxed` is for what the server can always send again (a first sync's
 * cards) and for rows derived from stored state: a crash loses at most the newest of those
 * transactions (they stay in order), and the sync cursor is written after them.
 */
export type Durability = 'strict' | 'relaxed';

export function openDatabase(name: string, indexedDB?: IDBFactory, keyRange?: typeof IDBKeyRange, durability: Durability = 'strict'): CardsDatabase {
  const options: ConstructorParameters<typeof Dexie>[1] = { chromeTransactionDurability: durability };
  if (indexedDB && keyRange) Object.assign(options, { indexedDB, IDBKeyRange: keyRange });
  const db = new Dexie(name, options) as CardsDatabase;
  db.version(1).stores({
    cards: 'id, sortKey, *emails, *domains, *terms, owner, nextDue, lastContact, updatedAt',
    docs: 'id',
    pending: '++seq, cardId',
    meta: 'key',
  });
  // v2: search terms are indexed in memory (store/search-index.ts), not in IndexedDB: the
  // multiEntry index cost ~60 index writes per card and made prefix queries slow at 10,000 cards.
  db.version(2).stores({
    cards: 'id, sortKey, *emails, *domains, owner, nextDue, lastContact, updatedAt',
  });
  // v3: 12-month purchases indexed, so ABC cut-offs come from the index keys without reading
  // rows; owner, next due and last contact dropped (nothing queries them; each index entry
  // costs every synced card a write).
  db.version(3).stores({
    cards: 'id, sortKey, *emails, *domains, updatedAt, purchases12m',
  });
  // v4: packs of first-sync card states (see above).
  db.version(4).stores({
    packs: '++id, *cardIds',
  });
  // v5: the index rows of a pack's cards, a record per pack, until they are moved into `cards`.
  db.version(5).stores({
    packRows: 'id',
  });
  // v6: outbox packs (PendingPack) indexed by their cards, to count them and to find a card's.
  db.version(6).stores({
    pending: '++seq, cardId, *cardIds',
  });
  // v7: refused changes get a table of their own (they were one meta array, capped at 200:
  // older ones were deleted without a word, and each refusal rewrote the whole array).
  db.version(7)
    .stores({ refused: '++id, cardId' })
    .upgrade(async (tx) => {
      const old = (await tx.table('meta').get('refusedChanges')) as MetaRow | undefined;
      const kept = Array.isArray(old?.value) ? (old.value as RefusedChange[]) : [];
      if (kept.length > 0) await tx.table('refused').bulkAdd(kept.map(({ id: _id, ...change }) => change));
      await tx.table('meta').delete('refusedChanges');
    });
  // v8: the cards retired by a merge (row.mergedInto) indexed, so counting the listed cards and
  // reading the ABC cut-offs' amounts need not read every row: a filter over the rows cost a
  // full read of 10,000 rows at each count (the side panel counts after every change).
  db.version(8).stores({
    cards: 'id, sortKey, *emails, *domains, updatedAt, purchases12m, mergedInto',
  });
  return db;
}

/**
 * Writes a pack of card states and, in the same transaction, its index rows as one `packRows`
 * record, with IndexedDB directly, past Dexie's per-row bookkeeping: only for a first sync's
 * batches. Measured at 10,000 cards in the service worker (tests/bench/RESULTS.md).
 */
export async function putPackRaw(db: CardsDatabase, pack: PackRow, rows: readonly CardIndexRow[]): Promise<void> {
  if (!db.isOpen()) await db.open();
  const idb = db.backendDB();
  await new Promise<void>((resolve, reject) => {
    const tx = idb.transaction(['packs', 'packRows'], 'readwrite', { durability: 'relaxed' });
    const added = tx.objectStore('packs').add(pack);
    added.onsuccess = () => tx.objectStore('packRows').put({ id: added.result as number, rows });
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB write failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB write aborted'));
  });
}

/**
 * Moves the rows of one pack (the oldest left) into `cards`, in one transaction, and deletes
 * its `packRows` record. A card that already has a row keeps it: anything written to `cards`
 * after the pack is newer. Resolves with the ids written, or undefined when no pack is left.
 */
export async function unpackRows(db: CardsDatabase): Promise<string[] | undefined> {
  if (!db.isOpen()) await db.open();
  const idb = db.backendDB();
  return new Promise<string[] | undefined>((resolve, reject) => {
    const tx = idb.transaction(['packRows', 'cards'], 'readwrite', { durability: 'relaxed' });
    let written: string[] | undefined;
    const first = tx.objectStore('packRows').openCursor();
    first.onsuccess = () => {
      const cursor = first.result;
      if (!cursor) return;
      const { rows } = cursor.value as PackRowsRow;
      const cards = tx.objectStore('cards');
      const keys = cards.getAllKeys();
      keys.onsuccess = () => {
        const held = new Set(keys.result as string[]);
        written = [];
        for (const row of rows) {
          if (held.has(row.id)) continue;
          cards.put(row);
          written.push(row.id);
        }
        cursor.delete();
      };
    };
    tx.oncomplete = () => resolve(written);
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB write failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB write aborted'));
  });
}

/** Writes index rows straight through IndexedDB (a rebuild's batches; see putPackRaw). */
export async function putRowsRaw(db: CardsDatabase, cards: readonly CardIndexRow[]): Promise<void> {
  if (!db.isOpen()) await db.open();
  const idb = db.backendDB();
  await new Promise<void>((resolve, reject) => {
    const tx = idb.transaction(['cards'], 'readwrite', { durability: 'relaxed' });
    const store = tx.objectStore('cards');
    for (const card of cards) store.put(card);
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB write failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB write aborted'));
  });
}

/**
 * The ids of every card this device stores, from keys alone (no state is read): each stored
 * card has a `docs` row or an index row in `cards`, or (a first sync's cards, until their rows
 * are moved) a row in a `packRows` record: every pack is written with its cards' rows. Call
 * inside a transaction that includes `docs`, `cards` and `packRows` when writing after.
 */
export async function storedCardIds(db: CardsDatabase): Promise<Set<string>> {
  const [docs, cards, waiting] = await Promise.all([db.docs.toCollection().primaryKeys(), db.cards.toCollection().primaryKeys(), db.packRows.toArray()]);
  const ids = new Set<string>([...docs, ...cards]);
  for (const record of waiting) for (const row of record.rows) ids.add(row.id);
  return ids;
}

/**
 * Every stored state (of `wanted` only, when given), read table by table so each pack is read
 * once: a card's `docs` row, else its pack entry; a card with both gets them merged, as
 * readStates does. For reads of many cards (backup, export): ids in name order are spread over
 * every pack, so reading them a batch at a time would read every pack once per batch.
 */
export async function readAllStates(db: CardsDatabase, wanted?: ReadonlySet<string>): Promise<Map<string, Uint8Array>> {
  const states = new Map<string, Uint8Array>();
  await db.docs.each((row) => {
    if (!wanted || wanted.has(row.id)) states.set(row.id, row.state);
  });
  await db.packs.each((pack) => {
    pack.cardIds.forEach((id, i) => {
      if (wanted && !wanted.has(id)) return;
      const entry = packEntry(pack, i).state;
      const held = states.get(id);
      states.set(id, held ? Y.mergeUpdates([entry, held]) : entry);
    });
  });
  return states;
}

/**
 * The stored states of `ids` (undefined where none): the `docs` row, else the card's entry in
 * a pack; where a card has both (a device that stored a live change before its first sync's
 * pack, as versions before 0.2 could), the two are merged, so no state is ever hidden behind
 * another. Call inside a transaction that includes `docs` and `packs` when writing after.
 */
export async function readStates(db: CardsDatabase, ids: readonly string[]): Promise<(DocRow | undefined)[]> {
  const rows = await db.docs.bulkGet([...ids]);
  // Keys first: a multiEntry anyOf visits a pack once per matching id, and loading its value
  // each time (a batch of 500 ids: 500 reads of the same pack) cost seconds per batch.
  const packIds = [...new Set(await db.packs.where('cardIds').anyOf([...ids]).primaryKeys())];
  const packs = packIds.length === 0 ? [] : ((await db.packs.bulkGet(packIds)).filter(Boolean) as PackRow[]);
  if (packs.length === 0) return rows;
  const wanted = new Set(ids);
  const fromPacks = new Map<string, DocRow>();
  for (const pack of packs) {
    pack.cardIds.forEach((id, i) => {
      if (wanted.has(id) && !fromPacks.has(id)) fromPacks.set(id, packEntry(pack, i));
    });
  }
  return rows.map((row, i) => {
    const packed = fromPacks.get(ids[i]!);
    if (!row || !packed) return row ?? packed;
    return { id: row.id, state: Y.mergeUpdates([packed.state, row.state]), seq: Math.max(row.seq, packed.seq) };
  });
}
