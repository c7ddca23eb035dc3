/** Search that finds what reps type: pinyin, one typo, phones, 统一编号, and "who knows about X". */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import { pinyinSourceOf, pinyinTermsOf } from '../../shared/pinyin.ts';
import { toSyllables } from '../../shared/pinyin-convert.ts';
import { createCardStore, type CardStore } from './card-store.ts';
import { prefixWithinOneEdit } from './search-index.ts';

const stores: CardStore[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

async function seeded(): Promise<{ store: CardStore; ids: Record<string, string> }> {
  const store = createCardStore({ dbName: 'test', actor: () => 'alice', indexedDB: new IDBFactory(), IDBKeyRange });
  stores.push(store);
  const ids: Record<string, string> = {};
  const make = async (key: string, name: string, email: string, fields: Record<string, string> = {}) => {
    const result = await store.mutate({ type: 'card-create', name, contact: { name: key === 'huaxin' ? '李娜' : 'Sam Lee', email }, fields });
    if (!result.ok) throw new Error(result.message);
    ids[key] = result.value.cardId;
  };
  await make('huaxin', '华信贸易', 'li.na@huaxin-trade.cn', { phone: '+86 138-1234-5678', businessNumber: '91310000MA1FL4XX0X', city: '上海' });
  await make('huaxing', '华星电子', 'zhang@huaxing.cn', { city: '深圳' });
  await make('xinhua', '新华书店', 'info@xinhua-books.cn');
  await make('keller', 'Keller Maschinenbau GmbH', 'm.keller@keller-maschinen.de', { phone: '030 1234 999' });
  await make('acme', 'Acme Logistics', 'ops@acme-logistics.com');
  await store.fillPinyin();
  return { store, ids };
}

const names = async (store: CardStore, query: string) => (await store.search(query)).map((row) => row.name).sort();

describe('pinyin terms', () => {
  it('gives full pinyin and initials from each character to the end of the run', () => {
    const terms = pinyinTermsOf(pinyinSourceOf(['华信贸易 Ltd', 'no Chinese']), toSyllables).split('\n');
    expect(terms).toEqual(['huaxinmaoyi', 'hxmy', '华xinmaoyi', 'xinmaoyi', 'xmy', '信maoyi', 'maoyi', 'my', '贸yi', 'yi']);
    expect(pinyinSourceOf(['Acme'])).toBe('');
  });
});

describe('search by what reps type', () => {
  it('finds Chinese names by full pinyin, initials, a middle syllable and mixed 华xin', async () => {
    const { store } = await seeded();
    expect(await names(store, 'huaxin')).toEqual(['华信贸易', '华星电子']); // huaxin… is a prefix of huaxing
    expect(await names(store, 'huaxinmaoyi')).toEqual(['华信贸易']);
    expect(await names(store, 'hxmy')).toEqual(['华信贸易']);
    expect(await names(store, 'maoyi')).toEqual(['华信贸易']);
    expect(await names(store, '华xin')).toEqual(['华信贸易', '华星电子']); // xin… is a prefix of xing
    expect(await names(store, '信mao')).toEqual(['华信贸易']);
    expect(await names(store, '华xinmao')).toEqual(['华信贸易']);
    expect(await names(store, 'xhsd')).toEqual(['新华书店']);
    expect(await names(store, 'shanghai')).toEqual(['华信贸易']); // the city
    expect(await names(store, 'lina')).toEqual(['华信贸易']); // the person
  });

  it('tolerates one typo in a Latin word only when nothing matches exactly', async () => {
    const { store } = await seeded();
    expect(await names(store, 'kellr')).toEqual(['Keller Maschinenbau GmbH']);
    expect(await names(store, 'maschinenbua')).toEqual(['Keller Maschinenbau GmbH']);
    expect(await names(store, 'logsitics')).toEqual(['Acme Logistics']);
    expect(await names(store, 'acme')).toEqual(['Acme Logistics']);
    expect(await names(store, 'kxllxr')).toEqual([]);
    expect(prefixWithinOneEdit('kellr', 'keller')).toBe(true);
    expect(prefixWithinOneEdit('xeller', 'keller')).toBe(false);
  });

  it('finds email, domain, phone digits in any grouping, and 统一编号', async () => {
    const { store } = await seeded();
    expect(await names(store, 'li.na@huaxin-trade.cn')).toEqual(['华信贸易']);
    expect(await names(store, 'huaxin-trade.cn')).toEqual(['华信贸易']);
    expect(await names(store, 'acme-logistics.com')).toEqual(['Acme Logistics']);
    expect(await names(store, '13812345678')).toEqual(['华信贸易']);
    expect(await names(store, '8613812345678')).toEqual(['华信贸易']);
    expect(await names(store, '138 1234 5678')).toEqual(['华信贸易']);
    expect(await names(store, '5678')).toEqual(['华信贸易']);
    expect(await names(store, '0301234999')).toEqual(['Keller Maschinenbau GmbH']);
    expect(await names(store, '91310000MA1FL4XX0X')).toEqual(['华信贸易']);
  });

  it('keeps a card findable by pinyin after a note is added and finds a renamed one by its new name', async () => {
    const { store, ids } = await seeded();
    await store.mutate({ type: 'note-add', cardId: ids.huaxin!, text: 'called' });
    expect((await store.getIndexRow(ids.huaxin!))?.pinyin).toContain('hxmy');
    await store.mutate({ type: 'card-set-field', cardId: ids.xinhua!, field: 'name', value: '金鼎贸易' });
    expect(await names(store, 'jinding')).toEqual(['金鼎贸易']);
    expect(await names(store, 'xhsd')).toEqual([]);
  });
});

describe('who knows about X', () => {
  it('searches profiles and notes, says where it matched, and never a sensitive field', async () => {
    const { store, ids } = await seeded();
    const huaxin = (await store.getCard(ids.huaxin!))!;
    const lina = huaxin.contacts[0]!.id;
    await store.mutate({ type: 'contact-set-field', cardId: ids.huaxin!, contactId: lina, field: 'hobbies', value: 'golf and tennis' });
    await store.mutate({ type: 'contact-set-field', cardId: ids.huaxin!, contactId: lina, field: 'topicsToAvoid', value: 'her divorce; golf scandal' });
    await store.mutate({ type: 'note-add', cardId: ids.keller!, kind: 'visit', text: 'Herr Keller plays golf every Sunday at Wannsee' });
    await store.mutate({ type: 'contact-set-field', cardId: ids.acme!, contactId: (await store.getCard(ids.acme!))!.contacts[0]!.id, field: 'topicsToAvoid', value: 'divorce' });

    const golf = await store.whoKnows('golf');
    expect(golf.map((hit) => hit.row.name)).toEqual(['Keller Maschinenbau GmbH', '华信贸易']);
    const lin = golf.find((hit) => hit.row.id === ids.huaxin)!;
    expect(lin.matches).toEqual([{ kind: 'profile', contactId: lina, person: '李娜', field: 'hobbies', label: { en: 'Hobbies and recreation', zh: '嗜好与娱乐' }, excerpt: 'golf and tennis' }]);
    const keller = golf.find((hit) => hit.row.id === ids.keller)!;
    expect(keller.matches[0]).toMatchObject({ kind: 'timeline', entryKind: 'visit', excerpt: 'Herr Keller plays golf every Sunday at Wannsee' });
    // A topic never to raise neither matches nor shows.
    expect(await store.whoKnows('divorce')).toEqual([]);
    expect(JSON.stringify(golf)).not.toContain('scandal');
  });
});
