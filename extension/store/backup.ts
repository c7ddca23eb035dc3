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
import { makePack, packEntry, readStates, type DocRow, type PendingRow } from './db.ts';
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

  /**
   * Every stored state, read table by table (each pack once): a card's `docs` row, else its pack
   * entry; a card with both gets them merged, as readStates does.
   */
  async function createBackup(onProgress?: (done: number, total: number) => void): Promise<Backup> {
    await ctx.rowsReady();
    const states = new Map<string, Uint8Array>();
    await db.docs.each((row) => void states.set(row.id, row.state));
    const total = (await db.cards.count()) || states.size;
    onProgress?.(states.size, total);
    let packs = 0;
    await db.packs.each((pack) => {
      pack.cardIds.forEach((id, i) => {
        const entry = packEntry(pack, i).state;
        const held = states.get(id);
        states.set(id, held ? Y.mergeUpdates([entry, held]) : entry);
      });
      if (++packs % 4 === 0) onProgress?.(Math.min(states.size, total), total);
    });
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
          const docs: DocRow[] = [];
          const pending: PendingRow[] = [];
          const fresh: { cardId: string; state: Uint8Array; seq: number }[] = [];
          for (let i = 0; i < chunk.length; i++) {
            const card = chunk[i]!;
            const stored = held[i];
            const doc = ctx.loadDoc(stored);
            doc.clientID = clientId;
            if (!stored) {
              // New here: stored exactly as backed up, in a pack like a first sync's cards.
              Y.applyUpdate(doc, card.state);
              fresh.push({ cardId: card.id, state: card.state, seq: 0 });
              pending.push({ cardId: card.id, update: card.state, createdAt: now });
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
              pending.push({ cardId: card.id, update: Y.encodeStateAsUpdate(doc, vector), createdAt: now });
            }
            rows.push(ctx.withClass(buildIndexRow(readCard(doc, card.id), now, { abcDerived: previous[i]?.abcDerived ?? '', stage })));
            changed.push(card.id);
            if (stored) report.merged++;
            else report.new++;
            doc.destroy();
          }
          if (fresh.length > 0) await db.packs.add(makePack(fresh));
          await db.docs.bulkPut(docs);
          await db.cards.bulkPut(rows);
          await db.pending.bulkAdd(pending);
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
    await upkeep.recomputeCutoffs();
    return ok(report);
  }

  return { createBackup, restoreBackup };
}
