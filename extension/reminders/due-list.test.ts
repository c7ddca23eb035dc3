/**
 * Reminders for the responsible person, on the real store (fake-indexeddb): cards arrive as a
 * sync brings them (owners and authors set by the real mutations), the device is signed in as
 * a manager or a borrower, and the due list, badge and team digest are read as the side panel,
 * the worker and the desk read them.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { applyMutation } from '../../shared/mutations.ts';
import type { Mutation } from '../../shared/mutations-types.ts';
import { badgeCount } from '../../shared/reminders/due.ts';
import { createCardStore, type CardStore } from '../store/card-store.ts';
import { loadDueItems, loadTeamDigest } from './due-list.ts';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 6, 9);
const ROB_CARD = '00000000-0000-4000-8000-000000000001';
const ROB_CARD_2 = '00000000-0000-4000-8000-000000000002';
const MONA_CARD = '00000000-0000-4000-8000-000000000003';
const RITA_CARD = '00000000-0000-4000-8000-000000000004';

const stores: CardStore[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

let ids = 0;
/** A card made by its owner 100 days ago, then each step by its author. */
function cardState(id: string, owner: string, name: string, steps: { by: string; mutation: Omit<Extract<Mutation, { type: 'note-add' }>, 'cardId'> }[]): Uint8Array {
  const doc = new Y.Doc();
  const newId = () => `00000000-0000-4000-9000-${String(++ids).padStart(12, '0')}`;
  const made = applyMutation(doc, { type: 'card-create', name }, { actor: owner, now: NOW - 100 * DAY, newId }, id);
  if (!made.ok) throw new Error(made.message);
  for (const step of steps) {
    const done = applyMutation(doc, { ...step.mutation, cardId: id }, { actor: step.by, now: step.mutation.at ?? NOW, newId }, id);
    if (!done.ok) throw new Error(done.message);
  }
  return Y.encodeStateAsUpdate(doc);
}

const call = (text: string, followUp?: number) => ({ type: 'note-add' as const, kind: 'call' as const, text, at: NOW - 95 * DAY, ...(followUp ? { followUp } : {}) });

async function deviceOf(user: string | undefined, cards: { id: string; state: Uint8Array }[]): Promise<CardStore> {
  const store = createCardStore({ dbName: `due-${user ?? 'signed-out'}`, actor: () => user ?? 'me', indexedDB: new IDBFactory(), IDBKeyRange, now: () => NOW });
  stores.push(store);
  if (user) await store.setSetting('syncIdentity', { server: 'ws://cards.example', user, database: 'db-1' });
  await store.applyRemoteUpdates(cards.map((card, i) => ({ cardId: card.id, update: card.state, serverSeq: i + 1 })));
  return store;
}

const robCard = { id: ROB_CARD, state: cardState(ROB_CARD, 'rob', 'Rob Kunde 1', [{ by: 'rob', mutation: call('Rob promised a quote', NOW - 5 * DAY) }]) };
const robCard2 = {
  id: ROB_CARD_2,
  state: cardState(ROB_CARD_2, 'rob', 'Rob Kunde 2', [
    { by: 'rob', mutation: call('Rob called') },
    { by: 'mona', mutation: call('Mona promised to call the owner back', NOW - 3 * DAY) },
  ]),
};
const monaCard = { id: MONA_CARD, state: cardState(MONA_CARD, 'mona', 'Mona Kunde', [{ by: 'mona', mutation: call('Mona promised samples', NOW - 2 * DAY) }]) };
const ritaCard = {
  id: RITA_CARD,
  state: cardState(RITA_CARD, 'rita', 'Rita Kunde', [
    { by: 'rita', mutation: call('Rita promised a visit', NOW - 4 * DAY) },
    { by: 'bea', mutation: call('Bea promised the catalogue', NOW - 1 * DAY) },
  ]),
};

describe('reminders for the responsible person', () => {
  it('a manager’s due list and badge hold her own cards’ items and her own promises, never her reps’ items', async () => {
    const store = await deviceOf('mona', [robCard, robCard2, monaCard]);
    const { items } = await loadDueItems(store, NOW);
    // Without the rule every card's items would be hers: rob's cadence and follow-ups too.
    const everything = (await loadDueItems(await deviceOf(undefined, [robCard, robCard2, monaCard]), NOW)).items;
    expect(badgeCount(everything)).toBe(6);
    expect(items.filter((item) => item.cardId === ROB_CARD)).toEqual([]);
    expect(items.filter((item) => item.cardId === ROB_CARD_2).map((item) => [item.kind, item.params.text])).toEqual([['follow-up', 'Mona promised to call the owner back']]);
    expect(items.filter((item) => item.cardId === MONA_CARD).map((item) => item.kind).sort()).toEqual(['cadence', 'follow-up']);
    expect(badgeCount(items)).toBe(3);
  });

  it('a manager gets her team’s items as a digest per rep, for the desk', async () => {
    const store = await deviceOf('mona', [robCard, robCard2, monaCard]);
    const digest = await loadTeamDigest(store, ['rob', 'mona', 'rita'], NOW);
    expect(digest.map((rep) => rep.rep)).toEqual(['rob', 'rita']);
    const rob = digest[0]!;
    expect(rob.overdue).toBe(4);
    expect(rob.overdueItems.map((item) => item.params.text ?? item.kind)).toContain('Rob promised a quote');
    expect(digest[1]).toMatchObject({ rep: 'rita', overdue: 0, today: 0, thisWeek: 0 });
  });

  it('a borrower sees only her own follow-ups on a borrowed card, not the owner’s items', async () => {
    const store = await deviceOf('bea', [ritaCard]);
    const { items } = await loadDueItems(store, NOW);
    expect(items.map((item) => [item.cardId, item.kind, item.params.text])).toEqual([[RITA_CARD, 'follow-up', 'Bea promised the catalogue']]);
    // The owner, on her device, gets the card's items, her own follow-up among them.
    const rita = (await loadDueItems(await deviceOf('rita', [ritaCard]), NOW)).items;
    expect(rita.map((item) => item.params.text)).toContain('Rita promised a visit');
    expect(rita.some((item) => item.kind === 'cadence')).toBe(true);
  });
});
