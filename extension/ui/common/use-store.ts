/**
 * React access to the local store: pages get the narrow CardStoreApi (cards, search, lists,
 * named mutations), never the outbox; the settings page also gets the sync side it manages
 * (refused changes, an account change, settings). And a version number that changes whenever
 * any extension context changes a card, so views re-read what they show.
 */
import { useEffect, useState } from 'react';
import type { CardStoreApi } from '../../store/api.ts';
import type { DeviceSyncApi } from '../../store/card-store.ts';
import { getCardStore } from '../../store/index.ts';

export function useStore(): CardStoreApi {
  return getCardStore();
}

export function useDeviceSync(): DeviceSyncApi {
  return getCardStore();
}

export function useStoreVersion(): number {
  const [version, setVersion] = useState(0);
  useEffect(() => getCardStore().onChange(() => setVersion((v) => v + 1)), []);
  return version;
}
