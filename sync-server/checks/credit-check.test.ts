/**
 * Credit control on the server's update check (shared/rights/credit-rule.ts): a rep's order over
 * the approved limit, or for a customer rated below the credit floor, is refused unless it is
 * submitted for approval (pending); only a manager of the card's team decides it. Hostile cases
 * first: a forged approval, an order just over the limit, a sum of orders over it, amounts as text.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { applyMutation } from '../../shared/mutations.ts';
import { readCardState } from '../../shared/card-read.ts';
import { checkUpdate, type SenderRules } from './update-check.ts';

const CARD = 'c-credit';
const rep: SenderRules = { author: 'rob', controlled: false, keeper: true, owner: 'rob', creditFloor: 'C' };
const manager: SenderRules = { author: 'mona', controlled: true, owner: 'rob', creditFloor: 'C' };
let n = 0;
const ctx = (actor: string) => ({ actor, now: 1_800_000_000_000, newId: () => `id-${++n}` });

/** A card with an approved limit of 10,000 and receivables of 6,000 (an order of 8,000, a payment of 2,000). */
function storedCard(rating = 'B'): Uint8Array {
  const doc = new Y.Doc();
  applyMutation(doc, { type: 'card-create', name: 'Acme' }, ctx('rob'), CARD);
  applyMutation(doc, { type: 'card-set-field', cardId: CARD, field: 'creditLimitApproved', value: 10_000, reason: 'review' }, ctx('mona'), CARD);
  applyMutation(doc, { type: 'card-set-field', cardId: CARD, field: 'creditRating', value: rating, reason: 'review' }, ctx('mona'), CARD);
  applyMutation(doc, { type: 'ledger-add', cardId: CARD, kind: 'order', date: 1, amount: 8_000 }, ctx('mona'), CARD);
  applyMutation(doc, { type: 'ledger-add', cardId: CARD, kind: 'payment', date: 2, amount: 2_000 }, ctx('mona'), CARD);
  return Y.encodeStateAsUpdate(doc);
}

function change(stored: Uint8Array, make: (doc: Y.Doc) => void): Uint8Array {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, stored);
  doc.clientID = 4242;
  const before = Y.encodeStateVector(doc);
  make(doc);
  return Y.encodeStateAsUpdate(doc, before);
}

const order = (amount: number, extra: { pending?: true } = {}) => (doc: Y.Doc) => {
  const result = applyMutation(doc, { type: 'ledger-add', cardId: CARD, kind: 'order', date: 3, amount, ...extra }, ctx(doc.clientID === 4242 ? 'rob' : 'mona'), CARD);
  if (!result.ok) throw new Error(result.message);
};

/** An order entry written by hand, as a hostile device would. */
function rawOrder(doc: Y.Doc, by: string, values: Record<string, unknown>): string {
  const id = `raw-${++n}`;
  doc.transact(() => {
    const entry = new Y.Map<unknown>();
    doc.getMap('ledger').set(id, entry);
    for (const [key, value] of Object.entries({ kind: 'order', date: 3, by, ...values })) entry.set(key, value);
    doc.getArray('history').push([{ at: 3, by, mutation: 'ledger-add', target: `ledger:${id}`, from: null, to: 1 }]);
  });
  return id;
}

function codeOf(stored: Uint8Array, update: Uint8Array, rules = rep): string {
  const result = checkUpdate(stored, update, CARD, rules);
  return result.ok ? 'ok' : result.code;
}

function stateAfter(stored: Uint8Array, update: Uint8Array, rules = rep): Uint8Array {
  const result = checkUpdate(stored, update, CARD, rules);
  if (!result.ok) throw new Error(result.code);
  return result.state;
}

