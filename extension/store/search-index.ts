/**
 * The in-memory search index of one extension context: term -> card ids, built from the index
 * rows' `terms` the first time it is needed and kept current from change notifications (only
 * the changed rows are re-read). Measured at 10,000 cards: an IndexedDB multiEntry index over
 * the terms made every synced card cost ~60 index writes and made prefix queries slow; a map
 * in memory answers a query in a few milliseconds.
 */
import type { QueryTerm } from '../../shared/search-terms.ts';

export interface SearchIndex {
  /** Replaces a card's terms and sort key (or removes the card when `terms` is undefined). */
  set(id: string, terms: readonly string[] | undefined, sortKey?: string): void;
  /** The card's lower-cased name, for ranking without reading its row. */
  sortKey(id: string): string;
  /** Ids matching every query term: prefix match for words, exact for CJK grams and emails. */
  query(terms: readonly QueryTerm[]): Set<string>;
  size(): number;
}

export function createSearchIndex(): SearchIndex {
  const postings = new Map<string, Set<string>>();
  const termsOf = new Map<string, readonly string[]>();
  const sortKeys = new Map<string, string>();

  const remove = (id: string) => {
    for (const term of termsOf.get(id) ?? []) {
      const ids = postings.get(term);
      ids?.delete(id);
      if (ids && ids.size === 0) postings.delete(term);
    }
    termsOf.delete(id);
    sortKeys.delete(id);
  };

  const matching = (term: QueryTerm): Set<string> => {
    if (!term.prefix) return new Set(postings.get(term.term));
    const out = new Set<string>();
    for (const [key, ids] of postings) if (key.startsWith(term.term)) for (const id of ids) out.add(id);
    return out;
  };

  return {
    set(id, terms, sortKey = '') {
      remove(id);
      if (!terms) return;
      termsOf.set(id, terms);
      sortKeys.set(id, sortKey);
      for (const term of terms) {
        let ids = postings.get(term);
        if (!ids) postings.set(term, (ids = new Set()));
        ids.add(id);
      }
    },
    query(terms) {
      if (terms.length === 0) return new Set();
      // Exact terms first: they are the most selective and cheapest.
      const ordered = [...terms].sort((a, b) => Number(a.prefix) - Number(b.prefix) || b.term.length - a.term.length);
      let result = matching(ordered[0]!);
      for (const term of ordered.slice(1)) {
        if (result.size === 0) break;
        const next = matching(term);
        result = new Set([...result].filter((id) => next.has(id)));
      }
      return result;
    },
    sortKey: (id) => sortKeys.get(id) ?? '',
    size: () => termsOf.size,
  };
}
