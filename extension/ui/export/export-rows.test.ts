/**
 * The rows a register export takes, from the real store (fake-indexeddb): every card, past a
 * list's page of 100, by name; or the register's view from the URL.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import type { CardSeed } from '../../../shared/mutations-types.ts';
import { createCardStore, type CardStore } from '../../store/card-store.ts';
import { REGISTER_VIEW_MARK } from '../register/register-view.ts';
import { rowsToExport } from './export-rows.ts';

const stores: CardStore[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

async function storeWith(count: number): Promise<CardStore> {
  const store = createCardStore({ dbName: 'export', actor: () => 'alice', indexedDB: new IDBFactory(), IDBKeyRange });
  stores.push(store);
  const seeds: CardSeed[] = Array.from({ length: count }, (_, i) => ({ create: { type: 'card-create', name: `Customer ${String(count - i).padStart(4, '0')}`, fields: { city: i % 2 ? 'Leeds' : 'York' } } }));
  const result = await store.importCards(seeds);
  if (!result.ok) throw new Error(result.message);
  return store;
}

describe('rows of a register export', () => {
  it('takes every card by name, not a list’s first page', async () => {
    const store = await storeWith(150);
    const rows = await rowsToExport(store, '');
    expect(rows).toHaveLength(150);
    expect(rows[0]?.name).toBe('Customer 0001');
    expect(rows[149]?.name).toBe('Customer 0150');
  });

  it('takes the register’s view when the register opened the page', async () => {
    const store = await storeWith(150);
    const params = new URLSearchParams({ [REGISTER_VIEW_MARK]: '1' });
    expect(await rowsToExport(store, `?${params}`)).toHaveLength(150);
  });
});
