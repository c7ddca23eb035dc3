/**
 * The level the desk's credit view flags ratings below: the company's credit floor
 * (shared/credit-floor.ts, which the order form and the side panel apply), unless this device chose
 * another level to look at (the device setting `creditMinRating`; a view, never the rule).
 */
import { useCallback, useEffect, useState } from 'react';
import { companyCreditFloor } from '../../../shared/credit-floor.ts';
import { useStore, useStoreVersion } from './use-store.ts';

export const CREDIT_FLOOR_SETTING = 'creditMinRating';

export function useCreditFloor(): [string, (level: string) => void] {
  const store = useStore();
  const version = useStoreVersion();
  const [level, setLevel] = useState(companyCreditFloor());
  useEffect(() => {
    void store.getSetting<string>(CREDIT_FLOOR_SETTING).then((saved) => setLevel(typeof saved === 'string' ? saved : companyCreditFloor()));
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
