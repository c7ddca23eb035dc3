/**
 * Whose customer is this? The server's exact-match lookup (custody-api.ts `lookup`) by an email
 * and then by a company domain (never a free-mail one). Where the domain is being typed, it is
 * asked `settleMs` after the input settles (the server limits lookups per minute). undefined
 * while asking, offline or signed out; null when no colleague owns such a customer.
 */
import { useEffect, useState } from 'react';
import { isFreeMailDomain } from '../../../shared/email.ts';
import type { Lookup } from '../../sync/custody-api.ts';
import { useCustodyApi } from './use-custody.ts';

export function useColleagueLookup(email: string, domain: string, settleMs = 0): Lookup | null | undefined {
  const api = useCustodyApi();
  const [found, setFound] = useState<Lookup | null>();
  useEffect(() => {
    setFound(undefined);
    if (!api || (!email && !domain)) return;
    let live = true;
    const timer = setTimeout(() => {
      void (async () => {
        try {
          const byEmail = email ? await api.lookup({ email }) : null;
          const result = byEmail ?? (domain && !isFreeMailDomain(domain) ? await api.lookup({ domain }) : null);
          if (live) setFound(result);
        } catch {
          if (live) setFound(undefined);
        }
      })();
    }, settleMs);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [api, email, domain, settleMs]);
  return found;
}
