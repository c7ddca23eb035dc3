/**
 * Index rows as every reader sees them: the `cards` table, and the rows in `packRows` records
 * (a first sync's, an import's or a restore's new cards: one record per batch of 500, because
 * each IndexedDB write costs the browser about 0.3 ms whatever its size, so 10,000 row writes
 * were 3 s of CPU in the browser and 1.5 s in the page; db.ts). A card's `cards` row, written
 * by any later change, is newer than its row in a record and hides it. Readers never wait for
 * the background move of these rows into `cards` (index-upkeep.ts scheduleMove).
 *
 * Each context keeps the records' rows it has read ("waiting" rows), and reloads only when the
 * set of records changed (written: new keys; moved or deleted: keys gone) or one was rewritten
 * in place (a removal: db.ts WAITING_ROWS_STAMP). Read the waiting rows before the `cards` rows:
 * a move in between then leaves a card in both (the `cards` row wins), never in neither.
 *
 * A card merged into another (shared/merge/card-merge.ts) is left out of every list here; only
 * `get` / `bulkGet` (opening that card, the merge's undo) still return its row.
 *
 * Call outside other transactions: the reads run in their own.
 */
import type { CardIndexRow } from '../../shared/card-types.ts';
import { WAITING_ROWS_STAMP, type CardsDatabase } from './db.ts';

/** Whether a row is in the lists: not retired into another card by a merge. */
export const listed = (row: CardIndexRow): boolean => !row.mergedInto;

export interface RowReads {
  get(id: string): Promise<CardIndexRow | undefined>;
  bulkGet(ids: readonly string[]): Promise<(CardIndexRow | undefined)[]>;
  all(): Promise<CardIndexRow[]>;
  count(): Promise<number>;
  /** Rows listing this (lower-cased) email, or this company domain. */
  withEmail(email: string): Promise<CardIndexRow[]>;
  withDomain(domain: string): Promise<CardIndexRow[]>;
  /** Every positive 12-month purchases amount (the ABC cut-offs' input). */
  positivePurchases(): Promise<number[]>;
  /** Whether rows wait outside `cards` (ordered queries on `cards` alone would miss them). */
  anyWaiting(): Promise<boolean>;
  /** Drops what this context keeps (every card was replaced: an account's cards kept apart or back). */
  forget(): void;
}

interface WaitingCache {
  stamp: unknown;
  records: ReadonlyMap<number, readonly CardIndexRow[]>;
  rows: ReadonlyMap<string, CardIndexRow>;
}

const NONE: ReadonlyMap<string, CardIndexRow> = new Map();
/** Up to this many waiting rows are checked against `cards` one by one, not by reading every key. */
const FEW = 50;

export function createRowReads(db: CardsDatabase): RowReads {
  let cache: WaitingCache | undefined;

  /** The waiting rows by card id (a later record's row wins, as a later move's would). */
  function waiting(): Promise<ReadonlyMap<string, CardIndexRow>> {
    return db.transaction('r', [db.packRows, db.meta], async () => {
      const keys = (await db.packRows.toCollection().primaryKeys()) as number[];
      if (keys.length === 0) {
        cache = undefined;
        return NONE;
      }
      const stamp = (await db.meta.get(WAITING_ROWS_STAMP))?.value ?? 0;
      const held = cache?.stamp === stamp ? cache.records : new Map<number, readonly CardIndexRow[]>();
      const missing = keys.filter((key) => !held.has(key));
      if (cache && held === cache.records && missing.length === 0 && keys.length === held.size) return cache.rows;
      const records = new Map<number, readonly CardIndexRow[]>();
      const loaded = await db.packRows.bulkGet(missing);
      missing.forEach((key, i) => {
        const record = loaded[i];
        if (record) records.set(key, record.rows);
      });
      for (const key of keys) {
        const rows = held.get(key);
        if (rows) records.set(key, rows);
      }
      const rows = new Map<string, CardIndexRow>();
      for (const key of [...records.keys()].sort((a, b) => a - b)) for (const row of records.get(key)!) rows.set(row.id, row);
      cache = { stamp, records, rows };
      return rows;
    });
  }

  /** Waiting rows that pass `keep` and have no `cards` row. */
  async function unshadowed(keep: (row: CardIndexRow) => boolean): Promise<CardIndexRow[]> {
    const candidates = [...(await waiting()).values()].filter(keep);
    if (candidates.length === 0) return [];
    // A few (a sender's card): look those up; many: read the table's keys once.
    if (candidates.length <= FEW) {
      const stored = await db.cards.bulkGet(candidates.map((row) => row.id));
      return candidates.filter((_, i) => !stored[i]);
    }
    const inCards = new Set((await db.cards.toCollection().primaryKeys()) as string[]);
    return candidates.filter((row) => !inCards.has(row.id));
  }

  /** The ids of the `cards` rows retired by a merge, from the `mergedInto` index (rows not merged hold ''). */
  async function retiredIds(): Promise<string[]> {
    return (await db.cards.where('mergedInto').above('').primaryKeys()) as string[];
  }

  /**
   * One read-only transaction for both reads, sent together: they see the same state (a move of
   * waiting rows cannot fall between them), and a search's shown rows cost one round trip to
   * IndexedDB instead of two in a row.
   */
  async function bulkGet(ids: readonly string[]): Promise<(CardIndexRow | undefined)[]> {
    const [rows, stored] = await db.transaction('r', [db.packRows, db.meta, db.cards], () => Promise.all([waiting(), db.cards.bulkGet([...ids])]));
    return stored.map((row, i) => row ?? rows.get(ids[i]!));
  }

  return {
    async get(id) {
      return (await bulkGet([id]))[0];
    },
    bulkGet,
    async all() {
      const rows = await waiting();
      const stored = await db.cards.toArray();
      const inCards = new Set(stored.map((row) => row.id));
      for (const row of rows.values()) if (!inCards.has(row.id)) stored.push(row);
      return stored.filter(listed);
    },
    async count() {
      const rows = await waiting();
      const retired = (await retiredIds()).length;
      if (rows.size === 0) return (await db.cards.count()) - retired;
      const inCards = (await db.cards.toCollection().primaryKeys()) as string[];
      let count = inCards.length - retired;
      const held = new Set(inCards);
      for (const [id, row] of rows) if (!held.has(id) && listed(row)) count++;
      return count;
    },
    async withEmail(email) {
      const extra = await unshadowed((row) => row.emails.includes(email) && listed(row));
      return [...(await db.cards.where('emails').equals(email).filter(listed).toArray()), ...extra];
    },
    async withDomain(domain) {
      const extra = await unshadowed((row) => row.domains.includes(domain) && listed(row));
      return [...(await db.cards.where('domains').equals(domain).filter(listed).toArray()), ...extra];
    },
    async positivePurchases() {
      const extra = await unshadowed((row) => (row.purchases12m ?? 0) > 0 && listed(row));
      // Index keys only (no row is read): the amounts and, in the same order, their cards' ids,
      // in one transaction so that no write falls between the two walks.
      const range = () => db.cards.where('purchases12m').above(0);
      const [amounts, ids, retired] = await db.transaction('r', db.cards, () => Promise.all([range().keys(), range().primaryKeys(), retiredIds()]));
      const gone = new Set(retired);
      const stored = gone.size === 0 ? (amounts as number[]) : (amounts as number[]).filter((_, i) => !gone.has(ids[i] as string));
      return [...stored, ...extra.map((row) => row.purchases12m)];
    },
    async anyWaiting() {
      return (await waiting()).size > 0;
    },
    forget() {
      cache = undefined;
    },
  };
}
