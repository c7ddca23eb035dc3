import { describe, expect, it } from 'vitest';
import { lookupKeyOfQuery } from './search-lookup.ts';

describe('what a search asks the colleague lookup', () => {
  it('asks a whole email (then its company domain) or a whole company domain', () => {
    expect(lookupKeyOfQuery(' Li@Acme.CN ')).toEqual({ email: 'li@acme.cn', domain: 'acme.cn' });
    expect(lookupKeyOfQuery('acme.cn')).toEqual({ email: '', domain: 'acme.cn' });
    expect(lookupKeyOfQuery('@acme.cn')).toEqual({ email: '', domain: 'acme.cn' });
    expect(lookupKeyOfQuery('www.acme.cn')).toEqual({ email: '', domain: 'acme.cn' });
    // A free-mail address is asked as itself, never as its domain.
    expect(lookupKeyOfQuery('li@qq.com')).toEqual({ email: 'li@qq.com', domain: '' });
  });

  it('never sends a name, a fragment, a pattern or a free-mail domain', () => {
    for (const query of ['Acme', 'Acme Trading', '华信贸易', 'acme', 'acm', 'li@', '@acme', 'acme.', '*.cn', '%acme%', 'acme.*', 'a', 'gmail.com', 'qq.com', '', '   ', 'li@acme', 'https://acme.cn/about']) {
      expect(lookupKeyOfQuery(query), query).toBeUndefined();
    }
  });
});
