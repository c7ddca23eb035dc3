/**
 * What every part of the card store shares within one extension context: the database (two
 * handles: strict durability for local edits and the outbox, relaxed for what the server can
 * send again and for derived rows), change announcements across contexts (a BroadcastChannel),
 * the classification settings and ABC cut-offs rows are read with, the device's Yjs client id,
 * the index rows as readers see them (row-reads.ts: `cards` and the rows in `packRows`), and
 * the move of rows from `packRows` into `cards`.
 */
import Dexie from 'dexie';
import * as Y from 'yjs';
import type { CardIndexRow } from '../../shared/card-types.ts';
import { classByCutoffs, type AbcCutoffs } from '../../shared/derive/abc.ts';
import { DEFAULT_CLASSIFICATION, normaliseClassification, type ClassificationSettings } from '../../shared/derive/settings.ts';
import { fail, type AppError } from '../../shared/errors.ts';
import { openDatabase, unpackRows, type CardsDatabase, type DocRow } from './db.ts';
import { createRowReads, type RowReads } from './row-reads.ts';

export const CHANGES_CHANNEL = 'customer-cards-changes';
/** Cards per transaction in bulk work. */
export const BATCH = 500;

export interface StoreContextOptions {
  dbName?: string;
  actor: () => string;
  now?: () => number;
  newId?: () => string;
  /** For tests in Node: fake-indexeddb's factory and key range. */
  indexedDB?: IDBFactory;
  IDBKeyRange?: typeof IDBKeyRange;
}

export interface StoreContext {
  /** The live database's name. */
  dbName: string;
  db: CardsDatabase;
  bulkDb: CardsDatabase;
  /** Opens another database of the same layout (an account's archive). */
  openOther(name: string): CardsDatabase;
  actor: () => string;
  now: () => number;
  newId: () => string;
  channel: BroadcastChannel | undefined;
  listeners: Set<(ids: string[]) => void>;
  /** Called when every card was replaced at once (removed, kept apart, restored), here or in another context. */
  onCardsReplaced: Set<() => void>;
  /** Says so here and in every other context. */
  cardsReplaced(): void;
  /** Tells this context's listeners only. */
  notifyLocal(ids: string[]): void;
  /** Tells listeners here and in every other context that these cards changed. */
  announce(ids: string[]): void;
  /** Tells every listener that something changed that is not one card (the outbox, all cards). */
  announceAll(): void;
  classification(): ClassificationSettings;
  setClassification(value: unknown): void;
  classificationLoaded: Promise<void>;
  cutoffs(): AbcCutoffs | undefined;
  setCutoffs(cutoffs: AbcCutoffs | undefined): void;
  cutoffsLoaded: Promise<void>;
  /** A row with its class as of the current cut-offs (rows are not rewritten when classes move). */
  withClass<T extends CardIndexRow | undefined>(row: T): T;
  /** Index rows as readers see them: `cards` and the rows in `packRows`. */
  rows: RowReads;
  /**
   * Moves every row waiting in `packRows` into `cards` (one move at a time; readers never wait
   * for it): for upkeep, in the background, and before work that rewrites every row.
   */
  moveWaitingRows(): Promise<void>;
  deviceClientId(): Promise<number>;
  loadDoc(row: DocRow | undefined): Y.Doc;
  close(): void;
}

export function storageError(error: unknown): AppError {
  const name = error instanceof Error ? error.name : '';
  const inner = error instanceof Dexie.DexieError && error.inner instanceof Error ? error.inner.name : '';
  if (name === 'QuotaExceededError' || inner === 'QuotaExceededError') {
    return fail('storage-full', 'The browser has no room left to save this change; nothing was saved. Free some disk space and try again.');
  }
  return fail('storage-failed', `The change could not be saved; nothing was saved (${error instanceof Error ? error.message : String(error)})`);
}

function randomClientId(): number {
  return Math.floor(Math.random() * 0xffffffff) >>> 0;
}

