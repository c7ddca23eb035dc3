/**
 * React access to the server's custody API (extension/sync/custody-api.ts): the API for the
 * signed-in account (undefined while signed out), and the custody of one card (its owner,
 * team and the user's loan), kept live without polling: re-read when the card or the store
 * changes, when the server's feed moves (an access change: a loan, a handover), when the server
 * says loans or proposals this user sees changed (CUSTODY, shared/sync/protocol.ts: the service
 * worker puts its time in the sync status), when the page comes back into view, and every
 * SAFETY_MS while it is visible, in case a notice was lost (another instance without Redis).
 */
import { useEffect, useState } from 'react';
import { createCustodyApi, type CardCustody, type CustodyApi, type Me } from '../../sync/custody-api.ts';
import { useStore, useStoreVersion } from './use-store.ts';
import { useSyncStatus } from './use-sync-status.ts';

/** How often an open, visible page asks the server again with nothing told (a notice may be lost). */
export const SAFETY_MS = 60_000;

/** A number that moves whenever the server's feed, its custody notices or the store move, when the page comes into view, and every SAFETY_MS. */
export function useLiveTick(): number {
  const status = useSyncStatus();
  const version = useStoreVersion();
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const again = () => {
      if (document.visibilityState === 'visible') setTick((n) => n + 1);
    };
    const timer = setInterval(again, SAFETY_MS);
    document.addEventListener('visibilitychange', again);
    window.addEventListener('focus', again);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', again);
      window.removeEventListener('focus', again);
    };
  }, []);
  return tick * 1_000_003 + version * 1_009 + (status.feedAt ?? 0) + (status.custodyAt ?? 0) * 7;
}

const meOf = new WeakMap<CustodyApi, Promise<Me>>();

/** Where the last answer of /api/me is kept, so a device offline since still knows its user's team and role. */
const ME_SETTING = 'serverMe';

/** The signed-in user as the server knows them (name, role, team); undefined while signed out or never yet known. */
export function useMe(api: CustodyApi | undefined): Me | undefined {
  const store = useStore();
  const [me, setMe] = useState<Me>();
  useEffect(() => {
    if (!api) return setMe(undefined);
    let live = true;
    void store.getSetting<Me>(ME_SETTING).then((kept) => live && kept && setMe((now) => now ?? kept));
    let asked = meOf.get(api);
    if (!asked) meOf.set(api, (asked = api.me()));
    asked.then(
      (found) => {
        if (live) setMe(found);
        void store.setSetting(ME_SETTING, found);
      },
      () => meOf.delete(api), // offline: asked again next time
    );
    return () => {
      live = false;
    };
  }, [api, store]);
  return me;
}

/** `wanted` false: undefined, as signed out (a hook that needs no server this time). */
export function useCustodyApi(wanted = true): CustodyApi | undefined {
  const store = useStore();
  const status = useSyncStatus();
  const [api, setApi] = useState<CustodyApi>();
  const signedIn = wanted && status.state !== 'signed-out' && status.state !== 'token-rejected' && status.state !== 'user-disabled';
  // Made again when another user signs in; offline (no user in the status) the last one stays.
  const [user, setUser] = useState(status.user);
  if (status.user !== undefined && status.user !== user) setUser(status.user);
  useEffect(() => {
    if (!signedIn) return setApi(undefined);
    let live = true;
    void Promise.all([store.getSetting<string>('syncUrl'), store.getSetting<string>('syncToken')]).then(([url, token]) => {
      if (live) setApi(url && token ? createCustodyApi(url, token) : undefined);
    });
    return () => {
      live = false;
    };
  }, [store, signedIn, user]);
  return api;
}

/** The signed-in user's role on the server ('rep' while unknown: the safe guess). */
export function useRole(): 'rep' | 'manager' | 'admin' {
  const status = useSyncStatus();
  return status.role === 'manager' || status.role === 'admin' ? status.role : 'rep';
}

export function useCardCustody(cardId: string | undefined): CardCustody | undefined {
  const api = useCustodyApi();
  const tick = useLiveTick();
  const [custody, setCustody] = useState<{ cardId: string; custody: CardCustody | undefined }>();
  useEffect(() => {
    if (!api || !cardId) return;
    let live = true;
    api.custodyOf(cardId).then(
      (found) => live && setCustody((old) => (old?.cardId === cardId && JSON.stringify(old.custody) === JSON.stringify(found) ? old : { cardId, custody: found })),
      // A card made here the server does not hold yet (404): no custody; offline: the last one stays.
      (error: { status?: number }) => live && error.status === 404 && setCustody({ cardId, custody: undefined }),
    );
    return () => {
      live = false;
    };
  }, [api, cardId, tick]);
  return api && custody && custody.cardId === cardId ? custody.custody : undefined;
}
