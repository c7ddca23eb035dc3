/**
 * The lowest credit rating orders are taken from without a flag (DOMAIN.md §1.8: customers rated
 * below a chosen level are flagged), kept as the device setting `creditMinRating` ('' = none).
 * Chosen on the desk's credit view; read by the order form and the side panel.
 */
import { useCallback, useEffect, useState } from 'react';
import { useStore, useStoreVersion } from './use-store.ts';

export const CREDIT_FLOOR_SETTING = 'creditMinRating';

export function useCreditFloor(): [string, (level: string) => void] {
  const store = useStore();
  const version = useStoreVersion();
  const [level, setLevel] = useState('');
  useEffect(() => {
    void store.getSetting<string>(CREDIT_FLOOR_SETTING).then((saved) => setLevel(typeof saved === 'string' ? saved : ''));
  }, [store, version]);
  const choose = useCallback(
    (next: string) => {
      setLevel(next);
      void store.setSetting(CREDIT_FLOOR_SETTING, next);
    },
    [store],
  );
  return [level, choose];
}
