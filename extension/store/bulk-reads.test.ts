/**
 * Reading many whole cards at once (exports) through the real store on fake-indexeddb: more than
 * a batch of ids is read in one pass over the packs, and a card with both a pack entry and a
 * later `docs` row is read with both merged, in the order asked.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import * as Y from 'yjs';
import { afterEach, describe, expect, it } from 'vitest';
import { readCard } from '../../shared/card-read.ts';
import { analyseImport } from '../../shared/import/analyse.ts';
import { buildPlan } from '../../shared/import/plan.ts';
import { createCardStore, type CardStore } from './card-store.ts';
import { openDatabase } from './db.ts';

const stores: CardStore[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

describe('bulk reads', () => {
  it('read 1,200 imported cards (three packs) and an edited one, merged, in the order asked', async () => {
    const factory = new IDBFactory();
    const store = createCardStore({ dbName: 'bulk', actor: () => 'alice', indexedDB: factory, IDBKeyRange });
    stores.push(store);
    const lines = ['Company,Email', ...Array.from({ length: 1200 }, (_, i) => `Customer ${i},buyer${i}@c${i}.example`)];
    const analysis = await analyseImport(new TextEncoder().encode(lines.join('\n')), 'list.csv', { existing: [] });
    if (!analysis.ok) throw new Error(analysis.message);
    expect((await store.runImport(buildPlan('list.csv', analysis.value.records, analysis.value.duplicates, { all: 'create' }))).ok).toBe(true);
    const db = openDatabase('bulk', factory, IDBKeyRange);
    expect(await db.packs.count()).toBe(3);
    db.close();

    const edited = (await store.matchSender('buyer7@c7.example'))!;
    expect((await store.mutate({ type: 'card-set-field', cardId: edited.id, field: 'city', value: '上海' })).ok).toBe(true);
    const ids = (await store.allRows()).map((row) => row.id).reverse();
    const states = await store.readCardStates(ids);
    expect(states.size).toBe(1200);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, states.get(edited.id)!);
    // The pack's entry (the name) and the docs row (the city) both count.
    expect(readCard(doc, edited.id).fields).toMatchObject({ name: 'Customer 7', city: '上海' });

    const cards = await store.readCards(ids);
    expect(cards.map((card) => card.id)).toEqual(ids);
    expect(cards.find((card) => card.id === edited.id)?.fields.city).toBe('上海');
    expect((await store.readCardStates([ids[0]!, 'no-such-card'])).size).toBe(1);
  });
});
