/**
 * React access to the server's custody API (extension/sync/custody-api.ts): the API for the
 * signed-in account (undefined while signed out), and the custody of one card (its owner,
 * team and the user's loan), re-read when the card or the sync state changes.
 */
import { useEffect, useState } from 'react';
import { createCustodyApi, type CardCustody, type CustodyApi } from '../../sync/custody-api.ts';
import { useStore } from './use-store.ts';
import { useSyncStatus } from './use-sync-status.ts';

export function useCustodyApi(): CustodyApi | undefined {
  const store = useStore();
  const status = useSyncStatus();
  const [api, setApi] = useState<CustodyApi>();
  const signedIn = status.state !== 'signed-out' && status.state !== 'token-rejected' && status.state !== 'user-disabled';
  useEffect(() => {
    if (!signedIn) return setApi(undefined);
    let live = true;
    void Promise.all([store.getSetting<string>('syncUrl'), store.getSetting<string>('syncToken')]).then(([url, token]) => {
      if (live) setApi(url && token ? createCustodyApi(url, token) : undefined);
    });
    return () => {
      live = false;
    };
  }, [store, signedIn, status.user]);
  return api;
}

/** The signed-in user's role on the server ('rep' while unknown: the safe guess). */
export function useRole(): 'rep' | 'manager' | 'admin' {
  const status = useSyncStatus();
  return status.role === 'manager' || status.role === 'admin' ? status.role : 'rep';
}

export function useCardCustody(cardId: string | undefined): CardCustody | undefined {
  const api = useCustodyApi();
  const [custody, setCustody] = useState<CardCustody>();
  useEffect(() => {
    setCustody(undefined);
    if (!api || !cardId) return;
    let live = true;
    api.custodyOf(cardId).then(
      (found) => live && setCustody(found),
      () => undefined, // offline, or a card made here the server does not hold yet
    );
    return () => {
      live = false;
    };
  }, [api, cardId]);
  return custody;
}
