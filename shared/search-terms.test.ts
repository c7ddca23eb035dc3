import { describe, expect, it } from 'vitest';
import { queryTerms, searchTerms } from './search-terms.ts';

function matches(texts: string[], query: string): boolean {
  const terms = searchTerms(texts);
  return queryTerms(query).every((q) => terms.some((t) => (q.prefix ? t.startsWith(q.term) : t === q.term)));
}

describe('search terms', () => {
  it('finds Chinese substrings', () => {
    const texts = ['深圳华星电子有限公司', '张伟'];
    expect(matches(texts, '华星')).toBe(true);
    expect(matches(texts, '华星电子')).toBe(true);
    expect(matches(texts, '星')).toBe(true);
    expect(matches(texts, '张伟')).toBe(true);
    expect(matches(texts, '华为')).toBe(false);
  });

  it('finds English words by prefix, emails and domains', () => {
    const texts = ['Keller Maschinenbau GmbH', 'm.keller@keller-maschinen.de'];
    expect(matches(texts, 'kel')).toBe(true);
    expect(matches(texts, 'maschinenbau gmbh')).toBe(true);
    expect(matches(texts, 'm.keller@keller-maschinen.de')).toBe(true);
    expect(matches(texts, 'keller-maschinen.de')).toBe(true);
    expect(matches(texts, 'siemens')).toBe(false);
  });

  it('gives no terms for an empty query', () => {
    expect(queryTerms('   ')).toEqual([]);
  });
});
