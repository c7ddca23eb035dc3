/**
 * Full backup and restore of the local store. A backup holds every card the user holds as its
 * whole Yjs state (fields, people, timeline, ledger and every change record, exactly), and the
 * user's settings including reminders' snooze state, but never the sync connection (server,
 * token, cursor): a backup file is not a credential. Restoring merges each card's state into
 * what is stored (a CRDT merge: restoring twice changes nothing) and reports how many cards were
 * new, merged or unchanged; into an empty profile it gives back identical cards. Restored and
 * merged cards go to the outbox like local edits (new ones a pack per batch, outbox-packs.ts),
 * so the server gets whatever it lacks.
 * A restore of up to 20,000 cards is one transaction (all or nothing): which cards are held is
 * read from keys alone, held ones are merged, and new ones are written slice by slice while the
 * next slice's index rows are built (queued-writes.ts).
 */
import * as Y from 'yjs';
import type { Backup, BackupCard } from '../../shared/backup/backup-format.ts';
import type { CardIndexRow } from '../../shared/card-types.ts';
import { readCard } from '../../shared/card-read.ts';
import { ok, type Result } from '../../shared/errors.ts';
import { buildIndexRow } from '../../shared/index-row.ts';
import { ensurePinyin } from '../../shared/pinyin.ts';
import { rowOfState, type RowContext } from '../../shared/backup/restore-rows.ts';
import { makePack, readAllStates, readStates, storedCardIds, type DocRow, type PendingRow } from './db.ts';
import { packNewCards, reservePackKeys } from './new-card-packs.ts';
import { queueWrites } from './queued-writes.ts';
import { storageError, type StoreContext } from './store-context.ts';
import type { IndexUpkeep } from './index-upkeep.ts';

/** Settings that belong to this device's sync connection, never written to a backup. */
const NOT_BACKED_UP = /sync|token|cursor|identity|rowsRefreshed|userName|refused|packRows/i;

export interface RestoreReport {
  new: number;
  merged: number;
  unchanged: number;
  settings: number;
}

/**
 * Index rows of a restore's new cards built on another thread, from the end of the list back,
 * while the store builds from the front and writes: the store takes a row by its index when it
 * is there, else builds it itself (it never waits).
 */
export interface PrebuiltRows {
  start(cards: readonly BackupCard[], context: RowContext): void;
  take(index: number): CardIndexRow | undefined;
  stop(): void;
}

export interface RestoreOptions {
  /** Builds new cards' rows elsewhere (the transfer page's file worker) while the store writes. */
  prebuilt?: PrebuiltRows;
}

export interface BackupOps {
  createBackup(onProgress?: (done: number, total: number) => void): Promise<Backup>;
  restoreBackup(backup: Backup, onProgress?: (done: number, total: number) => void, options?: RestoreOptions): Promise<Result<RestoreReport>>;
}

const SNOOZES = 'snoozes';
/** Cards per restore transaction: a backup of this many is restored all at once. */
const SEGMENT = 20_000;
/** Held cards merged per batch of reads (each merge decodes two states). */
const MERGE_BATCH = 200;
/** The page's work between two turns of its event loop while a restore writes. */
const SLICE_MS = 30;
/** New cards from which another thread helps build their rows (below, starting it costs more). */
const PREBUILT_FROM = 500;

interface RestoreAt {
  clientId: number;
  now: number;
  stage: ReturnType<StoreContext['classification']>['stage'];
}

/** One entry per card: a card listed twice (a hand-joined file) is restored as both merged. */
function uniqueCards(cards: readonly BackupCard[]): BackupCard[] {
  const byId = new Map<string, BackupCard>();
  for (const card of cards) {
    const held = byId.get(card.id);
    byId.set(card.id, held ? { ...held, state: Y.mergeUpdates([held.state, card.state]) } : card);
  }
  return [...byId.values()];
}

