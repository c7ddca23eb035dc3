/**
 * The level the desk's credit view flags ratings below: the company's credit floor
 * (the company policy's, use-company-policy.ts, which the order form applies), unless this device chose
 * another level to look at (the device setting `creditMinRating`; a view, never the rule).
 */
import { useCallback, useEffect, useState } from 'react';
import { useCreditFloorRule } from './use-company-policy.ts';
import { useStore, useStoreVersion } from './use-store.ts';

export const CREDIT_FLOOR_SETTING = 'creditMinRating';

export function useCreditFloor(): [string, (level: string) => void] {
  const store = useStore();
  const version = useStoreVersion();
  const rule = useCreditFloorRule();
  const [level, setLevel] = useState(rule);
  useEffect(() => {
    void store.getSetting<string>(CREDIT_FLOOR_SETTING).then((saved) => setLevel(typeof saved === 'string' ? saved : rule));
  }, [store, version, rule]);
  const choose = useCallback(
    (next: string) => {
      setLevel(next);
      void store.setSetting(CREDIT_FLOOR_SETTING, next);
    },
    [store],
  );
  return [level, choose];
}