export function createStoreContext(options: StoreContextOptions): StoreContext {
  const dbName = options.dbName ?? 'customer-cards';
  const db = openDatabase(dbName, options.indexedDB, options.IDBKeyRange);
  const bulkDb = openDatabase(dbName, options.indexedDB, options.IDBKeyRange, 'relaxed');
  const listeners = new Set<(ids: string[]) => void>();
  const onCardsReplaced = new Set<() => void>();
  const rows = createRowReads(db);
  const channel = typeof BroadcastChannel === 'undefined' ? undefined : new BroadcastChannel(CHANGES_CHANNEL);
  let classification: ClassificationSettings = DEFAULT_CLASSIFICATION;
  let cutoffs: AbcCutoffs | undefined;
  let moving: Promise<void> | undefined;

  const readClassification = () =>
    db.meta.get('setting:classification').then((row) => {
      classification = normaliseClassification(row?.value as Parameters<typeof normaliseClassification>[0]);
    });
  const loadCutoffs = () =>
    db.meta.get('abcCutoffs').then((row) => {
      cutoffs = row?.value as AbcCutoffs | undefined;
    });

  const notifyLocal = (ids: string[]) => {
    for (const listener of listeners) listener(ids);
  };
  const announce = (ids: string[]) => {
    if (ids.length === 0) return;
    notifyLocal(ids);
    channel?.postMessage({ ids });
  };

  channel?.addEventListener('message', (event: MessageEvent<unknown>) => {
    const data = event.data as { ids?: unknown; setting?: unknown } | null;
    if (data?.setting === 'abcCutoffs') void loadCutoffs().catch(() => undefined).then(() => notifyLocal([]));
    if (data?.setting === 'cardsReplaced') {
      rows.forget();
      void loadCutoffs().catch(() => undefined);
      for (const hook of onCardsReplaced) hook();
    }
    if (data?.setting === 'classification') void readClassification().catch(() => undefined);
    if (data && Array.isArray(data.ids)) notifyLocal(data.ids.filter((id): id is string => typeof id === 'string'));
  });

  /** Moves the waiting rows a pack at a time, then announces them (their rows' source changed). */
  async function moveRows(): Promise<void> {
    if ((await db.packRows.count()) === 0) return;
    const moved: string[] = [];
    for (let ids = await unpackRows(bulkDb); ids !== undefined; ids = await unpackRows(bulkDb)) moved.push(...ids);
    announce(moved);
  }

  return {
    dbName,
    db,
    bulkDb,
    rows,
    openOther: (name) => openDatabase(name, options.indexedDB, options.IDBKeyRange),
    actor: options.actor,
    now: options.now ?? (() => Date.now()),
    newId: options.newId ?? (() => crypto.randomUUID()),
    channel,
    listeners,
    onCardsReplaced,
    cardsReplaced() {
      rows.forget();
      for (const hook of onCardsReplaced) hook();
      channel?.postMessage({ ids: [], setting: 'cardsReplaced' });
    },
    notifyLocal,
    announce,
    announceAll() {
      notifyLocal([]);
      channel?.postMessage({ ids: [] });
    },
    classification: () => classification,
    setClassification(value) {
      classification = normaliseClassification(value as Parameters<typeof normaliseClassification>[0]);
    },
    classificationLoaded: readClassification().catch(() => undefined),
    cutoffs: () => cutoffs,
    setCutoffs(next) {
      cutoffs = next;
    },
    cutoffsLoaded: loadCutoffs().catch(() => undefined),
    withClass<T extends CardIndexRow | undefined>(row: T): T {
      if (!row || !cutoffs) return row;
      const abcDerived = classByCutoffs(row.purchases12m ?? 0, cutoffs);
      return { ...row, abcDerived, abc: row.abcOverride || abcDerived };
    },
    moveWaitingRows() {
      // Each call after one ends checks again: rows can be written at any time.
      moving ??= moveRows()
        .catch((error: unknown) => console.warn('customer-cards: could not move waiting rows into the index yet', error))
        .finally(() => {
          moving = undefined;
        });
      return moving;
    },
    deviceClientId() {
      // Read at every write, not kept: the id belongs to the signed-in account (account-archive.ts
      // keeps it with the account's cards), and another context may have switched accounts.
      return db.transaction('rw', db.meta, async () => {
        const row = await db.meta.get('clientId');
        if (typeof row?.value === 'number') return row.value;
        const id = randomClientId();
        await db.meta.put({ key: 'clientId', value: id });
        return id;
      });
    },
    loadDoc(row) {
      // A guid given spares a random uuid per doc (measured: ~8% of a rebuild of 10,000 cards).
      const doc = new Y.Doc({ gc: true, guid: row?.id });
      if (row) Y.applyUpdate(doc, row.state);
      return doc;
    },
    close() {
      channel?.close();
      listeners.clear();
      db.close();
      bulkDb.close();
    },
  };
}
