/**
 * Every card's index row, for the register and the analysis desk (which work on all of them in
 * memory), re-read when any extension context changes a card (a burst of changes is read once).
 */
import { useEffect, useState } from 'react';
import type { CardIndexRow } from '../../../shared/card-types.ts';
import { useStore, useStoreVersion } from './use-store.ts';

export function useAllRows(): CardIndexRow[] | undefined {
  const store = useStore();
  const version = useStoreVersion();
  const [rows, setRows] = useState<CardIndexRow[]>();
  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => void store.allRows().then((next) => live && setRows(next)), rows ? 300 : 0);
    return () => {
      live = false;
      clearTimeout(timer);
    };
    // Re-read on every change; `rows` only decides whether to wait for the burst to end.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [store, version]);
  return rows;
}
