import { describe, expect, it } from 'vitest';
import { queryTerms, searchTerms } from '../../shared/search-terms.ts';
import { createSearchIndex } from './search-index.ts';

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
});
