/**
 * Every card's index row, for the register and the analysis desk (which work on all of them in
 * memory), re-read when any extension context changes a card (a burst of changes is read once).
 * The last read is shared within the page while no card has changed since, so switching from
 * the register to the desk does not read 10,000 rows again.
 */
import { useEffect, useState } from 'react';
import type { CardIndexRow } from '../../../shared/card-types.ts';
import type { CardStoreApi } from '../../store/api.ts';
import { useStore, useStoreVersion } from './use-store.ts';

/** Counts the changes seen in this page; a read is reusable while the count is unchanged. */
let generation = 0;
let counting: CardStoreApi | undefined;
let lastRead: { generation: number; rows: CardIndexRow[] } | undefined;

function countChanges(store: CardStoreApi): void {
  if (counting === store) return;
  counting = store;
  store.onChange(() => {
    generation++;
  });
}

/** `enabled`: false holds the first read back (the register draws its first screen first). */
export function useAllRows(enabled = true): CardIndexRow[] | undefined {
  const store = useStore();
  countChanges(store);
  const version = useStoreVersion();
  const [rows, setRows] = useState<CardIndexRow[] | undefined>(() => (lastRead?.generation === generation ? lastRead.rows : undefined));
  useEffect(() => {
    if (!enabled) return;
    if (lastRead?.generation === generation && rows === lastRead.rows) return;
    let live = true;
    const at = generation;
    const timer = setTimeout(
      () =>
        void store.allRows().then((next) => {
          if (at === generation) lastRead = { generation: at, rows: next };
          if (live) setRows(next);
        }),
      rows ? 300 : 0,
    );
    return () => {
      live = false;
      clearTimeout(timer);
    };
    // Re-read on every change; `rows` only decides whether to wait for the burst to end.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [store, version, enabled]);
  return rows;
}
