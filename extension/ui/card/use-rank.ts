/** A card's rank (名次) in the current half-year's sales among all the cards this user reads. */
import { useEffect, useState } from 'react';
import { halfYearRanks } from '../../../shared/analysis/sales.ts';
import { useStore, useStoreVersion } from '../common/use-store.ts';

export function useHalfYearRank(cardId: string | undefined): { rank: number; half: string } | undefined {
  const store = useStore();
  const version = useStoreVersion();
  const [rank, setRank] = useState<{ rank: number; half: string }>();
  useEffect(() => {
    if (!cardId) return;
    let live = true;
    void store.allRows().then((rows) => {
      if (!live) return;
      const { half, lines } = halfYearRanks(rows, Date.now());
      const line = lines.find((l) => l.id === cardId);
      setRank(line ? { rank: line.rank, half: half.key } : undefined);
    });
    return () => {
      live = false;
    };
  }, [store, cardId, version]);
  return rank;
}
