/** The card that matches a sender (contact email first, then company domain) and the card itself, kept current. */
import { useEffect, useState } from 'react';
import type { CardIndexRow, CardView } from '../../../shared/card-types.ts';
import { useStore, useStoreVersion } from '../common/use-store.ts';

export interface SenderMatch {
  row: CardIndexRow | undefined;
  by: 'email' | 'domain' | undefined;
  ready: boolean;
}

/**
 * The sender's match and, in the same async step, its card and index row: one render instead of
 * a render per step (an effect starts only after the previous render was painted).
 */
export function useSenderCard(email: string | undefined): SenderMatch & { card: CardView | undefined } {
  const store = useStore();
  const version = useStoreVersion();
  const [state, setState] = useState<SenderMatch & { email?: string; card?: CardView }>({ row: undefined, by: undefined, ready: false });
  useEffect(() => {
    if (!email) {
      setState({ row: undefined, by: undefined, ready: true });
      return;
    }
    let live = true;
    void (async () => {
      const matched = await store.matchSender(email);
      const card = matched ? await store.getCard(matched.id) : undefined;
      if (!live) return;
      setState({ email, row: matched, card, by: matched ? (matched.emails.includes(email.toLowerCase()) ? 'email' : 'domain') : undefined, ready: true });
    })();
    return () => {
      live = false;
    };
  }, [store, email, version]);
  return state.email === email || !email ? { ...state, card: state.card } : { row: undefined, by: undefined, ready: false, card: undefined };
}
