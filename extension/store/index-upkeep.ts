/**
 * Keeping the index rows right: ABC class cut-offs (classes are relative to every card held, so
 * they are two amount cut-offs computed from the 12-month-purchases index keys and applied to
 * rows as they are read; no row is rewritten when classes move), the daily refresh of date-
 * dependent fields from the rows alone, and full rebuilds from the Yjs states.
 */
import type { CardIndexRow } from '../../shared/card-types.ts';
import { readCard } from '../../shared/card-read.ts';
import { abcCutoffs } from '../../shared/derive/abc.ts';
import { buildIndexRow, INDEX_ROW_VERSION, refreshRow } from '../../shared/index-row.ts';
import { ensurePinyin, pinyinTermsOf } from '../../shared/pinyin.ts';
import { packEntry, putRowsRaw, type DocRow } from './db.ts';
import { BATCH, type StoreContext } from './store-context.ts';

export interface IndexUpkeep {
  /** Recomputes the ABC class cut-offs from every card's 12-month purchases. */
  recomputeCutoffs(): Promise<void>;
  /** Recomputes them once, shortly, after a burst of changes (and after `busy()` ends). */
  scheduleRecompute(): void;
  /** Brings every row's date- and settings-dependent fields (stage, overdue, class) up to date. */
  refreshRows(): Promise<void>;
  /**
   * Moves rows written to packRows (a first sync's, an import's, a restore's) into `cards`
   * shortly, in the background (after `busy()` ends): lookups by email or id then use the
   * table's indexes instead of every context reading all the records' rows.
   */
  scheduleMove(): void;
  rebuildIndex(): Promise<number>;
  /**
   * Computes the pinyin terms rows were stored without (shared/pinyin.ts): of the given cards,
   * or (no ids) of every row, which reads them all. The number filled.
   */
  fillPinyin(ids?: readonly string[]): Promise<number>;
  /** Does that for these cards shortly, after a burst of changes (and after `busy()` ends). */
  schedulePinyin(ids: readonly string[]): void;
  /** Rebuilds the index if it was built by another row version; true if it did. */
  ensureIndexVersion(): Promise<boolean>;
  close(): void;
}

/** How long after rows are written to packRows they are moved into `cards` (another write restarts it). */
const MOVE_AFTER_MS = 1_000;

/** A job run `ms` after the last schedule(), put off again while `busy()` (a first sync writing, an export running). */
function whenQuiet(busy: () => boolean, ms: number, run: () => void): { schedule(): void; cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const cancel = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
  };
  const schedule = () => {
    cancel();
    timer = setTimeout(() => {
      timer = undefined;
      if (busy()) schedule();
      else run();
    }, ms);
  };
  return { schedule, cancel };
}

/** Whether two rows of a card agree on every date- and settings-dependent value. */
function sameDerived(a: CardIndexRow, b: CardIndexRow): boolean {
  return a.purchases12m === b.purchases12m && a.stage === b.stage && a.nextDue === b.nextDue && a.overdue === b.overdue;
}

/** The setting holding the server's company-wide ABC cut-offs (null in JSON: no card has the class). */
export const COMPANY_CUTOFFS = 'companyAbcCutoffs';
export interface CompanyCutoffs {
  aMin: number | null;
  bMin: number | null;
  asOf: number;
}

