/**
 * Refused changes through the real store (fake-indexeddb): none is ever dropped unasked (no cap),
 * each says what it did, and a discard gives the card back to the server's version.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import { createCardStore, type CardStore } from './card-store.ts';

const stores: CardStore[] = [];
function makeStore(indexedDB = new IDBFactory()): CardStore {
  const store = createCardStore({ dbName: 'test', actor: () => 'alice', indexedDB, IDBKeyRange });
  stores.push(store);
  return store;
}
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

async function refuseAll(store: CardStore, code: string, message: string): Promise<void> {
  for (;;) {
    const rows = await store.takePending(500);
    if (rows.length === 0) return;
    for (const row of rows) expect(await store.refusePending(row.seq, code, message)).toBe('dropped');
  }
}

describe('refused changes', () => {
  it('keeps every refused change, however many: 250 refused, 250 listed (the old cap kept 200)', async () => {
    const store = makeStore();
    const seeds = Array.from({ length: 250 }, (_, i) => ({ create: { type: 'card-create' as const, name: `Refused ${i}` } }));
    expect((await store.importCards(seeds)).ok).toBe(true);
    await refuseAll(store, 'controlled-field', 'Only a manager of the card’s team may change creditLimitApproved: propose the change instead');
    expect(await store.refusedCount()).toBe(250);
    const kept = await store.refusedChanges();
    expect(kept).toHaveLength(250);
    expect(new Set(kept.map((change) => change.cardId)).size).toBe(250);
    expect(await store.countCards()).toBe(250);
  });

  it('says what a refused change did: the field it set and the value', async () => {
    const store = makeStore();
    const created = await store.mutate({ type: 'card-create', name: 'Acme' });
    if (!created.ok) throw new Error(created.message);
    const cardId = created.value.cardId;
    const [first] = await store.takePending(10);
    await store.ackPending([first!.seq]);
    expect((await store.mutate({ type: 'card-set-field', cardId, field: 'creditLimitApproved', value: 50000, reason: 'good payer' })).ok).toBe(true);
    const [change] = await store.takePending(10);
    await store.refusePending(change!.seq, 'controlled-field', 'Only a manager of the card’s team may change creditLimitApproved: propose the change instead');
    const [refused] = await store.refusedChanges();
    expect(refused).toMatchObject({ cardId, code: 'controlled-field', stepCount: 1, steps: [{ mutation: 'card-set-field', target: 'creditLimitApproved', to: 50000 }] });
  });

  it('retries chosen changes by id, and survives reopening', async () => {
    const idb = new IDBFactory();
    const store = makeStore(idb);
    for (const name of ['A', 'B', 'C']) await store.mutate({ type: 'card-create', name });
    await refuseAll(store, 'not-found', 'No such card');
    const [, second] = await store.refusedChanges();
    expect(await store.retryRefused([second!.id!])).toBe(1);
    expect(await store.pendingCount()).toBe(1);
    store.close();
    const reopened = makeStore(idb);
    expect((await reopened.refusedChanges()).map((change) => change.cardId)).not.toContain(second!.cardId);
    expect(await reopened.refusedCount()).toBe(2);
  });

  it('discards a card’s refused changes with its local copy and unsent changes; other cards stay', async () => {
    const store = makeStore();
    const kept = await store.mutate({ type: 'card-create', name: 'Kept Ltd' });
    const dropped = await store.mutate({ type: 'card-create', name: 'Dropped Ltd' });
    if (!kept.ok || !dropped.ok) throw new Error('create failed');
    const rows = await store.takePending(10);
    await store.refusePending(rows.find((row) => row.cardId === dropped.value.cardId)!.seq, 'not-found', 'No such card');
    await store.mutate({ type: 'note-add', cardId: dropped.value.cardId, text: 'later change' });
    const result = await store.discardRefused([dropped.value.cardId]);
    expect(result).toEqual({ cards: 1, changes: 2, resync: false });
    expect(await store.refusedCount()).toBe(0);
    expect(await store.getCard(dropped.value.cardId)).toBeUndefined();
    expect((await store.getCard(kept.value.cardId))?.fields.name).toBe('Kept Ltd');
    expect((await store.takePending(10)).map((row) => row.cardId)).toEqual([kept.value.cardId]);
  });

  it('keeps the unsent changes of a card whose loan ended as refused ones, to retry after borrowing again', async () => {
    const store = makeStore();
    const lent = await store.mutate({ type: 'card-create', name: '华信贸易' });
    const other = await store.mutate({ type: 'card-create', name: 'Other Ltd' });
    if (!lent.ok || !other.ok) throw new Error('create failed');
    const sent = await store.takePending(10);
    await store.ackPending(sent.map((row) => row.seq));
    // Written while the loan ran, not yet sent when the server said GONE.
    await store.mutate({ type: 'note-add', cardId: lent.value.cardId, text: '周三回电' });
    await store.mutate({ type: 'card-set-field', cardId: lent.value.cardId, field: 'phone', value: '021-5555 0101' });
    await store.mutate({ type: 'note-add', cardId: other.value.cardId, text: 'stays' });

    expect(await store.withdrawCards([lent.value.cardId])).toBe(2);

    expect(await store.getCard(lent.value.cardId)).toBeUndefined();
    expect((await store.takePending(10)).map((row) => row.cardId)).toEqual([other.value.cardId]);
    const [kept] = await store.refusedChanges();
    expect(kept).toMatchObject({ cardId: lent.value.cardId, code: 'access-ended', stepCount: 2 });
    expect(kept!.steps!.map((step) => step.mutation)).toEqual(['note-add', 'card-set-field']);
    // Retried (after borrowing again), the kept change goes back to the outbox as it was.
    expect(await store.retryRefused()).toBe(1);
    const [again] = (await store.takePending(10)).filter((row) => row.cardId === lent.value.cardId);
    expect(again!.update).toEqual(kept!.update);
  });

  it('a card withdrawn with nothing unsent leaves no refused change', async () => {
    const store = makeStore();
    const card = await store.mutate({ type: 'card-create', name: 'Quiet Ltd' });
    if (!card.ok) throw new Error('create failed');
    await store.ackPending((await store.takePending(10)).map((row) => row.seq));
    expect(await store.withdrawCards([card.value.cardId])).toBe(0);
    expect(await store.refusedCount()).toBe(0);
    expect(await store.getCard(card.value.cardId)).toBeUndefined();
  });
});
