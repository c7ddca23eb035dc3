/** The card that matches a sender (contact email first, then company domain), kept current. */
import { useEffect, useState } from 'react';
import type { CardIndexRow } from '../../../shared/card-types.ts';
import { useStore, useStoreVersion } from '../common/use-store.ts';

export interface SenderMatch {
  row: CardIndexRow | undefined;
  by: 'email' | 'domain' | undefined;
  ready: boolean;
}

export function useSenderMatch(email: string | undefined): SenderMatch {
  const store = useStore();
  const version = useStoreVersion();
  const [state, setState] = useState<SenderMatch & { email?: string }>({ row: undefined, by: undefined, ready: false });
  useEffect(() => {
    if (!email) {
      setState({ row: undefined, by: undefined, ready: true });
      return;
    }
    let live = true;
    void store.matchSender(email).then((row) => {
      if (!live) return;
      setState({ email, row, by: row ? (row.emails.includes(email.toLowerCase()) ? 'email' : 'domain') : undefined, ready: true });
    });
    return () => {
      live = false;
    };
  }, [store, email, version]);
  return state.email === email || !email ? state : { row: undefined, by: undefined, ready: false };
}
