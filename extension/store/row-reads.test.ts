/**
 * Rows that wait outside the `cards` table (an import's and a restore's new cards, written a
 * `packRows` record per batch) through the real store on fake-indexeddb: every reader sees
 * them at once, in this context and another; an edit's row hides the waiting one; a removal
 * reaches the other context; the background move and a rebuild change nothing a reader sees.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import { analyseImport } from '../../shared/import/analyse.ts';
import { buildPlan } from '../../shared/import/plan.ts';
import { openDatabase } from './db.ts';
import { createCardStore, type CardStore } from './card-store.ts';
import { createRowReads } from './row-reads.ts';

const stores: CardStore[] = [];
function makeStore(factory: IDBFactory): CardStore {
  const store = createCardStore({ dbName: 'rows', actor: () => 'alice', indexedDB: factory, IDBKeyRange });
  stores.push(store);
  return store;
}
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

const CSV = ['Company,Contact,Email,City', 'Beta Trading Ltd,Ann Lee,ann@beta-trading.example,Leeds', 'Delta Works,Bo Wu,bo@delta.example,York', '华信贸易有限公司,李娜,li.na@huaxin.example,上海'].join('\n');

async function importCsv(store: CardStore, csv = CSV): Promise<void> {
  const analysis = await analyseImport(new TextEncoder().encode(csv), 'list.csv', { existing: await store.importCandidates(true) });
  if (!analysis.ok) throw new Error(analysis.message);
  const result = await store.runImport(buildPlan('list.csv', analysis.value.records, analysis.value.duplicates, { all: 'create' }));
  if (!result.ok) throw new Error(result.message);
}

const names = (rows: { name: string }[]) => rows.map((row) => row.name);

describe('rows waiting outside the cards table', () => {
  it('are seen by every reader as soon as an import ends, in order with the table’s rows', async () => {
    const factory = new IDBFactory();
    const store = makeStore(factory);
    const alpha = await store.mutate({ type: 'card-create', name: 'Alpha GmbH', contact: { name: 'Al', email: 'al@alpha.example' } });
    const gamma = await store.mutate({ type: 'card-create', name: 'Gamma AG', domains: ['gamma.example'] });
    if (!alpha.ok || !gamma.ok) throw new Error('setup');
    await importCsv(store);

    // Stored as a first sync stores cards: the rows in a packRows record, none in `cards`.
    const db = openDatabase('rows', factory, IDBKeyRange);
    expect(await db.cards.count()).toBe(2);
    expect((await db.packRows.toArray()).flatMap((record) => record.rows.map((row) => row.name)).sort()).toEqual(['Beta Trading Ltd', 'Delta Works', '华信贸易有限公司']);

    expect(await store.countCards()).toBe(5);
    expect(names(await store.listCards({ sort: 'name' }))).toEqual(['Alpha GmbH', 'Beta Trading Ltd', 'Delta Works', 'Gamma AG', '华信贸易有限公司']);
    expect(names(await store.listCards({ sort: 'name', offset: 1, limit: 2 }))).toEqual(['Beta Trading Ltd', 'Delta Works']);
    expect(names(await store.listCards({ sort: 'updated' }))).toHaveLength(5);
    expect(names(await store.allRows()).sort()).toEqual(['Alpha GmbH', 'Beta Trading Ltd', 'Delta Works', 'Gamma AG', '华信贸易有限公司']);
    expect((await store.matchSender('ann@beta-trading.example'))?.name).toBe('Beta Trading Ltd');
    expect((await store.matchSender('someone.else@delta.example'))?.name).toBe('Delta Works');
    expect(names(await store.search('hxmy'))).toEqual(['华信贸易有限公司']);
    expect(names(await store.search('Leeds'))).toEqual(['Beta Trading Ltd']);
    const beta = (await store.matchSender('ann@beta-trading.example'))!;
    expect((await store.getIndexRow(beta.id))?.city).toBe('Leeds');

    // Another context (the side panel beside the transfer page) sees the same.
    const other = makeStore(factory);
    expect(await other.countCards()).toBe(5);
    expect((await other.matchSender('li.na@huaxin.example'))?.name).toBe('华信贸易有限公司');
    db.close();
  });

  it('are hidden by the row an edit writes, and a removal reaches every context', async () => {
    const factory = new IDBFactory();
    const store = makeStore(factory);
    const other = makeStore(factory);
    await importCsv(store);
    expect(await other.countCards()).toBe(3);
    const beta = (await store.matchSender('ann@beta-trading.example'))!;

    const renamed = await store.mutate({ type: 'card-set-field', cardId: beta.id, field: 'name', value: 'Beta Holdings Ltd' });
    expect(renamed.ok).toBe(true);
    expect(names(await other.listCards({ sort: 'name' }))).toEqual(['Beta Holdings Ltd', 'Delta Works', '华信贸易有限公司']);
    expect(await other.countCards()).toBe(3);
    expect(names(await other.search('Holdings'))).toEqual(['Beta Holdings Ltd']);

    // Removing a card whose row still waits rewrites its record: the other context reloads.
    const delta = (await store.matchSender('bo@delta.example'))!;
    expect((await other.getIndexRow(delta.id))?.name).toBe('Delta Works');
    await store.removeCards([delta.id]);
    expect(await other.getIndexRow(delta.id)).toBeUndefined();
    expect(await other.matchSender('bo@delta.example')).toBeUndefined();
    expect(names(await other.allRows()).sort()).toEqual(['Beta Holdings Ltd', '华信贸易有限公司']);
  });

  it('are moved into the table shortly after, in the background; readers see the same cards before and after', async () => {
    const factory = new IDBFactory();
    const store = makeStore(factory);
    const other = makeStore(factory);
    await importCsv(store);
    const before = names(await other.listCards({ sort: 'name' }));
    const db = openDatabase('rows', factory, IDBKeyRange);
    expect(await db.packRows.count()).toBe(1);
    const deadline = Date.now() + 10_000;
    while ((await db.packRows.count()) > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await db.packRows.count()).toBe(0);
    expect(await db.cards.count()).toBe(3);
    db.close();
    expect(names(await other.listCards({ sort: 'name' }))).toEqual(before);
    expect(await other.countCards()).toBe(3);
  });

  it('wait to be moved while an export holds the upkeep, and are moved after', async () => {
    const factory = new IDBFactory();
    const store = makeStore(factory);
    await importCsv(store);
    const db = openDatabase('rows', factory, IDBKeyRange);
    const waitingDuringHold = await store.holdUpkeep(async () => {
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      return db.packRows.count();
    });
    expect(waitingDuringHold).toBe(1);
    const deadline = Date.now() + 10_000;
    while ((await db.packRows.count()) > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await db.packRows.count()).toBe(0);
    db.close();
  });

  it('are brought up to date by the daily refresh, which every context sees', async () => {
    // Ordered 11 months ago: in the 12-month purchases at the restore, out of them 60 days later.
    let clock = Date.UTC(2026, 5, 1);
    const source = makeStore(new IDBFactory());
    const card = await source.mutate({ type: 'card-create', name: 'Old Order Ltd' });
    if (!card.ok) throw new Error('setup');
    await source.mutate({ type: 'ledger-add', cardId: card.value.cardId, kind: 'order', date: clock - 330 * 86_400_000, amount: 5_000 });
    const factory = new IDBFactory();
    const store = createCardStore({ dbName: 'rows', actor: () => 'alice', indexedDB: factory, IDBKeyRange, now: () => clock });
    stores.push(store);
    const other = makeStore(factory);
    expect((await store.restoreBackup(await source.createBackup())).ok).toBe(true);
    expect((await other.getIndexRow(card.value.cardId))?.purchases12m).toBe(5_000);

    clock += 60 * 86_400_000;
    await store.refreshRows();
    expect((await other.getIndexRow(card.value.cardId))?.purchases12m).toBe(0);
  });

  it('are replaced by a rebuild’s rows', async () => {
    const factory = new IDBFactory();
    const store = makeStore(factory);
    await importCsv(store);
    const before = names(await store.listCards({ sort: 'name' }));
    expect(await store.rebuildIndex()).toBe(3);
    const db = openDatabase('rows', factory, IDBKeyRange);
    expect(await db.packRows.count()).toBe(0);
    expect(await db.cards.count()).toBe(3);
    db.close();
    expect(names(await store.listCards({ sort: 'name' }))).toEqual(before);
  });

  it('count towards the ABC classes: a restore’s cards with orders get theirs at once', async () => {
    const source = makeStore(new IDBFactory());
    for (let i = 0; i < 10; i++) {
      const card = await source.mutate({ type: 'card-create', name: `Customer ${i}` });
      if (!card.ok) throw new Error('setup');
      await source.mutate({ type: 'ledger-add', cardId: card.value.cardId, kind: 'order', date: Date.now() - 86_400_000, amount: 1_000 * (i + 1) ** 3 });
    }
    const expected = Object.fromEntries((await source.allRows()).map((row) => [row.name, row.abc]));
    expect(Object.values(expected)).toContain('A');

    const factory = new IDBFactory();
    const target = makeStore(factory);
    const report = await target.restoreBackup(await source.createBackup());
    expect(report).toMatchObject({ ok: true, value: { new: 10 } });
    const db = openDatabase('rows', factory, IDBKeyRange);
    expect(await db.cards.count()).toBe(0);
    db.close();
    expect(Object.fromEntries((await target.allRows()).map((row) => [row.name, row.abc]))).toEqual(expected);
  });

  it('leave a card retired by a merge out of the count and the ABC amounts, read from the mergedInto index', async () => {
    const factory = new IDBFactory();
    const store = makeStore(factory);
    const seeds = ['Kept Ltd', 'Retired Ltd', 'Other Ltd'].map((name, i) => ({ create: { type: 'card-create' as const, name }, steps: [{ type: 'ledger-add' as const, kind: 'order' as const, date: Date.now() - 86_400_000, amount: 1000 * (i + 1) }] }));
    const imported = await store.importCards(seeds);
    if (!imported.ok) throw new Error(imported.message);
    const db = openDatabase('rows', factory, IDBKeyRange);
    const reads = createRowReads(db);
    // The import's rows may still wait beside their pack: move them as the background does.
    await store.refreshRows();
    const [, retired] = imported.value.ids;
    const before = await reads.count();
    const amounts = (await reads.positivePurchases()).sort((a, b) => a - b);
    const row = (await db.cards.get(retired!)) ?? (await reads.get(retired!));
    await db.cards.put({ ...row!, mergedInto: imported.value.ids[0]! });
    expect(before).toBe(3);
    expect(amounts).toHaveLength(3);
    expect(await reads.count()).toBe(2);
    expect((await reads.positivePurchases()).sort((a, b) => a - b)).toEqual(amounts.filter((amount) => amount !== row!.purchases12m));
    db.close();
  });
});