describe('credit control on the update check', () => {
  const stored = storedCard();

  it('refuses a rep’s order just over the limit, and takes one exactly at it', () => {
    expect(codeOf(stored, change(stored, order(4_000.01)))).toBe('credit-approval');
    expect(codeOf(stored, change(stored, order(4_000)))).toBe('ok');
  });

  it('refuses a sum of orders over the limit in one change, each under it alone', () => {
    expect(codeOf(stored, change(stored, (doc) => {
      order(2_500)(doc);
      order(2_500)(doc);
    }))).toBe('credit-approval');
  });

  it('refuses amounts written as text, whatever they say', () => {
    const update = change(stored, (doc) => rawOrder(doc, 'rob', { amount: '99999' }));
    expect(codeOf(stored, update)).toBe('invalid-value');
    expect(codeOf(stored, change(stored, (doc) => rawOrder(doc, 'rob', { amount: 5_000, pending: 'true' })))).toBe('invalid-value');
    expect(codeOf(stored, change(stored, (doc) => rawOrder(doc, 'rob', { amount: 5_000, pending: false })))).toBe('invalid-value');
  });

  it('refuses a rep forging an approval: a decision entry, an approved flag on the order, or both at once', () => {
    const pendingState = stateAfter(stored, change(stored, order(9_000, { pending: true })));
    const pendingId = readCardState(pendingState, CARD).creditApprovals![0]!.order.id;
    const forgedDecision = change(pendingState, (doc) => rawOrder(doc, 'rob', { kind: 'credit-decision', decides: pendingId, decision: 'approved', amount: 0 }));
    expect(codeOf(pendingState, forgedDecision)).toBe('controlled-field');
    // The mutation itself, run on a rep's device, writes what the server refuses from a rep.
    const throughMutation = change(pendingState, (doc) => {
      const result = applyMutation(doc, { type: 'credit-decide', cardId: CARD, orderId: pendingId, approve: true }, ctx('rob'), CARD);
      expect(result.ok).toBe(true);
    });
    expect(codeOf(pendingState, throughMutation)).toBe('controlled-field');
    expect(codeOf(stored, change(stored, (doc) => rawOrder(doc, 'rob', { amount: 9_000, pending: true, decision: 'approved', decides: 'self' })))).toBe('controlled-field');
    expect(codeOf(stored, change(stored, (doc) => rawOrder(doc, 'rob', { amount: 9_000, approved: true })))).toBe('credit-approval');
  });

  it('refuses a correction that raises an order over the limit, and takes one that lowers it', () => {
    const orderId = readCardState(stored, CARD).ledger.find((e) => e.kind === 'order')!.id;
    const raise = change(stored, (doc) => {
      const result = applyMutation(doc, { type: 'ledger-correct', cardId: CARD, entryId: orderId, amount: 12_500, reason: 'typo' }, ctx('rob'), CARD);
      expect(result.ok).toBe(true);
    });
    expect(codeOf(stored, raise)).toBe('credit-approval');
    const lower = change(stored, (doc) => void applyMutation(doc, { type: 'ledger-correct', cardId: CARD, entryId: orderId, amount: 7_000, reason: 'typo' }, ctx('rob'), CARD));
    expect(codeOf(stored, lower)).toBe('ok');
  });

  it('refuses a rep’s order for a customer rated below the floor, however small', () => {
    const low = storedCard('D');
    expect(codeOf(low, change(low, order(1)))).toBe('credit-approval');
    expect(codeOf(low, change(low, order(1, { pending: true })))).toBe('ok');
    // A payment is always welcome.
    expect(codeOf(low, change(low, (doc) => void applyMutation(doc, { type: 'ledger-add', cardId: CARD, kind: 'payment', date: 4, amount: 100 }, ctx('rob'), CARD)))).toBe('ok');
    // The floor is the rules' (the company's): with none, the same order passes.
    expect(codeOf(low, change(low, order(1)), { ...rep, creditFloor: '' })).toBe('ok');
  });

  it('stores a pending order without counting it, and counts it once the manager approves', () => {
    const pendingState = stateAfter(stored, change(stored, order(9_000, { pending: true })));
    const waiting = readCardState(pendingState, CARD);
    expect(waiting.creditApprovals).toMatchObject([{ status: 'pending', order: { amount: 9_000, by: 'rob' } }]);
    expect(waiting.ledger.filter((e) => e.kind === 'order').map((e) => e.amount)).toEqual([8_000]);
    const orderId = waiting.creditApprovals![0]!.order.id;
    // The rep may not approve it; a manager may, and only then does it count.
    const decide = (approve: boolean, actor: string) => (doc: Y.Doc) => {
      const result = applyMutation(doc, { type: 'credit-decide', cardId: CARD, orderId, approve, reason: approve ? '' : 'too much' }, ctx(actor), CARD);
      if (!result.ok) throw new Error(result.message);
    };
    const approved = stateAfter(pendingState, change(pendingState, decide(true, 'mona')), manager);
    const view = readCardState(approved, CARD);
    expect(view.creditApprovals).toMatchObject([{ status: 'approved', decision: { by: 'mona' } }]);
    expect(view.ledger.filter((e) => e.kind === 'order').map((e) => e.amount)).toEqual([8_000, 9_000]);
    const declined = readCardState(stateAfter(pendingState, change(pendingState, decide(false, 'mona')), manager), CARD);
    expect(declined.creditApprovals).toMatchObject([{ status: 'declined', decision: { by: 'mona', reason: 'too much' } }]);
    expect(declined.ledger.filter((e) => e.kind === 'order').map((e) => e.amount)).toEqual([8_000]);
  });

  it('lets a manager add an order over the limit without approval', () => {
    const update = change(stored, (doc) => void applyMutation(doc, { type: 'ledger-add', cardId: CARD, kind: 'order', date: 3, amount: 50_000 }, ctx('mona'), CARD));
    expect(codeOf(stored, update, manager)).toBe('ok');
  });

  it('never refuses a change that does not touch the ledger, on a card already over its limit', () => {
    const over = stateAfter(stored, change(stored, (doc) => void applyMutation(doc, { type: 'ledger-add', cardId: CARD, kind: 'order', date: 3, amount: 50_000 }, ctx('mona'), CARD)), manager);
    expect(codeOf(over, change(over, (doc) => void applyMutation(doc, { type: 'note-add', cardId: CARD, text: 'called' }, ctx('rob'), CARD)))).toBe('ok');
    expect(codeOf(over, change(over, order(1)))).toBe('credit-approval');
  });

  it('a merge moves orders, it makes no sale: copying a duplicate’s orders onto a card at its limit needs no approval, an order beside it still does', () => {
    const stored = storedCard('D');
    const other = new Y.Doc();
    applyMutation(other, { type: 'card-create', name: 'ACME Ltd' }, ctx('rob'), '22222222-2222-4222-8222-222222222222');
    applyMutation(other, { type: 'ledger-add', cardId: '22222222-2222-4222-8222-222222222222', kind: 'order', date: 1, amount: 9_000 }, ctx('mona'), '22222222-2222-4222-8222-222222222222');
    const source = readCardState(Y.encodeStateAsUpdate(other), '22222222-2222-4222-8222-222222222222');
    const merge = (doc: Y.Doc) => {
      const result = applyMutation(doc, { type: 'card-merge', cardId: CARD, mergeId: 'merge-0001', source }, ctx('rob'), CARD);
      if (!result.ok) throw new Error(result.message);
    };
    // Receivables 6,000 + 9,000 copied > 10,000 approved, on a D-rated customer: still a merge.
    expect(codeOf(stored, change(stored, merge))).toBe('ok');
    expect(codeOf(stored, change(stored, (doc) => (merge(doc), order(1)(doc))))).toBe('credit-approval');
  });
});
