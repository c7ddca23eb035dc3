/** Loads a card snapshot (and re-loads it when any context changes it). */
import { useEffect, useState } from 'react';
import type { CardIndexRow, CardView } from '../../../shared/card-types.ts';
import { useStore, useStoreVersion } from '../common/use-store.ts';

export function useCard(cardId: string | undefined): { card: CardView | undefined; loading: boolean } {
  const store = useStore();
  const version = useStoreVersion();
  const [state, setState] = useState<{ id?: string; card?: CardView; loading: boolean }>({ loading: true });
  useEffect(() => {
    if (!cardId) {
      setState({ loading: false });
      return;
    }
    let live = true;
    void store.getCard(cardId).then((card) => live && setState({ id: cardId, card, loading: false }));
    return () => {
      live = false;
    };
  }, [store, cardId, version]);
  const current = state.id === cardId ? state.card : undefined;
  return { card: current, loading: state.loading || (cardId !== undefined && state.id !== cardId) };
}

/** A card's index row (derived class, stage, receivables), re-read when any context changes it. */
export function useIndexRow(cardId: string | undefined): CardIndexRow | undefined {
  const store = useStore();
  const version = useStoreVersion();
  const [row, setRow] = useState<{ id: string; row: CardIndexRow | undefined }>();
  useEffect(() => {
    if (!cardId) return;
    let live = true;
    void store.getIndexRow(cardId).then((found) => live && setRow({ id: cardId, row: found }));
    return () => {
      live = false;
    };
  }, [store, cardId, version]);
  return row !== undefined && row.id === cardId ? row.row : undefined;
}
