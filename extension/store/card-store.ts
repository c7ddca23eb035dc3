/**
 * The local card store: the only code in the extension that touches Dexie and Yjs (with the
 * sync client it feeds). Every write is a named mutation run inside ONE Dexie transaction that
 * reads the card's stored state, applies the mutation to a Y.Doc built from it, and writes the
 * new state, the rebuilt index row and the outgoing update (outbox) together. Because each write
 * starts from the stored state inside the transaction, any extension context (background, side
 * panel, card page) can write safely; other contexts learn of changes on a BroadcastChannel.
 */
import Dexie from 'dexie';
import * as Y from 'yjs';
import type { CardIndexRow, CardView } from '../../shared/card-types.ts';
import { readCard } from '../../shared/card-read.ts';
import { domainOf, isFreeMailDomain, normalizeEmail } from '../../shared/email.ts';
import { fail, ok, type AppError, type Result } from '../../shared/errors.ts';
import { buildIndexRow, INDEX_ROW_VERSION, refreshRow, termsOf } from '../../shared/index-row.ts';
import { abcCutoffs, classByCutoffs, type AbcCutoffs } from '../../shared/derive/abc.ts';
import { DEFAULT_CLASSIFICATION, normaliseClassification, type ClassificationSettings } from '../../shared/derive/settings.ts';
import { applyMutation } from '../../shared/mutations.ts';
import type { CardSeed, Mutation, MutationContext } from '../../shared/mutations-types.ts';

export type { CardSeed, CardStep } from '../../shared/mutations-types.ts';
import { queryTerms } from '../../shared/search-terms.ts';
import { LIMITS } from '../../shared/sync/protocol.ts';
import type { CardStoreApi, ListOptions } from './api.ts';
import { makePack, openDatabase, packEntry, putPackRaw, putRowsRaw, readStates, unpackRows, type CardsDatabase, type DocRow, type RefusedChange } from './db.ts';
import { createSearchIndex, type SearchIndex } from './search-index.ts';

export const CHANGES_CHANNEL = 'customer-cards-changes';
const BATCH = 500;

export interface PendingUpdate {
  seq: number;
  cardId: string;
  update: Uint8Array;
}

export interface RemoteUpdate {
  cardId: string;
  update: Uint8Array;
  serverSeq?: number;
  /**
   * The server's index row for exactly this state (checked: same id, same row version). A card
   * new to this device is then stored without building its Y.Doc: a first sync costs bytes.
   */
  row?: CardIndexRow;
  /** The card's whole stored state (DOCS), not a change to it (UPDATE). */
  whole?: boolean;
}

export interface CardStoreOptions {
  dbName?: string;
  actor: () => string;
  now?: () => number;
  newId?: () => string;
  /** For tests in Node: fake-indexeddb's factory and key range. */
  indexedDB?: IDBFactory;
  IDBKeyRange?: typeof IDBKeyRange;
}

export interface CardStore extends CardStoreApi {
  /**
   * Merges changes from the server. `knownNew`: the caller guarantees none of these cards is
   * stored here (a first sync into an empty store), so no local copy is looked up.
   */
  applyRemoteUpdates(updates: RemoteUpdate[], options?: { knownNew?: boolean }): Promise<void>;
  stateVectors(cardIds: string[]): Promise<Map<string, Uint8Array>>;
  takePending(limit: number): Promise<PendingUpdate[]>;
  ackPending(seqs: number[]): Promise<void>;
  /** See SyncStorage.refusePending: resend the whole state once for missing dependencies, else keep a record. */
  refusePending(seq: number, code: string, message: string): Promise<'retry' | 'dropped'>;
  refusedChanges(): Promise<RefusedChange[]>;
  /** Puts refused changes back into the outbox (all, or those at the given indexes); returns how many. */
  retryRefused(indexes?: number[]): Promise<number>;
  /**
   * Removes every card, state, outbox entry, refused change, cut-off and sync cursor of this
   * device (settings and the device id stay): what the user chooses when another account's
   * cards must not mix with the next one's.
   */
  forgetAllCards(): Promise<void>;
  /** Queues every card's whole state for the server (a reset server gets this device's cards back); returns how many. */
  queueWholeStates(): Promise<number>;
  pendingCount(): Promise<number>;
  importCards(seeds: CardSeed[]): Promise<Result<{ imported: number }>>;
  rebuildIndex(): Promise<number>;
  /** Brings every row's date- and settings-dependent fields (stage, overdue, class) up to date. */
  refreshRows(): Promise<void>;
  /** True while a first sync's cards are being written: work that reads every row should wait. */
  ingesting(): boolean;
  /** Waits until every write started by applyRemoteUpdates is stored (throws if one failed). */
  flushWrites(): Promise<void>;
  /** Recomputes the ABC class cut-offs from every card's 12-month purchases. */
  recomputeCutoffs(): Promise<void>;
  /** Rebuilds the index if it was built by another row version; true if it did. */
  ensureIndexVersion(): Promise<boolean>;
  prepareSearch(): void;
  getSetting<T>(key: string): Promise<T | undefined>;
  setSetting(key: string, value: unknown): Promise<void>;
  close(): void;
}

