/** Loads a card snapshot (and re-loads it when any context changes it). */
import { useEffect, useState } from 'react';
import type { CardView } from '../../../shared/card-types.ts';
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
