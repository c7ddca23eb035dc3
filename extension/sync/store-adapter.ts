/** The sync client's storage, over the extension's local card store (outbox, cursor, cards). */
import { parseServerRow } from '../../shared/index-row.ts';
import { canChangeControlled } from '../../shared/rights/rights.ts';
import type { CardStore } from '../store/index.ts';
import { queueCustody } from '../store/custody-queue.ts';
import { LOCAL_ACTOR } from '../store/local-actor.ts';
import type { AccountChange, SyncIdentity, SyncStorage } from './types.ts';

const CURSOR = 'syncCursor';
/** Whom the cursor and outbox belong to (types.ts SyncIdentity). */
export const IDENTITY = 'syncIdentity';

export function sameIdentity(a: SyncIdentity, b: SyncIdentity): boolean {
  return a.server === b.server && a.user === b.user && a.database === b.database;
}

export interface SyncStorageOptions {
  /**
   * Who the server says the user is (GET /api/me): at the first sign-in, whether the user may set
   * the manager-only values on their own cards depends on the team too (a manager of no team may
   * not: rights.ts), which the sync frames do not say.
   */
  me?: () => Promise<{ role: string; team: string | null }>;
}

/**
 * Whether `user` may keep the manager-only values set on cards made before signing in, by the
 * rule the server applies (canChangeControlled on a card the user owns). A manager whose team
 * cannot be learnt is taken as not: the values become proposals, which the server never refuses.
 */
export async function controlsOwnCards(user: string, role: string | undefined, me: SyncStorageOptions['me']): Promise<boolean> {
  if (role === 'admin') return true;
  if (role !== 'manager' || !me) return false;
  let team: string | null;
  try {
    const told = await me();
    if (told.role !== role) return false;
    team = told.team;
  } catch {
    return false;
  }
  return canChangeControlled({ name: user, role, team, disabled: false }, { id: '', owner: user, ownerTeam: team });
}

export function storeSyncStorage(store: CardStore, options: SyncStorageOptions = {}): SyncStorage {
  /**
   * A sync that starts on a device holding no card at all streams only cards it does not have
   * (each once, before any live change to it; cards made here meanwhile have new random ids),
   * so those whole states are stored without first looking for a local copy.
   */
  let intoEmptyStore = false;
  return {
    async bindIdentity(identity, role): Promise<'same' | AccountChange> {
      const previous = await store.getSetting<SyncIdentity>(IDENTITY);
      if (previous && sameIdentity(previous, identity)) return 'same';
      const cards = await store.countCards();
      const pending = await store.pendingCount();
      // A device that holds nothing, or never signed in (its cards were made here), takes the
      // identity on; a cursor of another database means nothing here.
      if (!previous || (cards === 0 && pending === 0)) {
        // Cards kept apart for this account come back (with their cursor and outbox) first.
        if (await store.restoreAccount(identity)) return 'same';
        if (previous) await store.setSetting(CURSOR, 0);
        // Cards made here before signing in name a placeholder (store/index.ts): they become the user's.
        else {
          // Manager-only values set before sign-in by someone the server would refuse them from (a
          // rep, a manager of no team) become proposals (local-claim.ts): queued, sent once the cards are on the server.
          const controlled = await controlsOwnCards(identity.user, role, options.me);
          const { proposals } = await store.claimLocalCards(identity.user, [LOCAL_ACTOR, (await store.getSetting<string>('userName')) ?? ''].filter(Boolean), { controlled });
          if (proposals.length > 0) await queueCustody(store, proposals);
        }
        await store.setSetting(IDENTITY, identity);
        return 'same';
      }
      return { previous, next: identity, cards, pending };
    },
    async beginSync(cursor) {
      intoEmptyStore = cursor === 0 && (await store.countCards()) === 0 && (await store.pendingCount()) === 0;
    },
    getCursor: async () => (await store.getSetting<number>(CURSOR)) ?? 0,
    async setCursor(cursor) {
      // The cursor may only pass cards that are stored: wait for pipelined first-sync writes.
      await store.flushWrites();
      await store.setSetting(CURSOR, cursor);
    },
    async endSync() {
      // Later runs (the server's catch-ups) may bring cards the device already holds.
      intoEmptyStore = false;
    },
    async removeCards(cardIds) {
      await store.flushWrites();
      return store.withdrawCards(cardIds);
    },
    async wipeForDisabledUser() {
      await store.flushWrites();
      const wiped = { cards: await store.countCards(), lost: await store.pendingCount() };
      await store.forgetAllCards();
      return wiped;
    },
    takePending: (limit) => store.takePending(limit),
    ackPending: (seqs) => store.ackPending(seqs),
    refusePending: (seq, code, message) => store.refusePending(seq, code, message),
    applyRemote(updates) {
      const knownNew = intoEmptyStore && updates.every((u) => u.whole === true);
      return store.applyRemoteUpdates(
        updates.map(({ row, ...update }) => ({ ...update, row: row && row.length > 0 ? parseServerRow(row, update.cardId) : undefined })),
        { knownNew },
      );
    },
  };
}
