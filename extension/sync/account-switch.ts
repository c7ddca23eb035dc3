/**
 * What the user may choose when the device holds cards of another account than the one that
 * just signed in (a new server address, another user, or a server database that was reset or
 * replaced): nothing of the two is ever mixed without that choice.
 *   keep apart  move this device's cards, outbox and cursor into an archive of the previous
 *             account (store/account-archive.ts); the new account then syncs into an empty
 *             store, and signing in to the previous account again brings them back.
 *   remove    delete this device's cards, outbox and cursor; the new account then syncs.
 *   re-upload only for the same user at the same address (the server's database was reset):
 *             every card this device holds is sent again as its whole state, and the device
 *             syncs from the start, so the server gets back what it lost.
 * Each way the background is told to reconnect (by the caller).
 */
import type { DeviceSyncApi } from '../store/card-store.ts';
import { IDENTITY } from './store-adapter.ts';
import type { AccountChange } from './types.ts';

export function canReupload(change: AccountChange): boolean {
  return change.previous.server === change.next.server && change.previous.user === change.next.user;
}

export async function keepPreviousAccountApart(store: DeviceSyncApi, change: AccountChange): Promise<number> {
  return (await store.keepAccountApart(change.previous)).cards;
}

export async function removePreviousAccountCards(store: DeviceSyncApi): Promise<void> {
  await store.forgetAllCards();
}

export async function reuploadToResetServer(store: DeviceSyncApi, change: AccountChange): Promise<number> {
  if (!canReupload(change)) throw new Error('Only the same user at the same server address can send the cards again');
  const queued = await store.queueWholeStates();
  await store.setSetting('syncCursor', 0);
  await store.setSetting(IDENTITY, change.next);
  return queued;
}
