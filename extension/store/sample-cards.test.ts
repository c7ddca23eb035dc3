import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import { createCardStore, type CardStore } from './card-store.ts';

const stores: CardStore[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

describe('sample customers', () => {
  it('are made as the device’s user and removed in one step, real cards untouched', async () => {
    const store = createCardStore({ dbName: 'samples', actor: () => 'lin', indexedDB: new IDBFactory(), IDBKeyRange });
    stores.push(store);
    const real = await store.mutate({ type: 'card-create', name: 'Real Customer Ltd' });
    if (!real.ok) throw new Error(real.message);
    const loaded = await store.loadSampleCards(Date.UTC(2026, 11, 1));
    expect(loaded).toMatchObject({ ok: true, value: { imported: 50 } });
    expect(await store.sampleCardCount()).toBe(50);
    const sample = await store.getCard(loaded.ok ? loaded.value.ids[0]! : '');
    // Every record names the user who loaded them: a server they reach takes them as that user's.
    expect(sample?.fields.owner).toBe('lin');
    expect(new Set(sample?.history.map((record) => record.by))).toEqual(new Set(['lin']));
    expect(new Set(sample?.timeline.map((entry) => entry.by))).toEqual(new Set(['lin']));
    expect(await store.removeSampleCards()).toBe(50);
    expect(await store.countCards()).toBe(1);
    expect((await store.getCard(real.value.cardId))?.fields.name).toBe('Real Customer Ltd');
    expect(await store.sampleCardCount()).toBe(0);
    expect((await store.takePending(100)).map((row) => row.cardId)).toEqual([real.value.cardId]);
  });
});
