import { useEffect, useState } from 'react';
import type { CardIndexRow } from '../../../shared/card-types.ts';
import { useLanguage } from '../common/use-language.tsx';
import { useStore, useStoreVersion } from '../common/use-store.ts';

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
  if (rows.length === 0) return <p className="muted" data-testid="search-empty">{t('search.noResults', { query })}</p>;
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
