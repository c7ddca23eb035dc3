/**
 * Full backup and restore of the local store. A backup holds every card the user holds as its
 * whole Yjs state (fields, people, timeline, ledger and every change record, exactly), and the
 * user's settings including reminders' snooze state, but never the sync connection (server,
 * token, cursor): a backup file is not a credential. Restoring merges each card's state into
 * what is stored (a CRDT merge: restoring twice changes nothing) and reports how many cards were
 * new, merged or unchanged; into an empty profile it gives back identical cards. Restored and
 * merged cards go to the outbox like local edits, so the server gets whatever it lacks.
 */
import * as Y from 'yjs';
import type { Backup } from '../../shared/backup/backup-format.ts';
import type { CardIndexRow } from '../../shared/card-types.ts';
import { readCard } from '../../shared/card-read.ts';
import { ok, type Result } from '../../shared/errors.ts';
import { buildIndexRow } from '../../shared/index-row.ts';
import { readStates } from './db.ts';
import { BATCH, storageError, type StoreContext } from './store-context.ts';
import type { IndexUpkeep } from './index-upkeep.ts';

/** Settings that belong to this device's sync connection, never written to a backup. */
const NOT_BACKED_UP = /sync|token|cursor|identity|rowsRefreshed|userName|refused|packRows/i;

export interface RestoreReport {
  new: number;
  merged: number;
  unchanged: number;
  settings: number;
}

export interface BackupOps {
  createBackup(onProgress?: (done: number, total: number) => void): Promise<Backup>;
  restoreBackup(backup: Backup, onProgress?: (done: number, total: number) => void): Promise<Result<RestoreReport>>;
}

const SNOOZES = 'snoozes';

export function createBackupOps(ctx: StoreContext, upkeep: IndexUpkeep): BackupOps {
  const { db } = ctx;

  async function allCardIds(): Promise<string[]> {
    await ctx.rowsReady();
    const ids = new Set((await db.docs.toCollection().primaryKeys()) as string[]);
    await db.packs.each((pack) => pack.cardIds.forEach((id) => ids.add(id)));
    return [...ids].sort();
  }

  async function createBackup(onProgress?: (done: number, total: number) => void): Promise<Backup> {
    const ids = await allCardIds();
    const cards: Backup['cards'] = [];
    for (let start = 0; start < ids.length; start += BATCH) {
      const states = await readStates(db, ids.slice(start, start + BATCH));
      for (const row of states) if (row) cards.push({ id: row.id, state: row.state });
      onProgress?.(Math.min(start + BATCH, ids.length), ids.length);
    }
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

  async function restoreBackup(backup: Backup, onProgress?: (done: number, total: number) => void): Promise<Result<RestoreReport>> {
    const clientId = await ctx.deviceClientId();
    await ctx.classificationLoaded;
    await ctx.cutoffsLoaded;
    await ctx.rowsReady();
    const stage = ctx.classification().stage;
    const now = ctx.now();
    const report: RestoreReport = { new: 0, merged: 0, unchanged: 0, settings: 0 };
    const emptyBefore = (await db.cards.count()) === 0 && (await db.docs.count()) === 0;
    try {
      for (let start = 0; start < backup.cards.length; start += BATCH) {
        const chunk = backup.cards.slice(start, start + BATCH);
        const changed: string[] = [];
        await db.transaction('rw', [db.docs, db.packs, db.cards, db.pending], async () => {
          const ids = chunk.map((card) => card.id);
          const held = await readStates(db, ids);
          const previous = await db.cards.bulkGet(ids);
          const rows: CardIndexRow[] = [];
          for (let i = 0; i < chunk.length; i++) {
            const card = chunk[i]!;
            const stored = held[i];
            const doc = ctx.loadDoc(stored);
            doc.clientID = clientId;
            const before = Y.snapshot(doc);
            const vector = Y.encodeStateVector(doc);
            Y.applyUpdate(doc, card.state);
            if (stored && Y.equalSnapshots(before, Y.snapshot(doc))) {
              report.unchanged++;
              doc.destroy();
              continue;
            }
            const state = Y.encodeStateAsUpdate(doc);
            const update = stored ? Y.encodeStateAsUpdate(doc, vector) : state;
            await db.docs.put({ id: card.id, state: stored ? state : card.state, seq: stored?.seq ?? 0 });
            await db.pending.add({ cardId: card.id, update, createdAt: now });
            rows.push(ctx.withClass(buildIndexRow(readCard(doc, card.id), now, { abcDerived: previous[i]?.abcDerived ?? '', stage })));
            changed.push(card.id);
            if (stored) report.merged++;
            else report.new++;
            doc.destroy();
          }
          await db.cards.bulkPut(rows);
        });
        if (changed.length > 0) ctx.announce(changed);
        onProgress?.(Math.min(start + BATCH, backup.cards.length), backup.cards.length);
        await new Promise<void>((resolve) => setTimeout(resolve, 0));
      }
      report.settings = await restoreSettings(backup.settings, emptyBefore);
      if ('classification' in backup.settings) ctx.channel?.postMessage({ ids: [], setting: 'classification' });
    } catch (error) {
      return storageError(error);
    }
    await upkeep.refreshRows();
    await upkeep.recomputeCutoffs();
    return ok(report);
  }

  return { createBackup, restoreBackup };
}
