/** The sync client's storage, over the extension's local card store (outbox, cursor, cards). */
import { parseServerRow } from '../../shared/index-row.ts';
import type { CardStore } from '../store/index.ts';
import type { SyncStorage } from './types.ts';

const CURSOR = 'syncCursor';

export function storeSyncStorage(store: CardStore): SyncStorage {
  /**
   * A sync that starts on a device holding no card at all streams only cards it does not have
   * (each once, before any live change to it; cards made here meanwhile have new random ids),
   * so those whole states are stored without first looking for a local copy.
   */
  let intoEmptyStore = false;
  return {
    async beginSync(cursor) {
      intoEmptyStore = cursor === 0 && (await store.countCards()) === 0 && (await store.pendingCount()) === 0;
    },
    getCursor: async () => (await store.getSetting<number>(CURSOR)) ?? 0,
    async setCursor(cursor) {
      // The cursor may only pass cards that are stored: wait for pipelined first-sync writes.
      await store.flushWrites();
      await store.setSetting(CURSOR, cursor);
    },
    takePending: (limit) => store.takePending(limit),
    ackPending: (seqs) => store.ackPending(seqs),
    refusePending: (seq, code, message) => store.refusePending(seq, code, message),
    applyRemote(updates) {
      const knownNew = intoEmptyStore && updates.every((u) => u.whole === true);
      return store.applyRemoteUpdates(
        updates.map(({ row, whole: _whole, ...update }) => ({ ...update, row: row ? parseServerRow(row, update.cardId) : undefined })),
        { knownNew },
      );
    },
  };
}
