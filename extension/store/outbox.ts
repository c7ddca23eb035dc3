/**
 * The outbox and what the server refused: local updates wait in `pending` until the server
 * acknowledges them after its commit. An update refused for missing dependencies is replaced by
 * the card's whole state once; any other refusal moves it to the `refused` table with what it
 * did (refused-describe.ts), where it stays until the user resolves it: retry, export, or
 * discard (the card's local copy is dropped and the server's comes back at the next sync).
 * Nothing refused is ever deleted unasked. Also the account-level operations on everything the
 * device holds: queue every card's whole state (a reset server), or forget every card.
 */
import { NACK_RETRY_LATER } from '../../shared/sync/protocol.ts';
import type { SyncIdentity } from '../sync/types.ts';
import { archiveAccount, listArchives, restoreAccount, type ArchiveEntry } from './account-archive.ts';
import { createCardRemoval } from './card-removal.ts';
import { packEntry, readStates, type RefusedChange } from './db.ts';
import { countOutbox, isPendingPack, takeOutboxHead } from './outbox-packs.ts';
import { describeRefused } from './refused-describe.ts';
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
  /** Every refused change not yet resolved, oldest first. */
  refusedChanges(): Promise<RefusedChange[]>;
  refusedCount(): Promise<number>;
  /** Puts refused changes back into the outbox (all, or those with the given ids); returns how many. */
  retryRefused(ids?: number[]): Promise<number>;
  /**
   * Gives up the refused changes of these cards: each card's local copy and every unsent change
   * to it are removed (its later changes build on the refused one, so the server would refuse
   * them too), and the sync cursor goes back to the start when a card was on the server, so the
   * next sync brings the server's version back. Returns the cards and changes discarded.
   */
  discardRefused(cardIds: string[]): Promise<{ cards: number; changes: number; resync: boolean }>;
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

export function createOutbox(ctx: StoreContext): Outbox {
  const { db } = ctx;
  const refused = () => db.refused.orderBy('id').toArray();
  const removal = createCardRemoval(ctx);

  async function refusePending(seq: number, code: string, message: string): Promise<'retry' | 'dropped' | 'later'> {
    if (NACK_RETRY_LATER.has(code)) return (await db.pending.get(seq)) ? 'later' : 'dropped';
    const outcome = await db.transaction('rw', [db.pending, db.docs, db.packs, db.refused], async () => {
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
      const [stored] = await readStates(db, [row.cardId]);
      const described = describeRefused(stored?.state, row.update);
      await db.refused.add({ cardId: row.cardId, code, message, at: ctx.now(), update: row.update, ...described });
      await db.pending.delete(seq);
      return 'dropped' as const;
    });
    if (outcome === 'dropped') console.warn(`customer-cards: the server refused local change #${seq}: ${code}: ${message}`);
    return outcome;
  }

  async function retryRefused(ids?: number[]): Promise<number> {
    const moved = await db.transaction('rw', [db.pending, db.refused], async () => {
      const retry = ids ? (await db.refused.bulkGet(ids)).filter((change) => change !== undefined) : await refused();
      await db.pending.bulkAdd(retry.map((change) => ({ cardId: change.cardId, update: change.update, createdAt: ctx.now() })));
      await db.refused.bulkDelete(retry.map((change) => change.id!));
      return retry.length;
    });
    // The worker pushes the outbox when told of a change; the settings page re-reads the list.
    if (moved > 0) ctx.announceAll();
    return moved;
  }

  async function discardRefused(cardIds: string[]): Promise<{ cards: number; changes: number; resync: boolean }> {
    if (cardIds.length === 0) return { cards: 0, changes: 0, resync: false };
    const states = await readStates(db, cardIds);
    const onServer = states.some((state) => state !== undefined && state.seq > 0);
    // The card and its unsent changes first: a refused record left behind by a crash is discarded again.
    const unsent = await removal.removeCards(cardIds);
    const changes = await db.transaction('rw', [db.refused, db.meta], async () => {
      const dropped = await db.refused.where('cardId').anyOf(cardIds).delete();
      if (onServer) await db.meta.put({ key: 'setting:syncCursor', value: 0 });
      return dropped;
    });
    ctx.announceAll();
    return { cards: cardIds.length, changes: changes + unsent, resync: onServer };
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
    await db.transaction('rw', [db.cards, db.docs, db.packs, db.packRows, db.pending, db.refused, db.meta], async () => {
      await Promise.all([db.cards.clear(), db.docs.clear(), db.packs.clear(), db.packRows.clear(), db.pending.clear(), db.refused.clear()]);
      await db.meta.bulkDelete(['abcCutoffs', 'refusedChanges', 'setting:syncCursor', 'setting:syncIdentity', 'setting:companyAbcCutoffs', 'setting:companyPolicy']);
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
    refusedCount: () => db.refused.count(),
    retryRefused,
    discardRefused,
    queueWholeStates,
    forgetAllCards,
  };
}