function storageError(error: unknown): AppError {
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

export function createCardStore(options: CardStoreOptions): CardStore {
  const db: CardsDatabase = openDatabase(options.dbName ?? 'customer-cards', options.indexedDB, options.IDBKeyRange);
  /** The same database with relaxed durability: for cards from the server and derived rows (db.ts). */
  const bulkDb: CardsDatabase = openDatabase(options.dbName ?? 'customer-cards', options.indexedDB, options.IDBKeyRange, 'relaxed');
  const now = options.now ?? (() => Date.now());
  const newId = options.newId ?? (() => crypto.randomUUID());
  const listeners = new Set<(ids: string[]) => void>();
  const channel = typeof BroadcastChannel === 'undefined' ? undefined : new BroadcastChannel(CHANGES_CHANNEL);
  let clientIdPromise: Promise<number> | undefined;
  /** The classification settings this context derives with (kept current from the settings). */
  let classification: ClassificationSettings = DEFAULT_CLASSIFICATION;
  const classificationLoaded = db.meta.get('setting:classification').then((row) => {
    classification = normaliseClassification(row?.value as Parameters<typeof normaliseClassification>[0]);
  }).catch(() => undefined);

  /** ABC cut-offs over every card's 12-month purchases (meta 'abcCutoffs'); rows get their class from them on read. */
  let cutoffs: AbcCutoffs | undefined;
  const cutoffsLoaded = loadCutoffs();
  function loadCutoffs(): Promise<void> {
    return db.meta.get('abcCutoffs').then((row) => {
      cutoffs = row?.value as AbcCutoffs | undefined;
    }).catch(() => undefined);
  }
  /** A row with its class as of the current cut-offs (rows are not rewritten when classes move). */
  function withClass(row: CardIndexRow): CardIndexRow;
  function withClass(row: CardIndexRow | undefined): CardIndexRow | undefined;
  function withClass(row: CardIndexRow | undefined): CardIndexRow | undefined {
    if (!row || !cutoffs) return row;
    const abcDerived = classByCutoffs(row.purchases12m ?? 0, cutoffs);
    return { ...row, abcDerived, abc: row.abcOverride || abcDerived };
  }

  channel?.addEventListener('message', (event: MessageEvent<unknown>) => {
    const data = event.data as { ids?: unknown; setting?: unknown } | null;
    if (data?.setting === 'abcCutoffs') void loadCutoffs().then(() => notifyLocal([]));
    if (data?.setting === 'packRows') rowsReadyPromise = undefined;
    if (data?.setting === 'classification') void db.meta.get('setting:classification').then((row) => {
      classification = normaliseClassification(row?.value as Parameters<typeof normaliseClassification>[0]);
    });
    if (data && Array.isArray(data.ids)) notifyLocal(data.ids.filter((id): id is string => typeof id === 'string'));
  });

  function notifyLocal(ids: string[]): void {
    for (const listener of listeners) listener(ids);
  }

  function announce(ids: string[]): void {
    if (ids.length === 0) return;
    notifyLocal(ids);
    channel?.postMessage({ ids });
  }

  /**
   * A first sync stores its rows a pack at a time in `packRows` (db.ts); they are moved into
   * `cards` afterwards. Every reader of rows waits for that, moving them itself if it finds any,
   * so no reader ever misses a card. Checked once per context, and again whenever a context
   * writes new packs (it says so on the channel).
   */
  let rowsReadyPromise: Promise<void> | undefined;
  function rowsReady(): Promise<void> {
    rowsReadyPromise ??= moveRowsIntoCards().catch((error: unknown) => {
      rowsReadyPromise = undefined;
      console.warn('customer-cards: could not move a first sync\'s rows into the index yet', error);
    });
    return rowsReadyPromise;
  }
  async function moveRowsIntoCards(): Promise<void> {
    if ((await db.packRows.count()) === 0) return;
    const moved: string[] = [];
    for (let ids = await unpackRows(bulkDb); ids !== undefined; ids = await unpackRows(bulkDb)) moved.push(...ids);
    announce(moved);
  }

  /** The device's stable Yjs client id, created once per profile. */
  function deviceClientId(): Promise<number> {
    clientIdPromise ??= db.transaction('rw', db.meta, async () => {
      const row = await db.meta.get('clientId');
      if (typeof row?.value === 'number') return row.value;
      const id = randomClientId();
      await db.meta.put({ key: 'clientId', value: id });
      return id;
    });
    return clientIdPromise;
  }

  function loadDoc(row: DocRow | undefined): Y.Doc {
    const doc = new Y.Doc({ gc: true });
    if (row) Y.applyUpdate(doc, row.state);
    return doc;
  }

  /** Runs one mutation on a doc loaded from `row`; returns what to write, or the error. */
  function runMutation(row: DocRow | undefined, cardId: string, mutation: Mutation, clientId: number, ctx: MutationContext) {
    const doc = loadDoc(row);
    // Set after loading: Yjs renews a client id it sees in a remote (loading) transaction.
    doc.clientID = clientId;
    const before = Y.encodeStateVector(doc);
    const result = applyMutation(doc, mutation, ctx, cardId);
    if (!result.ok) {
      doc.destroy();
      return { done: false, result } as const;
    }
    const update = Y.encodeStateAsUpdate(doc, before);
    const state = Y.encodeStateAsUpdate(doc);
    const view = readCard(doc, cardId);
    doc.destroy();
    return { done: true, result, update, state, view } as const;
  }

  async function mutate(mutation: Mutation): Promise<Result<{ cardId: string }>> {
    if (mutation === null || typeof mutation !== 'object' || typeof (mutation as { type?: unknown }).type !== 'string') {
      return fail('invalid-value', 'Not a mutation');
    }
    const cardId = mutation.type === 'card-create' ? newId() : mutation.cardId;
    if (typeof cardId !== 'string' || cardId.length === 0 || cardId.length > 100) return fail('unknown-card', 'No customer card with that id', 'cardId');
    const clientId = await deviceClientId();
    await classificationLoaded;
    await cutoffsLoaded;
    const ctx: MutationContext = { actor: options.actor(), now: now(), newId };
    try {
      const result = await db.transaction('rw', [db.docs, db.packs, db.cards, db.pending], async () => {
        const [row] = await readStates(db, [cardId]);
        const outcome = runMutation(row, cardId, mutation, clientId, ctx);
        if (!outcome.done) return outcome.result;
        // The server takes no card over this size; refuse here, where the user sees why.
        if (outcome.state.byteLength > LIMITS.maxCardBytes && outcome.state.byteLength > (row?.state.byteLength ?? 0)) {
          const max = Math.round(LIMITS.maxCardBytes / 1024);
          return fail('card-full', `This card is full (at most ${max} KB); nothing was saved`, undefined, { max });
        }
        if (outcome.update.byteLength > 2) {
          const previous = await db.cards.get(cardId);
          await db.docs.put({ id: cardId, state: outcome.state, seq: row?.seq ?? 0 });
          const built = buildIndexRow(outcome.view, ctx.now, { abcDerived: previous?.abcDerived ?? '', stage: classification.stage });
          await db.cards.put(withClass(built));
          await db.pending.add({ cardId, update: outcome.update, createdAt: ctx.now });
        }
        return outcome.result;
      });
      // An order moves the card's 12-month purchases and so, maybe, the class cut-offs.
      if (result.ok && mutation.type === 'ledger-add') await recomputeCutoffs();
      if (result.ok) announce([cardId]);
      return result;
    } catch (error) {
      return storageError(error);
    }
  }

  async function getCard(cardId: string): Promise<CardView | undefined> {
    const [row] = await readStates(db, [cardId]);
    if (!row) return undefined;
    const doc = loadDoc(row);
    const view = readCard(doc, cardId);
    doc.destroy();
    return view.fields.name ? view : undefined;
  }

  function newest(rows: CardIndexRow[]): CardIndexRow | undefined {
    return withClass(rows.filter((row) => row.name).sort((a, b) => b.updatedAt - a.updatedAt)[0]);
  }

  async function matchSender(rawEmail: string): Promise<CardIndexRow | undefined> {
    await cutoffsLoaded;
    await rowsReady();
    const email = normalizeEmail(rawEmail);
    if (!email.includes('@')) return undefined;
    const byEmail = newest(await db.cards.where('emails').equals(email).toArray());
    if (byEmail) return byEmail;
    let domain = domainOf(email);
    // mail.acme.com also matches acme.com; never a free-mail domain at any level.
    while (domain.includes('.')) {
      if (isFreeMailDomain(domain)) return undefined;
      const byDomain = newest(await db.cards.where('domains').equals(domain).toArray());
      if (byDomain) return byDomain;
      domain = domain.slice(domain.indexOf('.') + 1);
      if (!domain.includes('.')) break;
    }
    return undefined;
  }

  /** The context's search index, loaded from the index rows on first use, then kept current. */
  let searchIndex: Promise<SearchIndex> | undefined;
  const staleIds = new Set<string>();
  function loadSearchIndex(): Promise<SearchIndex> {
    searchIndex ??= (async () => {
      await rowsReady();
      const index = createSearchIndex();
      staleIds.clear();
      await db.cards.each((row) => index.set(row.id, termsOf(row), row.sortKey));
      return index;
    })();
    return searchIndex;
  }
  listeners.add((ids) => {
    if (searchIndex) for (const id of ids) staleIds.add(id);
  });

  async function search(query: string, limit = 20): Promise<CardIndexRow[]> {
    const terms = queryTerms(query).slice(0, 8);
    if (terms.length === 0) return [];
    await cutoffsLoaded;
    const index = await loadSearchIndex();
    if (staleIds.size > 0) {
      const ids = [...staleIds];
      staleIds.clear();
      const rows = await db.cards.bulkGet(ids);
      rows.forEach((row, i) => index.set(ids[i]!, row ? termsOf(row) : undefined, row?.sortKey));
    }
    // Rank every match in memory (exact name, prefix, contains, other; then by name) and read
    // only the rows shown: a common word can match thousands of cards.
    const needle = query.trim().toLowerCase();
    const rank = (key: string) => (key === needle ? 0 : key.startsWith(needle) ? 1 : key.includes(needle) ? 2 : 3);
    const best: { id: string; rank: number; key: string }[] = [];
    const before = (a: { rank: number; key: string }, b: { rank: number; key: string }) => a.rank - b.rank || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
    for (const id of index.query(terms)) {
      const key = index.sortKey(id);
      const entry = { id, rank: rank(key), key };
      if (best.length === limit && before(entry, best[limit - 1]!) >= 0) continue;
      let at = best.length;
      while (at > 0 && before(entry, best[at - 1]!) < 0) at--;
      best.splice(at, 0, entry);
      if (best.length > limit) best.pop();
    }
    const rows = await db.cards.bulkGet(best.map((entry) => entry.id));
    return rows.filter((row): row is CardIndexRow => row !== undefined).map((row) => withClass(row));
  }

  /** Loads the search index ahead of the first query (call when a search box gets focus). */
  function prepareSearch(): void {
    void loadSearchIndex();
  }

  async function listCards(list: ListOptions = {}): Promise<CardIndexRow[]> {
    await cutoffsLoaded;
    await rowsReady();
    return (await listRows(list)).map((row) => withClass(row));
  }

  async function listRows(list: ListOptions): Promise<CardIndexRow[]> {
    const limit = list.limit ?? 100;
    const offset = list.offset ?? 0;
    switch (list.sort ?? 'name') {
      case 'updated':
        return db.cards.orderBy('updatedAt').reverse().offset(offset).limit(limit).toArray();
      case 'last-contact':
        return (await db.cards.toArray()).sort((a, b) => b.lastContact - a.lastContact).slice(offset, offset + limit);
      case 'next-due':
        return (await db.cards.toArray()).filter((row) => row.nextDue > 0).sort((a, b) => a.nextDue - b.nextDue).slice(offset, offset + limit);
      default:
        return db.cards.orderBy('sortKey').offset(offset).limit(limit).toArray();
    }
  }

  async function applyRemoteUpdates(updates: RemoteUpdate[], apply: { knownNew?: boolean } = {}): Promise<void> {
    await classificationLoaded;
    if (apply.knownNew && updates.every((u) => usableServerRow(u))) return storeNewCards(updates);
    let purchasesChanged = false;
    for (let start = 0; start < updates.length; start += BATCH) {
      const batch = updates.slice(start, start + BATCH);
      const changed: string[] = [];
      await bulkDb.transaction('rw', [bulkDb.docs, bulkDb.packs, bulkDb.cards], async () => {
        const ids = batch.map((u) => u.cardId);
        const rows = apply.knownNew ? [] : await readStates(bulkDb, ids);
        const indexRows = apply.knownNew ? [] : await bulkDb.cards.bulkGet(ids);
        const known = new Map(indexRows.filter((r): r is CardIndexRow => r !== undefined).map((r) => [r.id, r]));
        const byId = new Map<string, DocRow>();
        rows.forEach((row, i) => {
          if (row) byId.set(batch[i]!.cardId, row);
        });
        const docs: DocRow[] = [];
        const cards: CardIndexRow[] = [];
        const at = now();
        for (const { cardId, update, serverSeq, row: serverRow, whole } of batch) {
          const row = byId.get(cardId);
          const seq = Math.max(row?.seq ?? 0, serverSeq ?? 0);
          if (!row && serverRow && serverRow.id === cardId && serverRow.version === INDEX_ROW_VERSION) {
            // New to this device, with the server's row for these very bytes: no Y.Doc needed.
            const next: DocRow = { id: cardId, state: update.slice(), seq };
            byId.set(cardId, next);
            docs.push(next);
            cards.push(refreshRow(serverRow, at, { abcDerived: known.get(cardId)?.abcDerived ?? '', stage: classification.stage }));
            changed.push(cardId);
            continue;
          }
          const doc = loadDoc(row);
          if (!row) {
            Y.applyUpdate(doc, update, 'remote');
            // A card new to this device: a whole state (DOCS) is stored as the bytes it came as;
            // a change alone (UPDATE) never is — its doc's state keeps whatever it depends on.
            // Copy: the update is a view into the whole received frame, and IndexedDB would store all of it.
            const next: DocRow = { id: cardId, state: whole ? update.slice() : Y.encodeStateAsUpdate(doc), seq };
            byId.set(cardId, next);
            docs.push(next);
            cards.push(buildIndexRow(readCard(doc, cardId), at, { abcDerived: known.get(cardId)?.abcDerived ?? '', stage: classification.stage }));
            changed.push(cardId);
            doc.destroy();
            continue;
          }
          const before = Y.encodeStateVector(doc);
          Y.applyUpdate(doc, update, 'remote');
          const grew = !equalBytes(before, Y.encodeStateVector(doc));
          const next: DocRow = { id: cardId, state: grew ? Y.encodeStateAsUpdate(doc) : row.state, seq };
          byId.set(cardId, next);
          docs.push(next);
          if (grew) {
            cards.push(buildIndexRow(readCard(doc, cardId), at, { abcDerived: known.get(cardId)?.abcDerived ?? '', stage: classification.stage }));
            changed.push(cardId);
          }
          doc.destroy();
        }
        await bulkDb.docs.bulkPut(docs);
        if (cards.length > 0) await bulkDb.cards.bulkPut(cards);
        if (cards.some((row) => row.purchases12m !== (known.get(row.id)?.purchases12m ?? 0))) purchasesChanged = true;
      });
      announce([...new Set(changed)]);
    }
    if (purchasesChanged) scheduleRecompute();
  }

  function usableServerRow(update: RemoteUpdate): boolean {
    return update.row !== undefined && update.row.id === update.cardId && update.row.version === INDEX_ROW_VERSION;
  }

  /**
   * Cards new to this device, each with the server's row for exactly its state: stored as they
   * came (bytes and row, brought up to today), without a Y.Doc and without reading anything.
   */
  async function storeNewCards(updates: RemoteUpdate[]): Promise<void> {
    const at = now();
    const pack = makePack(updates.map((u) => ({ cardId: u.cardId, state: u.update, seq: u.serverSeq ?? 0 })));
    const cards = updates.map((u) => refreshRow(u.row!, at, { stage: classification.stage }));
    // Not awaited: the next batch is prepared while this one is written (IndexedDB keeps the
    // order of transactions); flushWrites() waits for all of them before the cursor moves.
    inFlightPacks++;
    const written = putPackRaw(bulkDb, pack, cards)
      .then(() => {
        // Readers here and in other contexts must move these rows into `cards` before reading.
        rowsReadyPromise = undefined;
        channel?.postMessage({ ids: [], setting: 'packRows' });
        announceSoon(pack.cardIds);
      })
      .finally(() => inFlightPacks--);
    written.catch(() => undefined);
    unflushed = unflushed.then(() => written);
  }

  /**
   * A first sync's cards are announced once a second, not per batch: every announcement makes
   * listeners in every context read (the outbox, settings), competing with the writes.
   */
  let inFlightPacks = 0;
  let toAnnounce: string[] = [];
  let announceTimer: ReturnType<typeof setTimeout> | undefined;
  function announceSoon(ids: string[]): void {
    toAnnounce.push(...ids);
    announceTimer ??= setTimeout(announceNow, 1_000);
  }
  function announceNow(): void {
    if (announceTimer) clearTimeout(announceTimer);
    announceTimer = undefined;
    const ids = toAnnounce;
    toAnnounce = [];
    announce(ids);
    scheduleRecompute();
  }

  /** Whether a first sync's writes are under way (readers of every row had better wait). */
  function ingesting(): boolean {
    return inFlightPacks > 0 || toAnnounce.length > 0;
  }

  /** Resolves when every pipelined first-sync write is stored; rejects if one failed. */
  let unflushed: Promise<void> = Promise.resolve();
  async function flushWrites(): Promise<void> {
    const current = unflushed;
    unflushed = Promise.resolve();
    await current;
    if (toAnnounce.length > 0) announceNow();
  }

  /** Remote changes arrive in batches (a first sync: dozens of them): recompute classes once after. */
  let recomputeTimer: ReturnType<typeof setTimeout> | undefined;
  function scheduleRecompute(): void {
    if (recomputeTimer) clearTimeout(recomputeTimer);
    recomputeTimer = setTimeout(() => {
      recomputeTimer = undefined;
      if (ingesting()) return scheduleRecompute();
      void recomputeCutoffs().catch(() => undefined);
    }, 500);
  }

  /**
   * ABC classes are relative to every card the user holds. They are kept as amount cut-offs
   * computed from the 12-month-purchases index keys (no row is read or rewritten), and applied
   * to rows as they are read.
   */
  async function recomputeCutoffs(): Promise<void> {
    await classificationLoaded;
    await rowsReady();
    const amounts = (await db.cards.orderBy('purchases12m').keys()) as number[];
    const next = abcCutoffs(amounts, classification.abc);
    if (cutoffs && next.aMin === cutoffs.aMin && next.bMin === cutoffs.bMin) return;
    cutoffs = next;
    await db.meta.put({ key: 'abcCutoffs', value: next });
    channel?.postMessage({ ids: [], setting: 'abcCutoffs' });
    notifyLocal([]);
  }

  /**
   * Brings every row up to date for today and the current settings from the rows alone (no
   * Y.Doc): 12-month purchases, stage and overdue amounts move with the date. Writes only the
   * rows whose values changed, then the class cut-offs.
   */
  async function refreshRows(): Promise<void> {
    await classificationLoaded;
    await rowsReady();
    const changed: string[] = [];
    const at = now();
    await bulkDb.transaction('rw', bulkDb.cards, async () => {
      const rows = await bulkDb.cards.toArray();
      const updates: CardIndexRow[] = [];
      for (const row of rows) {
        const next = refreshRow(row, at, { stage: classification.stage });
        if (sameDerived(row, next)) continue;
        updates.push(next);
        changed.push(row.id);
      }
      if (updates.length > 0) await bulkDb.cards.bulkPut(updates);
    });
    if (changed.length > 0) announce(changed);
    await recomputeCutoffs();
  }

  async function ensureIndexVersion(): Promise<boolean> {
    const stored = (await db.meta.get('indexVersion'))?.value;
    if (stored === INDEX_ROW_VERSION) return false;
    const count = (await db.docs.count()) + (await db.packs.count());
    if (count > 0) await rebuildIndex();
    await db.meta.put({ key: 'indexVersion', value: INDEX_ROW_VERSION });
    return count > 0;
  }

  async function stateVectors(cardIds: string[]): Promise<Map<string, Uint8Array>> {
    const rows = await readStates(db, cardIds);
    const out = new Map<string, Uint8Array>();
    rows.forEach((row) => {
      if (row) out.set(row.id, Y.encodeStateVectorFromUpdate(row.state));
    });
    return out;
  }

  async function takePending(limit: number): Promise<PendingUpdate[]> {
    const rows = await db.pending.orderBy('seq').limit(limit).toArray();
    return rows.map((row) => ({ seq: row.seq!, cardId: row.cardId, update: row.update }));
  }

  const MAX_REFUSED = 200;

  async function refusePending(seq: number, code: string, message: string): Promise<'retry' | 'dropped'> {
    const outcome = await db.transaction('rw', [db.pending, db.docs, db.packs, db.meta], async () => {
      const row = await db.pending.get(seq);
      if (!row) return 'dropped' as const;
      if (code === 'missing-dependencies' && !row.whole) {
        const [stored] = await readStates(db, [row.cardId]);
        if (stored) {
          await db.pending.put({ ...row, update: stored.state, whole: true });
          return 'retry' as const;
        }
      }
      const kept = ((await db.meta.get('refusedChanges'))?.value as RefusedChange[] | undefined) ?? [];
      kept.push({ cardId: row.cardId, code, message, at: now(), update: row.update });
      await db.meta.put({ key: 'refusedChanges', value: kept.slice(-MAX_REFUSED) });
      await db.pending.delete(seq);
      return 'dropped' as const;
    });
    if (outcome === 'dropped') console.warn(`customer-cards: the server refused local change #${seq}: ${code}: ${message}`);
    return outcome;
  }

  async function retryRefused(indexes?: number[]): Promise<number> {
    const moved = await db.transaction('rw', [db.pending, db.meta], async () => {
      const kept = ((await db.meta.get('refusedChanges'))?.value as RefusedChange[] | undefined) ?? [];
      const chosen = new Set(indexes ?? kept.map((_, i) => i));
      const retry = kept.filter((_, i) => chosen.has(i));
      await db.pending.bulkAdd(retry.map((change) => ({ cardId: change.cardId, update: change.update, createdAt: now() })));
      await db.meta.put({ key: 'refusedChanges', value: kept.filter((_, i) => !chosen.has(i)) });
      return retry.length;
    });
    if (moved > 0) announce([]);
    return moved;
  }

  async function forgetAllCards(): Promise<void> {
    await db.transaction('rw', [db.cards, db.docs, db.packs, db.packRows, db.pending, db.meta], async () => {
      await Promise.all([db.cards.clear(), db.docs.clear(), db.packs.clear(), db.packRows.clear(), db.pending.clear()]);
      await db.meta.bulkDelete(['abcCutoffs', 'refusedChanges', 'setting:syncCursor', 'setting:syncIdentity']);
    });
    cutoffs = undefined;
    searchIndex = undefined;
    announce([]);
    channel?.postMessage({ ids: [], setting: 'abcCutoffs' });
  }

  async function queueWholeStates(): Promise<number> {
    let queued = 0;
    await db.transaction('rw', [db.docs, db.packs, db.pending], async () => {
      const states = new Map<string, Uint8Array>();
      await db.packs.each((pack) => pack.cardIds.forEach((_, i) => {
        const entry = packEntry(pack, i);
        states.set(entry.id, entry.state);
      }));
      await db.docs.each((row) => void states.set(row.id, row.state));
      const at = now();
      await db.pending.bulkAdd([...states].map(([cardId, update]) => ({ cardId, update, createdAt: at, whole: true })));
      queued = states.size;
    });
    if (queued > 0) announce([]);
    return queued;
  }

  async function importCards(seeds: CardSeed[]): Promise<Result<{ imported: number }>> {
    const clientId = await deviceClientId();
    await classificationLoaded;
    let imported = 0;
    try {
      for (let start = 0; start < seeds.length; start += BATCH) {
        const batch = seeds.slice(start, start + BATCH);
        const ids: string[] = [];
        const failure = await db.transaction('rw', [db.docs, db.cards, db.pending], async () => {
          const docs: DocRow[] = [];
          const cards: CardIndexRow[] = [];
          const pending: { cardId: string; update: Uint8Array; createdAt: number }[] = [];
          for (const seed of batch) {
            const cardId = newId();
            const at = seed.at ?? now();
            const ctx: MutationContext = { actor: seed.actor ?? options.actor(), now: at, newId };
            const doc = new Y.Doc({ gc: true });
            doc.clientID = clientId;
            const created = applyMutation(doc, seed.create, ctx, cardId);
            if (!created.ok) return { ...created, message: `Card "${seed.create.name}": ${created.message}` };
            for (const step of seed.steps ?? []) {
              const stepAt = 'at' in step && typeof step.at === 'number' ? step.at : 'date' in step && typeof step.date === 'number' ? step.date : at;
              const result = applyMutation(doc, { ...step, cardId } as Mutation, { ...ctx, now: stepAt }, cardId);
              if (!result.ok) return { ...result, message: `Card "${seed.create.name}": ${result.message}` };
            }
            const state = Y.encodeStateAsUpdate(doc);
            docs.push({ id: cardId, state, seq: 0 });
            cards.push(buildIndexRow(readCard(doc, cardId), at, { stage: classification.stage }));
            pending.push({ cardId, update: state, createdAt: at });
            ids.push(cardId);
            doc.destroy();
          }
          await db.docs.bulkAdd(docs);
          await db.cards.bulkAdd(cards);
          await db.pending.bulkAdd(pending);
          return undefined;
        });
        if (failure) return failure;
        imported += ids.length;
        announce(ids);
      }
      await refreshRows();
      return ok({ imported });
    } catch (error) {
      return storageError(error);
    }
  }

  async function rebuildIndex(): Promise<number> {
    await classificationLoaded;
    await rowsReady();
    const at = now();
    const build = (row: DocRow) => {
      const doc = loadDoc(row);
      const index = buildIndexRow(readCard(doc, row.id), at, { stage: classification.stage });
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
    // The rows were just built for today and the current settings: only the classes remain.
    await recomputeCutoffs();
    announce([]);
    return count;
  }


  return {
    mutate,
    getCard,
    getIndexRow: async (cardId) => {
      await cutoffsLoaded;
      await rowsReady();
      return withClass(await db.cards.get(cardId));
    },
    matchSender,
    search,
    prepareSearch,
    listCards,
    countCards: async () => {
      await rowsReady();
      return db.cards.count();
    },
    onChange(callback) {
      listeners.add(callback);
      return () => listeners.delete(callback);
    },
    applyRemoteUpdates,
    stateVectors,
    takePending,
    ackPending: async (seqs) => {
      await db.pending.bulkDelete(seqs);
    },
    pendingCount: () => db.pending.count(),
    refusePending,
    refusedChanges: async () => ((await db.meta.get('refusedChanges'))?.value as RefusedChange[] | undefined) ?? [],
    retryRefused,
    forgetAllCards,
    queueWholeStates,
    importCards,
    rebuildIndex,
    refreshRows,
    recomputeCutoffs,
    flushWrites,
    ingesting,
    ensureIndexVersion,
    async getSetting<T>(key: string) {
      return (await db.meta.get(`setting:${key}`))?.value as T | undefined;
    },
    async setSetting(key, value) {
      await db.meta.put({ key: `setting:${key}`, value });
      if (key === 'classification') classification = normaliseClassification(value as Parameters<typeof normaliseClassification>[0]);
      announce([]);
      channel?.postMessage({ ids: [], setting: key });
    },
    close() {
      if (recomputeTimer) clearTimeout(recomputeTimer);
      if (announceTimer) clearTimeout(announceTimer);
      channel?.close();
      listeners.clear();
      db.close();
      bulkDb.close();
    },
  };
}

/** Whether two rows of a card agree on every date- and settings-dependent value. */
function sameDerived(a: CardIndexRow, b: CardIndexRow): boolean {
  return a.purchases12m === b.purchases12m && a.stage === b.stage && a.nextDue === b.nextDue && a.overdue === b.overdue;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}