/** `busy`: true while a first sync is writing or an export holds upkeep (a recompute then waits). */
export function createIndexUpkeep(ctx: StoreContext, busy: () => boolean): IndexUpkeep {
  const { db, bulkDb } = ctx;

  async function recomputeCutoffs(): Promise<void> {
    await ctx.classificationLoaded;
    // Signed in to a server: the company's cut-offs over every card (the same class for every
    // user); else this device's cards. Cards without purchases are class C and move no cut-off,
    // so only the positive amounts are read (a key cursor over 10,000 rows cost ~1 s).
    const company = (await db.meta.get(`setting:${COMPANY_CUTOFFS}`))?.value as CompanyCutoffs | undefined;
    const next = company ? { aMin: company.aMin ?? Infinity, bMin: company.bMin ?? Infinity } : abcCutoffs(await ctx.rows.positivePurchases(), ctx.classification().abc);
    const current = ctx.cutoffs();
    if (current && next.aMin === current.aMin && next.bMin === current.bMin) return;
    ctx.setCutoffs(next);
    await db.meta.put({ key: 'abcCutoffs', value: next });
    ctx.channel?.postMessage({ ids: [], setting: 'abcCutoffs' });
    ctx.notifyLocal([]);
  }

  const recomputeSoon = whenQuiet(busy, 500, () => void recomputeCutoffs().catch(() => undefined));

  /**
   * From the rows alone (no Y.Doc): 12-month purchases, stage and overdue amounts move with the
   * date. Writes only the rows whose values changed, then the class cut-offs.
   */
  async function refreshRows(): Promise<void> {
    await ctx.classificationLoaded;
    await ctx.moveWaitingRows();
    const changed: string[] = [];
    const at = ctx.now();
    const stage = ctx.classification().stage;
    await bulkDb.transaction('rw', bulkDb.cards, async () => {
      const rows = await bulkDb.cards.toArray();
      const updates: CardIndexRow[] = [];
      for (const row of rows) {
        const next = refreshRow(row, at, { stage });
        if (sameDerived(row, next)) continue;
        updates.push(next);
        changed.push(row.id);
      }
      if (updates.length > 0) await bulkDb.cards.bulkPut(updates);
    });
    if (changed.length > 0) ctx.announce(changed);
    await recomputeCutoffs();
  }

  const moveSoon = whenQuiet(busy, MOVE_AFTER_MS, () => void ctx.moveWaitingRows());

  async function rebuildIndex(): Promise<number> {
    // With the converter loaded, each row is built with its pinyin terms: one write per card.
    await ensurePinyin();
    await ctx.classificationLoaded;
    // Every card gets its row built below (the packs there now are all read): the rows waiting
    // in packRows records now are replaced, so those records are deleted at the end.
    const waitingRecords = await bulkDb.packRows.toCollection().primaryKeys();
    const at = ctx.now();
    const stage = ctx.classification().stage;
    const build = (row: DocRow) => {
      const doc = ctx.loadDoc(row);
      const index = buildIndexRow(readCard(doc, row.id), at, { stage });
      doc.destroy();
      return index;
    };
    // Each batch is written while the next is built (IndexedDB works in the browser process),
    // and straight through IndexedDB: a rebuild's rows are read back only after it.
    let writing: Promise<void> = Promise.resolve();
    const write = async (rows: CardIndexRow[]) => {
      await writing;
      writing = putRowsRaw(bulkDb, rows);
    };
    // Cards whose state is their docs row…
    const inDocs = new Set<string>();
    let lastId = '';
    for (;;) {
      const rows = await bulkDb.docs.where('id').above(lastId).limit(BATCH).toArray();
      if (rows.length === 0) break;
      await write(rows.map(build));
      for (const row of rows) inDocs.add(row.id);
      lastId = rows[rows.length - 1]!.id;
    }
    // …and those still in a first sync's pack.
    let count = inDocs.size;
    let lastPack = 0;
    for (;;) {
      const pack = await bulkDb.packs.where('id').above(lastPack).first();
      if (!pack) break;
      const rows = pack.cardIds.map((_, i) => packEntry(pack, i)).filter((row) => !inDocs.has(row.id));
      await write(rows.map(build));
      count += rows.length;
      lastPack = pack.id!;
    }
    await writing;
    if (waitingRecords.length > 0) await bulkDb.packRows.bulkDelete(waitingRecords);
    // The rows were just built for today and the current settings: only the classes remain.
    await recomputeCutoffs();
    ctx.announce([]);
    return count;
  }

  let filling: Promise<number> = Promise.resolve(0);
  /** One fill at a time: a fill for some cards waits for the one running. */
  function fillPinyin(ids?: readonly string[]): Promise<number> {
    filling = filling.catch(() => 0).then(() => fillNow(ids));
    return filling;
  }
  async function fillNow(only: readonly string[] | undefined): Promise<number> {
    await ctx.moveWaitingRows();
    await ensurePinyin();
    let filled = 0;
    const waiting = only ? [...only] : ((await db.cards.filter((row) => row.pinyin === '' && row.pinyinSource !== '').primaryKeys()) as string[]);
    for (let start = 0; start < waiting.length; start += BATCH) {
      const ids = waiting.slice(start, start + BATCH);
      const done: string[] = [];
      await bulkDb.transaction('rw', bulkDb.cards, async () => {
        const rows = await bulkDb.cards.bulkGet(ids);
        const next = rows.filter((row): row is CardIndexRow => row !== undefined && row.pinyin === '' && row.pinyinSource !== '').map((row) => ({ ...row, pinyin: pinyinTermsOf(row.pinyinSource) }));
        for (const row of next) done.push(row.id);
        if (next.length > 0) await bulkDb.cards.bulkPut(next);
      });
      filled += done.length;
      if (done.length > 0) ctx.announce(done);
    }
    return filled;
  }

  const pinyinWaiting = new Set<string>();
  const pinyinSoon = whenQuiet(busy, 1_000, () => {
    const ids = [...pinyinWaiting];
    pinyinWaiting.clear();
    void fillPinyin(ids).catch(() => undefined);
  });
  function schedulePinyin(ids: readonly string[]): void {
    for (const id of ids) pinyinWaiting.add(id);
    if (pinyinWaiting.size > 0) pinyinSoon.schedule();
  }

  async function ensureIndexVersion(): Promise<boolean> {
    const stored = (await db.meta.get('indexVersion'))?.value;
    if (stored === INDEX_ROW_VERSION) return false;
    const count = (await db.docs.count()) + (await db.packs.count());
    if (count > 0) await rebuildIndex();
    await db.meta.put({ key: 'indexVersion', value: INDEX_ROW_VERSION });
    return count > 0;
  }

  return {
    recomputeCutoffs,
    scheduleRecompute: recomputeSoon.schedule,
    refreshRows,
    scheduleMove: moveSoon.schedule,
    rebuildIndex,
    fillPinyin,
    schedulePinyin,
    ensureIndexVersion,
    close() {
      recomputeSoon.cancel();
      pinyinSoon.cancel();
      moveSoon.cancel();
    },
  };
}
