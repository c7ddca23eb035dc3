import { describe, expect, it } from 'vitest';
import { queryTerms, searchTerms } from '../../shared/search-terms.ts';
import { createSearchIndex, prefixWithinOneEdit } from './search-index.ts';

describe('in-memory search index', () => {
  it('matches every term, prefixes for words, and follows updates and removals', () => {
    const index = createSearchIndex();
    index.set('a', searchTerms(['深圳华星电子有限公司', 'zhangwei@huaxing-elec.com.cn']));
    index.set('b', searchTerms(['Keller Maschinenbau GmbH']));
    expect([...index.query(queryTerms('华星电子'))]).toEqual(['a']);
    expect([...index.query(queryTerms('kel gmbh'))]).toEqual(['b']);
    expect([...index.query(queryTerms('kel 华星'))]).toEqual([]);
    index.set('b', searchTerms(['Keller Logistik']));
    expect([...index.query(queryTerms('gmbh'))]).toEqual([]);
    index.set('a', undefined);
    expect([...index.query(queryTerms('华星'))]).toEqual([]);
    expect(index.size()).toBe(1);
  });

  it('answers a common word beside a rare one as the plain intersection does, typos included', () => {
    const index = createSearchIndex();
    for (let i = 0; i < 300; i++) index.set(`c${i}`, searchTerms([i % 2 === 0 ? `华星电子第${i}分公司` : `Company ${i} Trading Ltd`, `buyer${i}@company${i}.example.com`]));
    // A brute-force answer: every card whose terms match every query term.
    const brute = (query: string, fuzzy = false) => {
      const found: string[] = [];
      for (let i = 0; i < 300; i++) {
        const own = searchTerms([i % 2 === 0 ? `华星电子第${i}分公司` : `Company ${i} Trading Ltd`, `buyer${i}@company${i}.example.com`]);
        const one = new Set(own);
        const all = queryTerms(query).every(({ term, prefix }) => (prefix ? own.some((key) => key.startsWith(term) || (fuzzy && term.length >= 4 && /^[a-z]+$/.test(term) && prefixWithinOneEdit(term, key))) : one.has(term)));
        if (all) found.push(`c${i}`);
      }
      return found.sort();
    };
    for (const query of ['Company 123', 'company trading', '华星电子第12', 'buyer99', '分公司 华星', 'company 12 ltd']) expect([...index.query(queryTerms(query))].sort()).toEqual(brute(query));
    expect([...index.query(queryTerms('compnay 123'), { fuzzy: true })].sort()).toEqual(brute('compnay 123', true));
    expect(index.query(queryTerms('compnay 123'), { fuzzy: true }).size).toBeGreaterThan(0);
  });
});
