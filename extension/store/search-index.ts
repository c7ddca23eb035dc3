/**
 * The in-memory search index of one extension context: term -> card ids, built from the index
 * rows' `terms` the first time it is needed and kept current from change notifications (only
 * the changed rows are re-read). Measured at 10,000 cards: an IndexedDB multiEntry index over
 * the terms made every synced card cost ~60 index writes and made prefix queries slow; a map
 * in memory answers a query in a few milliseconds. Prefix queries look their terms up in a
 * sorted list of every term (binary search to the first, then along while the prefix holds)
 * rather than scanning all terms: pinyin terms (shared/pinyin.ts) tripled the number of terms.
 * A query of several words starts from its most selective one and only narrows what that found,
 * so a common word beside a rare one costs next to nothing (docs/DECISIONS.md, wave 4).
 */
import type { QueryTerm } from '../../shared/search-terms.ts';

export interface SearchIndex {
  /** Replaces a card's terms and sort key (or removes the card when `terms` is undefined). */
  set(id: string, terms: readonly string[] | undefined, sortKey?: string): void;
  /** The card's lower-cased name, for ranking without reading its row. */
  sortKey(id: string): string;
  /**
   * Ids matching every query term: prefix match for words, exact for CJK grams and emails. With
   * `fuzzy`, a word of 4+ letters also matches a term it is one typo away from (a letter wrong,
   * missing, extra or two swapped; the first letter must be right).
   */
  query(terms: readonly QueryTerm[], options?: { fuzzy?: boolean }): Set<string>;
  size(): number;
}

