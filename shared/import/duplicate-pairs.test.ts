/**
 * The register's duplicate finder: which existing cards it pairs, for which reason, and the
 * pairs it must never make (company words, cities, free mail, big families of cards).
 */
import { describe, expect, it } from 'vitest';
import { toSyllables } from '../pinyin-convert.ts';
import { distinctivePart, findDuplicatePairs, nameCore, type PairCandidate } from './duplicate-pairs.ts';

let n = 0;
const card = (name: string, extra: Partial<PairCandidate> = {}): PairCandidate => ({ id: extra.id ?? `c${String(++n).padStart(3, '0')}`, name, emails: [], domains: [], ...extra });
const pairsOf = (cards: PairCandidate[], withPinyin = true) => findDuplicatePairs(cards, withPinyin ? toSyllables : undefined).map((p) => ({ pair: [p.a, p.b], reasons: p.reasons })).sort((x, y) => x.pair.join().localeCompare(y.pair.join()));

describe('the name a card is compared by', () => {
  it('sets the company form aside, Chinese and Latin', () => {
    expect(nameCore('深圳华星电子有限公司')).toBe('深圳华星电子');
    expect(nameCore('北京远航物流股份有限公司')).toBe('北京远航物流');
    expect(nameCore('ACME Trading Co., Ltd.')).toBe('acme trading');
    expect(distinctivePart('深圳华星电子')).toBe('深圳华星');
    expect(distinctivePart('acme trading')).toBe('acme');
  });
});

describe('pairs of cards', () => {
  it('pairs the same 统一编号 however it is written', () => {
    const a = card('金鼎贸易有限公司', { id: 'a', businessNumber: '91310115MA1K00001A' });
    const b = card('上海金源实业', { id: 'b', businessNumber: '9131 0115-ma1k00001a' });
    expect(pairsOf([a, b])).toEqual([{ pair: ['a', 'b'], reasons: ['business-number'] }]);
  });

  it('pairs a person\'s address on two cards, and a company domain, never a free-mail one', () => {
    const cards = [
      card('Alpha', { id: 'a', emails: ['li.na@jinding-trading.cn'], domains: ['jinding-trading.cn'] }),
      card('Beta', { id: 'b', emails: ['li.na@jinding-trading.cn'] }),
      card('Gamma', { id: 'c', domains: ['jinding-trading.cn'] }),
      card('Delta', { id: 'd', emails: ['x@qq.com'], domains: ['qq.com'] }),
      card('Epsilon', { id: 'e', emails: ['y@qq.com'], domains: ['qq.com'] }),
    ];
    expect(pairsOf(cards)).toEqual([
      { pair: ['a', 'b'], reasons: ['email'] },
      { pair: ['a', 'c'], reasons: ['domain'] },
    ]);
  });

  it('pairs Chinese names written alike or one inside the other', () => {
    const cards = [card('深圳华星电子有限公司', { id: 'a' }), card('华星电子', { id: 'b' }), card('深圳 华星电子 有限公司', { id: 'c' })];
    expect(pairsOf(cards)).toEqual([
      { pair: ['a', 'b'], reasons: ['name'] },
      { pair: ['a', 'c'], reasons: ['name', 'pinyin'] },
      { pair: ['b', 'c'], reasons: ['name'] },
    ]);
  });

  it('pairs a Chinese name with its pinyin spelling, and two that sound the same', () => {
    const cards = [card('华信贸易有限公司', { id: 'a' }), card('Huaxin Trading Co., Ltd.', { id: 'b' }), card('华新贸易', { id: 'c' })];
    expect(pairsOf(cards)).toEqual([
      { pair: ['a', 'b'], reasons: ['pinyin'] },
      { pair: ['a', 'c'], reasons: ['pinyin'] },
      { pair: ['b', 'c'], reasons: ['pinyin'] },
    ]);
    // Without the converter (a page that did not load it) the sound is not compared.
    expect(pairsOf(cards, false)).toEqual([]);
  });

  it('pairs Latin names once their company form is set aside', () => {
    expect(pairsOf([card('ACME Inc.', { id: 'a' }), card('Acme Limited', { id: 'b' })])).toEqual([{ pair: ['a', 'b'], reasons: ['name', 'pinyin'] }]);
  });

  it('never pairs on company words, cities, short names or a family of cards', () => {
    const cards = [
      card('贸易有限公司'),
      card('贸易公司'),
      card('国际贸易有限公司'),
      card('上海国际贸易有限公司'),
      card('有限公司'),
      card('深圳市'),
      card('深圳华星电子有限公司'),
      card('深圳天虹商场有限公司'),
      card('Trading Co., Ltd.'),
      card('International Trading Ltd'),
      card('杭州西湖丝绸有限公司'),
      card('苏州西湖丝绸'),
      card('AB Ltd'),
      card('AB Inc'),
      ...Array.from({ length: 13 }, (_, i) => card(`Branch ${i} of Bigco`, { domains: ['bigco.com'] })),
    ];
    expect(pairsOf(cards)).toEqual([]);
  });

  it('lists each pair once with every reason, strongest first', () => {
    const a = card('华星电子', { id: 'a', emails: ['zw@huaxing-elec.com.cn'], domains: ['huaxing-elec.com.cn'], businessNumber: '91440300X' });
    const b = card('华星电子有限公司', { id: 'b', emails: ['zw@huaxing-elec.com.cn'], domains: ['huaxing-elec.com.cn'], businessNumber: '91440300x' });
    expect(pairsOf([b, a])).toEqual([{ pair: ['a', 'b'], reasons: ['business-number', 'email', 'domain', 'name', 'pinyin'] }]);
  });
});
