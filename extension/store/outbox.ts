/**
 * The outbox and what the server refused: local updates wait in `pending` until the server
 * acknowledges them after its commit. An update refused for missing dependencies is replaced by
 * the card's whole state once; any other refusal moves it to `meta` 'refusedChanges' (the last
 * 200), where the user can retry or export it. Also the account-level operations on everything
 * the device holds: queue every card's whole state (a reset server), or forget every card.
 */
import { NACK_RETRY_LATER } from '../../shared/sync/protocol.ts';
import type { SyncIdentity } from '../sync/types.ts';
import { archiveAccount, listArchives, restoreAccount, type ArchiveEntry } from './account-archive.ts';
import { packEntry, readStates, type RefusedChange } from './db.ts';
import { countOutbox, isPendingPack, takeOutboxHead } from './outbox-packs.ts';
import type { StoreContext } from './store-context.ts';

export interface PendingUpdate {
  seq: number;
  cardId: string;
  update: Uint8Array;
}

export interface Outbox {
  takePending(limit: number): Promise<PendingUpdate[]>;
  ackPending(seqs: number[]): Promise<void>;
  pendingCount(): Promise<number>;
  /** See SyncStorage.refusePending: keep it for a passing refusal, resend the whole state once for missing dependencies, else keep a record. */
  refusePending(seq: number, code: string, message: string): Promise<'retry' | 'dropped' | 'later'>;
  refusedChanges(): Promise<RefusedChange[]>;
  /** Puts refused changes back into the outbox (all, or those at the given indexes); returns how many. */
  retryRefused(indexes?: number[]): Promise<number>;
  /** Queues every card's whole state for the server (a reset server gets this device's cards back); returns how many. */
  queueWholeStates(): Promise<number>;
  /**
   * Removes every card, state, outbox entry, refused change, cut-off and sync cursor of this
   * device (settings and the device id stay): what the user chooses when another account's
   * cards must not mix with the next one's.
   */
  forgetAllCards(): Promise<void>;
  /** Moves every card of the account `identity` into an archive of its own (account-archive.ts). */
  keepAccountApart(identity: SyncIdentity): Promise<ArchiveEntry>;
  /** Brings the archived cards of `identity` back into the (empty) live store; undefined if none. */
  restoreAccount(identity: SyncIdentity): Promise<ArchiveEntry | undefined>;
  accountArchives(): Promise<ArchiveEntry[]>;
}

const MAX_REFUSED = 200;

export function createOutbox(ctx: StoreContext): Outbox {
  const { db } = ctx;
  const refused = async () => ((await db.meta.get('refusedChanges'))?.value as RefusedChange[] | undefined) ?? [];

  async function refusePending(seq: number, code: string, message: string): Promise<'retry' | 'dropped' | 'later'> {
    if (NACK_RETRY_LATER.has(code)) return (await db.pending.get(seq)) ? 'later' : 'dropped';
    const outcome = await db.transaction('rw', [db.pending, db.docs, db.packs, db.meta], async () => {
      const row = await db.pending.get(seq);
      // A seq handed to the sync client is always an ordinary record's (packs are expanded first).
      if (!row || isPendingPack(row)) return 'dropped' as const;
      if (code === 'missing-dependencies' && !row.whole) {
        const [stored] = await readStates(db, [row.cardId]);
        if (stored) {
          await db.pending.put({ ...row, update: stored.state, whole: true });
          return 'retry' as const;
        }
      }
      const kept = await refused();
      kept.push({ cardId: row.cardId, code, message, at: ctx.now(), update: row.update });
      await db.meta.put({ key: 'refusedChanges', value: kept.slice(-MAX_REFUSED) });
      await db.pending.delete(seq);
      return 'dropped' as const;
    });
    if (outcome === 'dropped') console.warn(`customer-cards: the server refused local change #${seq}: ${code}: ${message}`);
    return outcome;
  }

  async function retryRefused(indexes?: number[]): Promise<number> {
    const moved = await db.transaction('rw', [db.pending, db.meta], async () => {
      const kept = await refused();
      const chosen = new Set(indexes ?? kept.map((_, i) => i));
      const retry = kept.filter((_, i) => chosen.has(i));
      await db.pending.bulkAdd(retry.map((change) => ({ cardId: change.cardId, update: change.update, createdAt: ctx.now() })));
      await db.meta.put({ key: 'refusedChanges', value: kept.filter((_, i) => !chosen.has(i)) });
      return retry.length;
    });
    // The worker pushes the outbox when told of a change; the settings page re-reads the list.
    if (moved > 0) ctx.announceAll();
    return moved;
  }

  async function queueWholeStates(): Promise<number> {
    let queued = 0;
    await db.transaction('rw', [db.docs, db.packs, db.pending], async () => {
      const states = new Map<string, Uint8Array>();
      await db.packs.each((pack) =>
        pack.cardIds.forEach((_, i) => {
          const entry = packEntry(pack, i);
          states.set(entry.id, entry.state);
        }),
      );
      await db.docs.each((row) => void states.set(row.id, row.state));
      const at = ctx.now();
      await db.pending.bulkAdd([...states].map(([cardId, update]) => ({ cardId, update, createdAt: at, whole: true })));
      queued = states.size;
    });
    if (queued > 0) ctx.announceAll();
    return queued;
  }

  async function forgetAllCards(): Promise<void> {
    await db.transaction('rw', [db.cards, db.docs, db.packs, db.packRows, db.pending, db.meta], async () => {
      await Promise.all([db.cards.clear(), db.docs.clear(), db.packs.clear(), db.packRows.clear(), db.pending.clear()]);
      await db.meta.bulkDelete(['abcCutoffs', 'refusedChanges', 'setting:syncCursor', 'setting:syncIdentity', 'setting:companyAbcCutoffs']);
    });
    ctx.setCutoffs(undefined);
    ctx.cardsReplaced();
    ctx.announceAll();
  }

  /** After the live store's account changed wholesale: every context drops what it caches. */
  async function accountSwapped(): Promise<void> {
    ctx.setCutoffs(((await db.meta.get('abcCutoffs'))?.value as Parameters<StoreContext['setCutoffs']>[0]) ?? undefined);
    ctx.cardsReplaced();
    ctx.announceAll();
  }

  return {
    async keepAccountApart(identity) {
      const entry = await archiveAccount(db, ctx.dbName, identity, ctx.openOther);
      await accountSwapped();
      return entry;
    },
    async restoreAccount(identity) {
      const entry = await restoreAccount(db, identity, ctx.openOther);
      if (entry) await accountSwapped();
      return entry;
    },
    accountArchives: () => listArchives(db),
    async takePending(limit) {
      const rows = await takeOutboxHead(db, limit);
      return rows.map((row) => ({ seq: row.seq!, cardId: row.cardId, update: row.update }));
    },
    async ackPending(seqs) {
      await db.pending.bulkDelete(seqs);
    },
    pendingCount: () => countOutbox(db),
    refusePending,
    refusedChanges: refused,
    retryRefused,
    queueWholeStates,
    forgetAllCards,
  };
}
