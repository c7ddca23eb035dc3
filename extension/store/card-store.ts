/**
 * The local card store: the only code in the extension that touches Dexie and Yjs (with the
 * sync client it feeds). It is put together from parts with one job each:
 *   store-context.ts  the database, change announcements, classification and cut-offs
 *   local-writes.ts   named mutations and imports (state, row and outbox in one transaction)
 *   card-reads.ts     cards, rows, sender matching, search, lists
 *   remote-ingest.ts  what the server sends, and a first sync's pipelined packs
 *   outbox.ts         unacknowledged updates, refused changes, account-level operations
 *   local-claim.ts    cards made before the first sign-in, claimed for the account
 *   card-removal.ts   deleting cards the user may no longer read
 *   sample-cards.ts   the sample customers: loaded as the device's user, removed in one step
 *   account-archive.ts  another account's cards kept apart in a database of their own
 *   index-upkeep.ts   class cut-offs, the daily row refresh, rebuilds
 *   import-writes.ts  imports of customer lists, all or nothing
 *   backup.ts         full backup and restore (merging)
 *   bulk-reads.ts     many whole cards at once (exports)
 * Pages use the narrow CardStoreApi (api.ts); the background and the sync client the whole.
 */
import type { CardStoreApi } from './api.ts';
import { createBackupOps } from './backup.ts';
import { createBulkReads } from './bulk-reads.ts';
import { createCardReads } from './card-reads.ts';
import { createCardRemoval, type CardRemoval } from './card-removal.ts';
import type { RefusedChange } from './db.ts';
import { createIndexUpkeep, type IndexUpkeep } from './index-upkeep.ts';
import { createImportWrites } from './import-writes.ts';
import { createLocalClaim, type LocalClaim } from './local-claim.ts';
import { createLocalWrites, type LocalWrites } from './local-writes.ts';
import { createOutbox, type Outbox } from './outbox.ts';
import { createRemoteIngest, type RemoteIngest } from './remote-ingest.ts';
import { createSampleCards, type SampleCards } from './sample-cards.ts';
import { createStoreContext, type StoreContextOptions } from './store-context.ts';

export type { CardSeed, CardStep } from '../../shared/mutations-types.ts';
export type { PendingUpdate } from './outbox.ts';
export type { RemoteUpdate } from './remote-ingest.ts';
export { CHANGES_CHANNEL } from './store-context.ts';
export type CardStoreOptions = StoreContextOptions;

/** What the settings page may do beyond a page's API (it never pushes or acknowledges). */
export interface DeviceSyncApi extends CardStoreApi {
  refusedChanges(): Promise<RefusedChange[]>;
  refusedCount: Outbox['refusedCount'];
  retryRefused: Outbox['retryRefused'];
  discardRefused: Outbox['discardRefused'];
  forgetAllCards: Outbox['forgetAllCards'];
  keepAccountApart: Outbox['keepAccountApart'];
  accountArchives: Outbox['accountArchives'];
  queueWholeStates: Outbox['queueWholeStates'];
  claimLocalCards: LocalClaim['claimLocalCards'];
  refreshRows: IndexUpkeep['refreshRows'];
  removeSampleCards: SampleCards['removeSampleCards'];
}

export interface CardStore
  extends CardStoreApi,
    LocalWrites,
    Omit<RemoteIngest, 'close'>,
    Outbox,
    CardRemoval,
    Omit<IndexUpkeep, 'close' | 'scheduleRecompute' | 'schedulePinyin' | 'scheduleMove'>,
    DeviceSyncApi {
  close(): void;
}

export function createCardStore(options: CardStoreOptions): CardStore {
  const ctx = createStoreContext(options);
  const reads = createCardReads(ctx);
  // Remote ingest and upkeep need each other (a recompute waits for a first sync's writes).
  let ingest: RemoteIngest | undefined;
  let upkeepHolds = 0;
  const upkeep = createIndexUpkeep(ctx, () => upkeepHolds > 0 || (ingest?.ingesting() ?? false));
  ingest = createRemoteIngest(ctx, () => upkeep);
  const writes = createLocalWrites(ctx, upkeep);
  const outbox = createOutbox(ctx);
  const imports = createImportWrites(ctx, upkeep);
  const backups = createBackupOps(ctx, upkeep);
  const bulk = createBulkReads(ctx);
  const removal = createCardRemoval(ctx);
  const claim = createLocalClaim(ctx);
  const samples = createSampleCards(ctx, writes, removal);
  const { db } = ctx;

  return {
    ...writes,
    ...imports,
    ...backups,
    ...bulk,
    ...samples,
    getCard: reads.getCard,
    getIndexRow: reads.getIndexRow,
    matchSender: reads.matchSender,
    search: reads.search,
    prepareSearch: reads.prepareSearch,
    listCards: reads.listCards,
    allRows: reads.allRows,
    whoKnows: reads.whoKnows,
    countCards: reads.countCards,
    async holdUpkeep(work) {
      upkeepHolds++;
      try {
        return await work();
      } finally {
        upkeepHolds--;
      }
    },
    onChange(callback) {
      ctx.listeners.add(callback);
      return () => ctx.listeners.delete(callback);
    },
    applyRemoteUpdates: ingest.applyRemoteUpdates,
    flushWrites: ingest.flushWrites,
    ingesting: ingest.ingesting,
    stateVectors: ingest.stateVectors,
    ...outbox,
    removeCards: removal.removeCards,
    withdrawCards: removal.withdrawCards,
    claimLocalCards: claim.claimLocalCards,
    recomputeCutoffs: upkeep.recomputeCutoffs,
    refreshRows: upkeep.refreshRows,
    rebuildIndex: upkeep.rebuildIndex,
    fillPinyin: upkeep.fillPinyin,
    ensureIndexVersion: upkeep.ensureIndexVersion,
    async getSetting<T>(key: string) {
      return (await db.meta.get(`setting:${key}`))?.value as T | undefined;
    },
    async setSetting(key, value) {
      await db.meta.put({ key: `setting:${key}`, value });
      if (key === 'classification') ctx.setClassification(value);
      ctx.channel?.postMessage({ ids: [], setting: key });
    },
    close() {
      upkeep.close();
      ingest?.close();
      ctx.close();
    },
  };
}
