/**
 * Storing what the server sends. Changes are merged into each card's stored state (building a
 * Y.Doc only for cards this device holds, or whose server row cannot be used). A first sync into
 * an empty store is written past Dexie as packs of states with their rows beside them (db.ts),
 * pipelined: the next batch is prepared while one commits, and `flushWrites` waits for all of
 * them before the sync cursor may move.
 */
import * as Y from 'yjs';
import type { CardIndexRow } from '../../shared/card-types.ts';
import { readCard } from '../../shared/card-read.ts';
import { buildIndexRow, INDEX_ROW_VERSION, refreshRow } from '../../shared/index-row.ts';
import { makePack, putPackRaw, readStates, type DocRow } from './db.ts';
import type { IndexUpkeep } from './index-upkeep.ts';
import { BATCH, type StoreContext } from './store-context.ts';

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

export interface RemoteIngest {
  /**
   * Merges changes from the server. `knownNew`: the caller guarantees none of these cards is
   * stored here (a first sync into an empty store), so no local copy is looked up.
   */
  applyRemoteUpdates(updates: RemoteUpdate[], options?: { knownNew?: boolean }): Promise<void>;
  /** Waits until every write started by applyRemoteUpdates is stored (throws if one failed). */
  flushWrites(): Promise<void>;
  /** True while a first sync's cards are being written: work that reads every row should wait. */
  ingesting(): boolean;
  stateVectors(cardIds: string[]): Promise<Map<string, Uint8Array>>;
  close(): void;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

function usableServerRow(update: RemoteUpdate): boolean {
  return update.row !== undefined && update.row.id === update.cardId && update.row.version === INDEX_ROW_VERSION;
}

/** `upkeep()`: the index upkeep, for a class recompute after changes that move purchases. */
export function createRemoteIngest(ctx: StoreContext, upkeep: () => IndexUpkeep): RemoteIngest {
  const { db, bulkDb } = ctx;

  async function applyRemoteUpdates(updates: RemoteUpdate[], apply: { knownNew?: boolean } = {}): Promise<void> {
    await ctx.classificationLoaded;
    if (apply.knownNew && updates.every((u) => usableServerRow(u))) return storeNewCards(updates);
    const stage = ctx.classification().stage;
    let purchasesChanged = false;
    // Rows built here before pinyin-pro was loaded in this context get their terms just after.
    const withoutPinyin: string[] = [];
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
        const at = ctx.now();
        for (const { cardId, update, serverSeq, row: serverRow, whole } of batch) {
          const row = byId.get(cardId);
          const seq = Math.max(row?.seq ?? 0, serverSeq ?? 0);
          const extras = { abcDerived: known.get(cardId)?.abcDerived ?? '', stage };
          if (!row && serverRow && serverRow.id === cardId && serverRow.version === INDEX_ROW_VERSION) {
            // New to this device, with the server's row for these very bytes: no Y.Doc needed.
            const next: DocRow = { id: cardId, state: update.slice(), seq };
            byId.set(cardId, next);
            docs.push(next);
            cards.push(refreshRow(serverRow, at, extras));
            changed.push(cardId);
            continue;
          }
          const doc = ctx.loadDoc(row);
          if (!row) {
            Y.applyUpdate(doc, update, 'remote');
            // A card new to this device: a whole state (DOCS) is stored as the bytes it came as;
            // a change alone (UPDATE) never is — its doc's state keeps whatever it depends on.
            // Copy: the update is a view into the whole received frame, and IndexedDB would store all of it.
            const next: DocRow = { id: cardId, state: whole ? update.slice() : Y.encodeStateAsUpdate(doc), seq };
            byId.set(cardId, next);
            docs.push(next);
            cards.push(buildIndexRow(readCard(doc, cardId), at, extras));
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
            cards.push(buildIndexRow(readCard(doc, cardId), at, extras));
            changed.push(cardId);
          }
          doc.destroy();
        }
        await bulkDb.docs.bulkPut(docs);
        if (cards.length > 0) await bulkDb.cards.bulkPut(cards);
        for (const card of cards) if (card.pinyin === '' && card.pinyinSource !== '') withoutPinyin.push(card.id);
        if (cards.some((row) => row.purchases12m !== (known.get(row.id)?.purchases12m ?? 0))) purchasesChanged = true;
      });
      ctx.announce([...new Set(changed)]);
    }
    if (purchasesChanged) upkeep().scheduleRecompute();
    upkeep().schedulePinyin(withoutPinyin);
  }

  /**
   * Cards new to this device, each with the server's row for exactly its state: stored as they
   * came (bytes and row, brought up to today), without a Y.Doc and without reading anything.
   */
  async function storeNewCards(updates: RemoteUpdate[]): Promise<void> {
    const at = ctx.now();
    const stage = ctx.classification().stage;
    const pack = makePack(updates.map((u) => ({ cardId: u.cardId, state: u.update, seq: u.serverSeq ?? 0 })));
    const rows = updates.map((u) => refreshRow(u.row!, at, { stage }));
    // The server's rows come with their pinyin terms; one from a server without the converter would not.
    for (const row of rows) if (row.pinyin === '' && row.pinyinSource !== '') packWithoutPinyin.push(row.id);
    // Not awaited: the next batch is prepared while this one is written (IndexedDB keeps the
    // order of transactions); flushWrites() waits for all of them before the cursor moves.
    inFlightPacks++;
    const written = putPackRaw(bulkDb, pack, rows)
      .then(() => {
        // Readers read the rows where they are (row-reads.ts) until they are moved.
        upkeep().scheduleMove();
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
  let packWithoutPinyin: string[] = [];
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
    ctx.announce(ids);
    upkeep().scheduleRecompute();
    upkeep().schedulePinyin(packWithoutPinyin);
    packWithoutPinyin = [];
  }

  /** Resolves when every pipelined first-sync write is stored; rejects if one failed. */
  let unflushed: Promise<void> = Promise.resolve();
  async function flushWrites(): Promise<void> {
    const current = unflushed;
    unflushed = Promise.resolve();
    await current;
    if (toAnnounce.length > 0) announceNow();
  }

  async function stateVectors(cardIds: string[]): Promise<Map<string, Uint8Array>> {
    const rows = await readStates(db, cardIds);
    const out = new Map<string, Uint8Array>();
    rows.forEach((row) => {
      if (row) out.set(row.id, Y.encodeStateVectorFromUpdate(row.state));
    });
    return out;
  }

  return {
    applyRemoteUpdates,
    flushWrites,
    ingesting: () => inFlightPacks > 0 || toAnnounce.length > 0,
    stateVectors,
    close() {
      if (announceTimer) clearTimeout(announceTimer);
    },
  };
}
