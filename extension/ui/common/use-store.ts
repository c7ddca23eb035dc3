/**
 * React access to the local store: the store itself, and a version number that changes whenever
 * any extension context changes a card, so views re-read what they show.
 */
import { useEffect, useState } from 'react';
import { getCardStore, type CardStore } from '../../store/index.ts';

export function useStore(): CardStore {
  return getCardStore();
}

export function useStoreVersion(): number {
  const [version, setVersion] = useState(0);
  useEffect(() => getCardStore().onChange(() => setVersion((v) => v + 1)), []);
  return version;
}
