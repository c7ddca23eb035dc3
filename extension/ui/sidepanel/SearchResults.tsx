/**
 * The side panel's search results. When nothing on this device matches and the query is a whole
 * email or company domain (search-lookup.ts), the server's exact-match lookup says whether a
 * colleague owns such a customer — then the company, the owner and **Ask to borrow**, as for mail
 * from them (ColleagueCustomer); the lookup's own limits (exact keys, a rate per user) apply.
 */
import { useEffect, useMemo, useState } from 'react';
import type { CardIndexRow } from '../../../shared/card-types.ts';
import { useColleagueLookup } from '../common/use-colleague-lookup.ts';
import { useCustodyApi } from '../common/use-custody.ts';
import { useLanguage } from '../common/use-language.tsx';
import { useStore, useStoreVersion } from '../common/use-store.ts';
import { ColleagueCustomer } from './ColleagueCustomer.tsx';
import { lookupKeyOfQuery } from './search-lookup.ts';

/** How long the query must settle before the server is asked (it counts lookups per minute). */
const LOOKUP_SETTLE_MS = 600;

function NoMatch({ query }: { query: string }) {
  const { t } = useLanguage();
  const key = useMemo(() => lookupKeyOfQuery(query), [query]);
  const colleague = useColleagueLookup(key?.email ?? '', key?.domain ?? '', LOOKUP_SETTLE_MS);
  const signedIn = useCustodyApi() !== undefined;
  return (
    <>
      <p className="muted" data-testid="search-empty">{t('search.noResults', { query })}</p>
      {colleague ? <ColleagueCustomer found={colleague} /> : signedIn && !key ? <p className="hint" data-testid="search-colleague-hint">{t('search.colleagueHint')}</p> : null}
    </>
  );
}

export function SearchResults({ query, onPick }: { query: string; onPick: (cardId: string) => void }) {
  const store = useStore();
  const version = useStoreVersion();
  const { t } = useLanguage();
  const [rows, setRows] = useState<CardIndexRow[] | undefined>();
  useEffect(() => {
    let live = true;
    void store.search(query, 20).then((found) => live && setRows(found));
    return () => {
      live = false;
    };
  }, [store, query, version]);
  if (!rows) return null;
  if (rows.length === 0) return <NoMatch query={query} />;
  return (
    <section>
      <h2 className="section-title">{t('search.results')}</h2>
      <ul className="results" data-testid="search-results">
        {rows.map((row) => (
          <li key={row.id}>
            <button type="button" className="result" onClick={() => onPick(row.id)}>
              <span className="result-name">{row.name}</span>
              <span className="result-meta">{[row.primaryContact, row.city].filter(Boolean).join(' · ')}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
