/**
 * Imports and backups through the real store (fake-indexeddb): an import is all or nothing,
 * fills only empty fields with the import reason in the card's history, and a cancel leaves
 * nothing; a backup restored into an empty profile gives identical cards, and into a profile
 * that holds cards merges and reports new / merged / unchanged.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeBackup, encodeBackup } from '../../shared/backup/backup-format.ts';
import { analyseImport } from '../../shared/import/analyse.ts';
import { buildImportCard, type BuiltCard } from '../../shared/import/build-card.ts';
import { buildPlan } from '../../shared/import/plan.ts';
import type { ImportPlan, ImportRecord } from '../../shared/import/types.ts';
import type { Result } from '../../shared/errors.ts';
import type { CardIndexRow } from '../../shared/card-types.ts';
import { rowOfState } from '../../shared/backup/restore-rows.ts';
import type { PrebuiltCards, PrebuiltRows } from './api.ts';
import { createCardStore, type CardStore } from './card-store.ts';

const stores: CardStore[] = [];
function makeStore(actor = 'alice'): CardStore {
  const store = createCardStore({ dbName: 'test', actor: () => actor, indexedDB: new IDBFactory(), IDBKeyRange });
  stores.push(store);
  return store;
}
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

const CSV = 'Company,Contact,Email,City,Industry\nKeller Maschinenbau GmbH,Jonas Weber,j.weber@keller-maschinen.de,Stuttgart,Machinery\nNew Trading Ltd,Ann Lee,ann@newtrading.example,Leeds,Trade\nSecond New Ltd,Bo Wu,bo@second.example,York,\n';

async function planFor(store: CardStore, csv: string, choice: 'skip' | 'fill' | 'create') {
  const existing = await store.importCandidates(true);
  const analysis = await analyseImport(new TextEncoder().encode(csv), 'crm.csv', { existing });
  if (!analysis.ok) throw new Error(analysis.message);
  return { analysis: analysis.value, plan: buildPlan('crm.csv', analysis.value.records, analysis.value.duplicates, { all: choice }) };
}

describe('import into the store', () => {
  it('creates new cards and fills a duplicate’s empty fields, recording "import <file>"', async () => {
    const store = makeStore();
    const created = await store.mutate({ type: 'card-create', name: 'Keller Maschinenbau GmbH', contact: { name: 'Martin Keller', email: 'm.keller@keller-maschinen.de' }, fields: { city: 'Esslingen' } });
    if (!created.ok) throw new Error(created.message);
    const { analysis, plan } = await planFor(store, CSV, 'fill');
    expect(analysis.duplicates).toEqual([{ row: 2, cardId: created.value.cardId, cardName: 'Keller Maschinenbau GmbH', by: 'domain' }]);
    const progress: string[] = [];
    const result = await store.runImport(plan, { onProgress: (p) => progress.push(p.phase) });
    expect(result).toMatchObject({ ok: true, value: { created: 2, filled: 1, skipped: 0, cancelled: false } });
    expect(result.ok && result.value.createdIds).toHaveLength(2);
    expect(progress).toContain('writing');
    expect(await store.countCards()).toBe(3);
    const keller = await store.getCard(created.value.cardId);
    expect(keller?.fields.city).toBe('Esslingen');
    expect(keller?.fields.industry).toBe('Machinery');
    expect(keller?.contacts.map((c) => c.name)).toEqual(['Martin Keller', 'Jonas Weber']);
    expect(keller?.history.find((h) => h.target === 'industry')).toMatchObject({ reason: 'import crm.csv', by: 'alice' });
    // New cards are searchable, matched by sender and queued for the server like local edits.
    expect((await store.matchSender('ann@newtrading.example'))?.name).toBe('New Trading Ltd');
    expect((await store.search('Leeds')).map((r) => r.name)).toEqual(['New Trading Ltd']);
    expect(await store.pendingCount()).toBeGreaterThanOrEqual(3);
  });

  it('imports Chinese names findable by pinyin at once (rows written with their terms)', async () => {
    const store = makeStore();
    const { plan } = await planFor(store, 'Company,Contact,Email\n华信贸易有限公司,李娜,li.na@huaxin-trading.example\n', 'create');
    expect((await store.runImport(plan)).ok).toBe(true);
    expect((await store.search('hxmy')).map((r) => r.name)).toEqual(['华信贸易有限公司']);
    expect((await store.search('huaxin')).map((r) => r.name)).toEqual(['华信贸易有限公司']);
  });

  it('skips duplicates when told to, and leaves nothing behind when cancelled', async () => {
    const store = makeStore();
    await store.mutate({ type: 'card-create', name: 'Keller Maschinenbau GmbH', domains: ['keller-maschinen.de'] });
    const { plan } = await planFor(store, CSV, 'skip');
    expect(plan.skipped).toEqual([2]);
    const pendingBefore = await store.pendingCount();
    const controller = new AbortController();
    const result = await store.runImport(plan, { signal: controller.signal, onProgress: (p) => { if (p.phase === 'writing') controller.abort(); } });
    expect(result).toMatchObject({ ok: true, value: { cancelled: true } });
    expect(await store.countCards()).toBe(1);
    expect(await store.pendingCount()).toBe(pendingBefore);
    const again = await store.runImport(plan);
    expect(again).toMatchObject({ ok: true, value: { created: 2, skipped: 1 } });
    expect(await store.countCards()).toBe(3);
  });
});

describe('a large import', () => {
  const record = (row: number, name: string): ImportRecord => ({ row, fields: { name, city: 'Leeds' }, contacts: [{ name: `Person ${row}`, email: `p${row}@co${row}.example`, phone: '', profile: {} }] });
  const planOf = (records: ImportRecord[]): ImportPlan => ({ fileName: 'big.csv', reason: 'import big.csv', creates: records, fills: [], skipped: [] });

  it('stores nothing when a row late in the list is refused, after earlier slices were written', async () => {
    const store = makeStore();
    const records = Array.from({ length: 1_500 }, (_, i) => record(i + 2, `Company ${i}`));
    records[1_400] = record(1_402, '   ');
    const progress: number[] = [];
    const result = await store.runImport(planOf(records), { onProgress: (p) => progress.push(p.done) });
    expect(result).toMatchObject({ ok: false, code: 'empty-name', params: { row: 1_402 } });
    expect(progress.some((done) => done > 0 && done < 1_400)).toBe(true);
    expect(await store.countCards()).toBe(0);
    expect(await store.pendingCount()).toBe(0);
    expect((await store.createBackup()).cards).toEqual([]);
  });

  it('takes the cards another thread built and builds the rest itself, the same cards either way', async () => {
    const store = makeStore();
    const records = Array.from({ length: 800 }, (_, i) => record(i + 2, `Company ${i}`));
    const built = new Map<number, Result<BuiltCard>>();
    const helper: PrebuiltCards = {
      start(creates, ids, context) {
        // The second half, as the file worker would send it.
        for (let i = 400; i < creates.length; i++) built.set(i, buildImportCard(creates[i]!, ids[i]!, context));
      },
      take(index) {
        const card = built.get(index);
        built.delete(index);
        return card;
      },
      stop: () => built.clear(),
    };
    const result = await store.runImport(planOf(records), { prebuilt: helper });
    expect(result).toMatchObject({ ok: true, value: { created: 800, filled: 0, skipped: 0, cancelled: false } });
    expect(built.size).toBe(0);
    const rows = await store.listCards({ limit: 1_000 });
    expect(rows.map((row) => row.name).sort()).toEqual(records.map((r) => String(r.fields.name)).sort());
    for (const name of ['Company 10', 'Company 790']) {
      const [row] = await store.search(name);
      const card = await store.getCard(row!.id);
      expect(card?.fields.city).toBe('Leeds');
      expect(card?.contacts.map((c) => c.email)).toHaveLength(1);
      expect(card?.history.map((h) => h.mutation)).toEqual(['card-create', 'contact-add']);
    }
    expect(await store.pendingCount()).toBe(800);
  });
});

describe('backup and restore', () => {
  async function filledStore(): Promise<{ store: CardStore; id: string }> {
    const store = makeStore();
    const created = await store.mutate({ type: 'card-create', name: '金鼎贸易有限公司', contact: { name: '李娜', email: 'li.na@jinding-trading.cn' } });
    if (!created.ok) throw new Error(created.message);
    const id = created.value.cardId;
    await store.mutate({ type: 'card-set-field', cardId: id, field: 'city', value: '上海' });
    await store.mutate({ type: 'card-set-field', cardId: id, field: 'creditLimitApproved', value: 500_000, reason: 'GM approval' });
    await store.mutate({ type: 'note-add', cardId: id, text: '拜访，谈了明年的订单', kind: 'visit', followUp: Date.UTC(2030, 0, 1) });
    await store.mutate({ type: 'ledger-add', cardId: id, kind: 'order', date: Date.UTC(2026, 5, 1), amount: 12_000 });
    await store.mutate({ type: 'card-create', name: 'Acme Industrial Supply', domains: ['acme-industrial.com'] });
    await store.setSetting('snoozes', { 'follow-up:x': Date.UTC(2030, 0, 2) });
    await store.setSetting('language', 'zh-CN');
    await store.setSetting('syncToken', 'secret-token');
    return { store, id };
  }

  it('restores into an empty profile identically: fields, people, timeline, ledger, history, settings; never the token', async () => {
    const { store } = await filledStore();
    const text = encodeBackup(await store.createBackup());
    expect(text).not.toContain('secret-token');
    const decoded = decodeBackup(text);
    if (!decoded.ok) throw new Error(decoded.message);
    const target = makeStore('bob');
    const report = await target.restoreBackup(decoded.value);
    expect(report).toEqual({ ok: true, value: { new: 2, merged: 0, unchanged: 0, settings: 2 } });
    const ids = (await store.listCards()).map((row) => row.id);
    expect((await target.listCards()).map((row) => row.id)).toEqual(ids);
    for (const id of ids) expect(await target.getCard(id)).toEqual(await store.getCard(id));
    expect(await target.getSetting('snoozes')).toEqual({ 'follow-up:x': Date.UTC(2030, 0, 2) });
    expect(await target.getSetting('syncToken')).toBeUndefined();
    // Restoring again changes nothing.
    expect(await target.restoreBackup(decoded.value)).toEqual({ ok: true, value: { new: 0, merged: 0, unchanged: 2, settings: 0 } });
  });

  it('merges into a profile that holds cards and says how many were new, merged, unchanged', async () => {
    const { store, id } = await filledStore();
    const backup = await store.createBackup();
    const target = makeStore('bob');
    expect((await target.restoreBackup(backup)).ok).toBe(true);
    await target.mutate({ type: 'note-add', cardId: id, text: 'Bob was here' });
    await store.mutate({ type: 'card-set-field', cardId: id, field: 'industry', value: '贸易' });
    await store.mutate({ type: 'card-create', name: 'Third Co', domains: ['third.example'] });
    const report = await target.restoreBackup(await store.createBackup());
    expect(report).toEqual({ ok: true, value: { new: 1, merged: 1, unchanged: 1, settings: 0 } });
    const merged = await target.getCard(id);
    expect(merged?.fields.industry).toBe('贸易');
    expect(merged?.timeline.map((e) => e.text)).toContain('Bob was here');
  });

  it('restores a card listed twice once, with both states merged', async () => {
    const { store, id } = await filledStore();
    const first = await store.createBackup();
    await store.mutate({ type: 'card-set-field', cardId: id, field: 'industry', value: '贸易' });
    const second = await store.createBackup();
    const joined = { ...second, cards: [...first.cards, ...second.cards.filter((card) => card.id === id)] };
    const target = makeStore('bob');
    expect(await target.restoreBackup(joined)).toEqual({ ok: true, value: { new: 2, merged: 0, unchanged: 0, settings: 2 } });
    expect((await target.getCard(id))?.fields.industry).toBe('贸易');
    expect(await target.getCard(id)).toEqual(await store.getCard(id));
  });

  it('takes the rows another thread built for a large restore and builds the rest itself', async () => {
    const source = makeStore();
    const records = Array.from({ length: 700 }, (_, i) => ({ row: i + 2, fields: { name: `Company ${i}`, city: 'York' }, contacts: [] }));
    expect((await source.runImport({ fileName: 'a.csv', reason: 'import a.csv', creates: records, fills: [], skipped: [] })).ok).toBe(true);
    const backup = await source.createBackup();
    const built = new Map<number, CardIndexRow>();
    const helper: PrebuiltRows = {
      start(cards, context) {
        for (let i = 350; i < cards.length; i++) built.set(i, rowOfState(cards[i]!.id, cards[i]!.state, context));
      },
      take(index) {
        const row = built.get(index);
        built.delete(index);
        return row;
      },
      stop: () => built.clear(),
    };
    const target = makeStore('bob');
    expect(await target.restoreBackup(backup, undefined, { prebuilt: helper })).toEqual({ ok: true, value: { new: 700, merged: 0, unchanged: 0, settings: 0 } });
    const rows = async (store: CardStore) => (await store.listCards({ limit: 1_000 })).map(({ asOf: _, ...row }) => row);
    expect(await rows(target)).toEqual(await rows(source));
    expect(await target.pendingCount()).toBe(700);
  });

  it('refuses a damaged or foreign file and restores nothing', () => {
    expect(decodeBackup('not json')).toMatchObject({ ok: false, code: 'bad-backup' });
    expect(decodeBackup('{"format":"other"}')).toMatchObject({ ok: false, code: 'bad-backup' });
    expect(decodeBackup('{"format":"customer-cards-backup","version":1,"cards":[{"id":"x","state":"AA=="}]}')).toMatchObject({ ok: false, code: 'bad-backup' });
  });
});