export function createSearchIndex(): SearchIndex {
  const postings = new Map<string, Set<string>>();
  const termsOf = new Map<string, readonly string[]>();
  const sortKeys = new Map<string, string>();

  // Every term, sorted, for prefix lookups; terms added since the last sort wait in `added`
  // (scanned as they are) until there are enough of them to sort again. Removed terms stay in
  // the list until then and are skipped (no postings).
  let sorted: string[] = [];
  let added = new Set<string>();
  const ADDED_MAX = 2_000;
  /** Up to this many cards found so far, a further word is checked on each card's own terms. */
  const CHECK_EACH_CARD_MAX = 500;
  /** The position of the first sorted term at or after `key` (sorting the terms first when many were added). */
  const firstAtOrAfter = (key: string): number => {
    if (added.size > ADDED_MAX) {
      sorted = [...postings.keys()].sort();
      added = new Set();
    }
    let low = 0;
    let high = sorted.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (sorted[mid]! < key) low = mid + 1;
      else high = mid;
    }
    return low;
  };
  /** How many sorted terms start with `prefix` (two binary searches; a cheap first guess of a word's reach). */
  const sortedKeysWithPrefix = (prefix: string): number => firstAtOrAfter(prefix + '\uffff') - firstAtOrAfter(prefix);
  /** Visits the terms starting with `prefix`; a visit returning false stops the walk. */
  const keysWithPrefix = (prefix: string, visit: (key: string) => boolean | void) => {
    const low = firstAtOrAfter(prefix);
    for (let i = low; i < sorted.length && sorted[i]!.startsWith(prefix); i++) if (visit(sorted[i]!) === false) return;
    for (const key of added) if (key.startsWith(prefix) && visit(key) === false) return;
  };

  const remove = (id: string) => {
    for (const term of termsOf.get(id) ?? []) {
      const ids = postings.get(term);
      ids?.delete(id);
      if (ids && ids.size === 0) postings.delete(term);
    }
    termsOf.delete(id);
    sortKeys.delete(id);
  };

  /** A word of 4+ letters, in a typo-tolerant query, may be one edit away from a card's term. */
  const fuzzyApplies = (term: QueryTerm, fuzzy: boolean): boolean => fuzzy && term.prefix && term.term.length >= 4 && /^[a-z]+$/.test(term.term);

  const matching = (term: QueryTerm, fuzzy: boolean): Set<string> => {
    if (!term.prefix) return new Set(postings.get(term.term));
    const out = new Set<string>();
    const collect = (key: string) => {
      const ids = postings.get(key);
      if (ids) for (const id of ids) out.add(id);
    };
    // A typo is allowed anywhere but in the first letter: only the terms starting with it are tried.
    if (fuzzyApplies(term, fuzzy)) keysWithPrefix(term.term[0]!, (key) => {
      if (prefixWithinOneEdit(term.term, key)) collect(key);
    });
    else keysWithPrefix(term.term, collect);
    return out;
  };

  /** The cards of `found` that also match `term`: by its postings, or by each card's own terms when they are few. */
  const narrowed = (found: Set<string>, term: QueryTerm, fuzzy: boolean): Set<string> => {
    const kept = new Set<string>();
    if (!term.prefix) {
      const ids = postings.get(term.term);
      if (ids) for (const id of found) if (ids.has(id)) kept.add(id);
      return kept;
    }
    if (found.size > CHECK_EACH_CARD_MAX) {
      const ids = matching(term, fuzzy);
      for (const id of found) if (ids.has(id)) kept.add(id);
      return kept;
    }
    const accepts = termPredicate(term, fuzzy);
    for (const id of found) if ((termsOf.get(id) ?? []).some(accepts)) kept.add(id);
    return kept;
  };

  /** Whether one of a card's terms matches a query term (as `matching` would find that card). */
  const termPredicate = (term: QueryTerm, fuzzy: boolean): ((key: string) => boolean) => {
    if (!term.prefix) return (key) => key === term.term;
    if (fuzzyApplies(term, fuzzy)) return (key) => prefixWithinOneEdit(term.term, key);
    return (key) => key.startsWith(term.term);
  };

  /**
   * How many cards a term matches (postings summed, never gathered), counted only up to `enough`
   * (a term matching more than the best one so far need not be counted on). A typo-tolerant term
   * counts as every card.
   */
  const estimatedMatches = (term: QueryTerm, fuzzy: boolean, enough: number): number => {
    if (!term.prefix) return postings.get(term.term)?.size ?? 0;
    if (fuzzyApplies(term, fuzzy)) return Infinity;
    let total = 0;
    keysWithPrefix(term.term, (key) => {
      total += postings.get(key)?.size ?? 0;
      return total <= enough;
    });
    return total;
  };

  return {
    set(id, terms, sortKey = '') {
      remove(id);
      if (!terms) return;
      termsOf.set(id, terms);
      sortKeys.set(id, sortKey);
      for (const term of terms) {
        let ids = postings.get(term);
        if (!ids) {
          postings.set(term, (ids = new Set()));
          added.add(term);
        }
        ids.add(id);
      }
    },
    query(terms, options = {}) {
      if (terms.length === 0) return new Set();
      const fuzzy = options.fuzzy === true;
      // The most selective term first; the others then only narrow what it found. A common word
      // ("company" in 10,000 cards) is never gathered into a set of its own beside a rare one:
      // that was most of the query's CPU in the side panel's profile.
      let best = Infinity;
      const planned = terms
        .map((term) => ({ term, cost: term.prefix ? sortedKeysWithPrefix(term.term) : (postings.get(term.term)?.size ?? 0) }))
        .sort((a, b) => a.cost - b.cost)
        .map(({ term }) => {
          const size = estimatedMatches(term, fuzzy, best);
          best = Math.min(best, size);
          return { term, size };
        })
        .sort((a, b) => a.size - b.size);
      let result = matching(planned[0]!.term, fuzzy);
      for (const { term } of planned.slice(1)) {
        if (result.size === 0) break;
        result = narrowed(result, term, fuzzy);
      }
      return result;
    },
    sortKey: (id) => sortKeys.get(id) ?? '',
    size: () => termsOf.size,
  };
}

/**
 * Whether some prefix of `key` is at most one edit from `word` (substitution, insertion,
 * deletion or a swap of neighbours), the first letter being right.
 */
export function prefixWithinOneEdit(word: string, key: string): boolean {
  if (key.charCodeAt(0) !== word.charCodeAt(0)) return false;
  let i = 1;
  while (i < word.length && i < key.length && word[i] === key[i]) i++;
  if (i === word.length) return true;
  if (i < key.length && key.startsWith(word.slice(i + 1), i + 1)) return true; // one letter wrong
  if (key.startsWith(word.slice(i + 1), i)) return true; // one letter extra in the word
  if (i < key.length && key.startsWith(word.slice(i), i + 1)) return true; // one letter missing
  return i + 1 < word.length && i + 1 < key.length && word[i] === key[i + 1] && word[i + 1] === key[i] && key.startsWith(word.slice(i + 2), i + 2);
}
