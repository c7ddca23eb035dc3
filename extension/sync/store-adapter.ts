/** The sync client's storage, over the extension's local card store (outbox, cursor, cards). */
import { parseServerRow } from '../../shared/index-row.ts';
import type { CardStore } from '../store/index.ts';
import type { SyncStorage } from './types.ts';

const CURSOR = 'syncCursor';

export function storeSyncStorage(store: CardStore): SyncStorage {
  return {
    getCursor: async () => (await store.getSetting<number>(CURSOR)) ?? 0,
    setCursor: (cursor) => store.setSetting(CURSOR, cursor),
    takePending: (limit) => store.takePending(limit),
    ackPending: (seqs) => store.ackPending(seqs),
    async dropPending(seqs, reason) {
      console.warn(`customer-cards: the server refused ${seqs.length} change(s): ${reason}`);
      await store.ackPending(seqs);
    },
    applyRemote: (updates) => store.applyRemoteUpdates(updates.map(({ row, ...update }) => ({ ...update, row: row ? parseServerRow(row, update.cardId) : undefined }))),
  };
}