export function createBackupOps(ctx: StoreContext, upkeep: IndexUpkeep): BackupOps {
  const { db } = ctx;

  /** Every stored state (readAllStates: each pack read once). */
  async function createBackup(onProgress?: (done: number, total: number) => void): Promise<Backup> {
    const total = await ctx.rows.count();
    onProgress?.(0, total);
    const states = await readAllStates(db);
    onProgress?.(states.size, total);
    const cards: Backup['cards'] = [...states].map(([id, state]) => ({ id, state }));
    const settings: Record<string, unknown> = {};
    for (const row of await db.meta.where('key').startsWith('setting:').toArray()) {
      const key = row.key.slice('setting:'.length);
      if (!NOT_BACKED_UP.test(key)) settings[key] = row.value;
    }
    return { createdAt: ctx.now(), source: 'extension', cards, settings };
  }

  async function restoreSettings(settings: Record<string, unknown>, emptyBefore: boolean): Promise<number> {
    let restored = 0;
    for (const [key, value] of Object.entries(settings)) {
      if (NOT_BACKED_UP.test(key)) continue;
      const held = (await db.meta.get(`setting:${key}`))?.value;
      let next: unknown;
      if (key === SNOOZES && held && typeof held === 'object' && value && typeof value === 'object') {
        // Snoozes merge: an item stays snoozed until the later of the two dates.
        const merged: Record<string, number> = { ...(held as Record<string, number>) };
        for (const [item, until] of Object.entries(value as Record<string, number>)) if (typeof until === 'number') merged[item] = Math.max(merged[item] ?? 0, until);
        next = merged;
      } else if (emptyBefore || held === undefined) next = value;
      else continue;
      if (JSON.stringify(next) === JSON.stringify(held)) continue;
      await db.meta.put({ key: `setting:${key}`, value: next });
      if (key === 'classification') ctx.setClassification(next);
      restored++;
    }
    return restored;
  }

  /**
   * Cards this device holds already: each merged with the backup's state inside the caller's
   * transaction, a batch at a time; counts each as merged or unchanged (or new, if it had no
   * state after all). Returns the ids whose state changed.
   */
  async function mergeHeld(cards: readonly BackupCard[], report: RestoreReport, at: RestoreAt): Promise<string[]> {
    const changed: string[] = [];
    for (let start = 0; start < cards.length; start += MERGE_BATCH) {
      const chunk = cards.slice(start, start + MERGE_BATCH);
      const ids = chunk.map((card) => card.id);
      const held = await readStates(db, ids);
      const previous = await db.cards.bulkGet(ids);
      const rows: CardIndexRow[] = [];
      const docs: DocRow[] = [];
      const pending: PendingRow[] = [];
      const fresh: { cardId: string; state: Uint8Array; seq: number }[] = [];
      for (let i = 0; i < chunk.length; i++) {
        const card = chunk[i]!;
        const stored = held[i];
        const doc = ctx.loadDoc(stored ?? { id: card.id, state: card.state, seq: 0 });
        doc.clientID = at.clientId;
        if (!stored) {
          fresh.push({ cardId: card.id, state: card.state, seq: 0 });
          pending.push({ cardId: card.id, update: card.state, createdAt: at.now });
        } else {
          const before = Y.snapshot(doc);
          const vector = Y.encodeStateVector(doc);
          Y.applyUpdate(doc, card.state);
          if (Y.equalSnapshots(before, Y.snapshot(doc))) {
            report.unchanged++;
            doc.destroy();
            continue;
          }
          docs.push({ id: card.id, state: Y.encodeStateAsUpdate(doc), seq: stored.seq });
          pending.push({ cardId: card.id, update: Y.encodeStateAsUpdate(doc, vector), createdAt: at.now });
        }
        rows.push(ctx.withClass(buildIndexRow(readCard(doc, card.id), at.now, { abcDerived: previous[i]?.abcDerived ?? '', stage: at.stage })));
        changed.push(card.id);
        if (stored) report.merged++;
        else report.new++;
        doc.destroy();
      }
      if (fresh.length > 0) await db.packs.add(makePack(fresh));
      await db.docs.bulkPut(docs);
      await db.cards.bulkPut(rows);
      await db.pending.bulkAdd(pending);
    }
    return changed;
  }

  /**
   * Cards new here: stored exactly as backed up, like a first sync's cards: per batch a pack of
   * states, its index rows and an outbox pack (new-card-packs.ts); written slice by slice
   * while the next slice's rows are built (queued-writes.ts). The caller's transaction must
   * have made its last Dexie call but this one's.
   */
  async function storeNew(cards: readonly BackupCard[], report: RestoreReport, at: RestoreAt, progress: (done: number) => void, prebuilt?: PrebuiltRows): Promise<void> {
    const context: RowContext = { now: at.now, stage: at.stage };
    if (prebuilt && cards.length >= PREBUILT_FROM) prebuilt.start(cards, context);
    if (cards.length === 0) return;
    const keys = await reservePackKeys(db);
    const writes = queueWrites();
    const packer = packNewCards(writes, keys, at.now);
    let sliceStart = performance.now();
    for (let i = 0; i < cards.length; i++) {
      if (performance.now() - sliceStart > SLICE_MS) {
        progress(i);
        await writes.breathe();
        sliceStart = performance.now();
      }
      const card = cards[i]!;
      const taken = prebuilt?.take(i);
      const row = taken?.id === card.id ? taken : rowOfState(card.id, card.state, context);
      packer.add(card.id, card.state, ctx.withClass(row));
      report.new++;
    }
    packer.end();
    await writes.flush();
    prebuilt?.stop();
  }

  async function restoreBackup(backup: Backup, onProgress?: (done: number, total: number) => void, options: RestoreOptions = {}): Promise<Result<RestoreReport>> {
    const clientId = await ctx.deviceClientId();
    // Rows are built with their pinyin terms (one write per card; shared/pinyin.ts).
    await ensurePinyin();
    await ctx.classificationLoaded;
    await ctx.cutoffsLoaded;
    const at: RestoreAt = { clientId, now: ctx.now(), stage: ctx.classification().stage };
    const report: RestoreReport = { new: 0, merged: 0, unchanged: 0, settings: 0 };
    const emptyBefore = (await ctx.rows.count()) === 0 && (await db.docs.count()) === 0;
    const cards = uniqueCards(backup.cards);
    try {
      for (let start = 0; start < cards.length; start += SEGMENT) {
        const segment = cards.slice(start, start + SEGMENT);
        let changed: string[] = [];
        await db.transaction('rw', [db.docs, db.packs, db.cards, db.packRows, db.pending], async () => {
          const stored = await storedCardIds(db);
          const held = segment.filter((card) => stored.has(card.id));
          changed = await mergeHeld(held, report, at);
          onProgress?.(start + held.length, cards.length);
          const fresh = segment.filter((card) => !stored.has(card.id));
          await storeNew(fresh, report, at, (done) => onProgress?.(start + held.length + done, cards.length), options.prebuilt);
          changed.push(...fresh.map((card) => card.id));
        });
        if (changed.length > 0) ctx.announce(changed);
        onProgress?.(Math.min(start + SEGMENT, cards.length), cards.length);
      }
      report.settings = await restoreSettings(backup.settings, emptyBefore);
      if ('classification' in backup.settings) ctx.channel?.postMessage({ ids: [], setting: 'classification' });
    } catch (error) {
      options.prebuilt?.stop();
      return storageError(error);
    }
    await upkeep.recomputeCutoffs();
    if (report.new > 0) upkeep.scheduleMove();
    return ok(report);
  }

  return { createBackup, restoreBackup };
}
