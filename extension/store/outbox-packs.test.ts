/**
 * Outbox packs through the real store (fake-indexeddb): an import's or a restore's new cards
 * wait in the outbox a pack per batch, yet the sync client takes, acknowledges and has refused
 * one card at a time, in order (a later edit after the card's first state), each card's whole
 * state exactly once; a card removed from the device leaves its pack.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import * as Y from 'yjs';
import { afterEach, describe, expect, it } from 'vitest';
import { readCard } from '../../shared/card-read.ts';
import type { ImportPlan, ImportRecord } from '../../shared/import/types.ts';
import { createCardStore, type CardStore, type PendingUpdate } from './card-store.ts';

const stores: CardStore[] = [];
function makeStore(actor = 'alice'): CardStore {
  const store = createCardStore({ dbName: 'test', actor: () => actor, indexedDB: new IDBFactory(), IDBKeyRange });
  stores.push(store);
  return store;
}
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

const record = (row: number): ImportRecord => ({ row, fields: { name: `Company ${row}`, city: 'Leeds' }, contacts: [] });
const planOf = (count: number): ImportPlan => ({ fileName: 'big.csv', reason: 'import big.csv', creates: Array.from({ length: count }, (_, i) => record(i + 2)), fills: [], skipped: [] });

/** Takes the outbox as the sync client does (a batch, then ACKs), until it is empty. */
async function drain(store: CardStore, batch = 200): Promise<PendingUpdate[]> {
  const sent: PendingUpdate[] = [];
  for (let round = 0; round < 100; round++) {
    const rows = await store.takePending(batch);
    if (rows.length === 0) return sent;
    sent.push(...rows);
    await store.ackPending(rows.map((row) => row.seq));
  }
  throw new Error('the outbox never emptied');
}

describe('outbox packs', () => {
  it("push an import's cards one at a time, in order, each whole state once", async () => {
    const store = makeStore();
    const before = await store.mutate({ type: 'card-create', name: 'Made Before' });
    if (!before.ok) throw new Error(before.message);
    expect((await store.runImport(planOf(1_200))).ok).toBe(true);
    const rows = await store.listCards({ limit: 2_000 });
    const imported = rows.filter((row) => row.name.startsWith('Company ')).map((row) => row.id);
    expect(imported).toHaveLength(1_200);
    // An edit of an imported card after the import goes after that card's first state.
    const edited = rows.find((row) => row.name === 'Company 702')!.id;
    expect((await store.mutate({ type: 'card-set-field', cardId: edited, field: 'city', value: 'York' })).ok).toBe(true);
    expect(await store.pendingCount()).toBe(1 + 1_200 + 1);

    const sent = await drain(store);
    expect(await store.pendingCount()).toBe(0);
    expect(sent[0]!.cardId).toBe(before.value.cardId);
    const seqs = sent.map((row) => row.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(sent.at(-1)!.cardId).toBe(edited);
    const firstStates = sent.slice(1, -1);
    expect(firstStates.map((row) => row.cardId).sort()).toEqual([...imported].sort());
    // The first is the card's whole state as imported; the edit applies on top of it.
    const doc = new Y.Doc();
    Y.applyUpdate(doc, firstStates.find((row) => row.cardId === edited)!.update);
    expect(readCard(doc, edited).fields).toMatchObject({ name: 'Company 702', city: 'Leeds' });
    Y.applyUpdate(doc, sent.at(-1)!.update);
    expect(readCard(doc, edited).fields.city).toBe('York');
    expect((await store.getCard(edited))?.fields.city).toBe('York');
  });

  it("push a restore's new cards one at a time and keep a refusal per card", async () => {
    const source = makeStore();
    expect((await source.runImport(planOf(600))).ok).toBe(true);
    const target = makeStore('bob');
    expect(await target.restoreBackup(await source.createBackup())).toMatchObject({ ok: true, value: { new: 600 } });
    expect(await target.pendingCount()).toBe(600);
    const [first, second, ...rest] = await target.takePending(600);
    expect(rest).toHaveLength(598);
    expect(await target.refusePending(second!.seq, 'not-found', 'No such card, or no right to change it')).toBe('dropped');
    await target.ackPending([first!.seq, ...rest.map((row) => row.seq)]);
    expect(await target.pendingCount()).toBe(0);
    expect((await target.refusedChanges()).map((change) => change.cardId)).toEqual([second!.cardId]);
  });

  it('drop a removed card from its pack, and a pack whose cards are all removed', async () => {
    const store = makeStore();
    expect((await store.runImport(planOf(600))).ok).toBe(true);
    // Rows 2-501 are the first pack, 502-601 the second.
    const idOf = new Map((await store.listCards({ limit: 1_000 })).map((row) => [row.name, row.id]));
    const id = (row: number) => idOf.get(`Company ${row}`)!;
    expect(await store.removeCards([id(10), id(550)])).toBe(2);
    expect(await store.pendingCount()).toBe(598);
    const second = Array.from({ length: 100 }, (_, i) => id(502 + i)).filter((cardId) => cardId !== id(550));
    expect(await store.removeCards(second)).toBe(99);
    expect(await store.pendingCount()).toBe(499);
    const left = (await drain(store)).map((row) => row.cardId);
    expect(left).toHaveLength(499);
    expect(new Set(left)).toEqual(new Set(Array.from({ length: 500 }, (_, i) => id(2 + i)).filter((cardId) => cardId !== id(10))));
  });
});
