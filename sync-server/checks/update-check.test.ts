/**
 * The update check judges what an update touches (shared/rights): each case is a hostile update
 * the old before/after comparison accepted, or an honest one it must keep accepting.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { applyMutation } from '../../shared/mutations.ts';
import { checkUpdate, type SenderRules } from './update-check.ts';

const CARD = 'c-1';
const rep: SenderRules = { author: 'rob', controlled: false, owner: 'rob' };
const manager: SenderRules = { author: 'mona', controlled: true, owner: 'rob' };
const ctx = (actor: string) => ({ actor, now: 1_800_000_000_000, newId: () => Math.random().toString(36).slice(2) });

function storedCard(): Uint8Array {
  const doc = new Y.Doc();
  applyMutation(doc, { type: 'card-create', name: 'Acme', contact: { name: 'Ann', email: 'ann@acme.example' } }, ctx('rob'), CARD);
  applyMutation(doc, { type: 'card-set-field', cardId: CARD, field: 'creditRating', value: 'B', reason: 'review' }, ctx('mona'), CARD);
  applyMutation(doc, { type: 'note-add', cardId: CARD, text: 'met the buyer' }, ctx('mona'), CARD);
  applyMutation(doc, { type: 'ledger-add', cardId: CARD, kind: 'payment', date: 1, amount: 500 }, ctx('mona'), CARD);
  return Y.encodeStateAsUpdate(doc);
}

/** An update made on a copy of the stored card. */
function change(stored: Uint8Array, make: (doc: Y.Doc) => void): Uint8Array {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, stored);
  doc.clientID = 4242;
  const before = Y.encodeStateVector(doc);
  make(doc);
  return Y.encodeStateAsUpdate(doc, before);
}

const firstEntry = (doc: Y.Doc, root: string) => [...doc.getMap<Y.Map<unknown>>(root).entries()][0]!;
const record = (doc: Y.Doc, by: string, target: string) => doc.getArray('history').push([{ at: 1, by, mutation: 'card-set-field', target, from: null, to: 'x' }]);

describe('the update check judges what an update touches', () => {
  const stored = storedCard();
  const code = (update: Uint8Array, rules = rep) => {
    const result = checkUpdate(stored, update, CARD, rules);
    return result.ok ? 'ok' : result.code;
  };

  it('accepts honest changes made by the mutations', () => {
    expect(code(change(stored, (doc) => applyMutation(doc, { type: 'card-set-field', cardId: CARD, field: 'city', value: '杭州' }, ctx('rob'), CARD)))).toBe('ok');
    expect(code(change(stored, (doc) => applyMutation(doc, { type: 'note-add', cardId: CARD, text: 'called' }, ctx('rob'), CARD)))).toBe('ok');
    expect(code(change(stored, (doc) => applyMutation(doc, { type: 'card-set-field', cardId: CARD, field: 'creditRating', value: 'A', reason: 'paid early' }, ctx('mona'), CARD)), manager)).toBe('ok');
  });

  it('refuses a Y.Text holding the same text where the rating belongs, even from a manager', () => {
    const update = change(stored, (doc) => {
      doc.getMap('card').set('creditRating', new Y.Text('B'));
      record(doc, 'mona', 'creditRating');
    });
    expect(code(update, manager)).toBe('wrong-type');
  });

  it('refuses a manager-only field from a rep, and a record claiming one', () => {
    expect(code(change(stored, (doc) => applyMutation(doc, { type: 'card-set-field', cardId: CARD, field: 'creditRating', value: 'A', reason: 'r' }, ctx('rob'), CARD)))).toBe('controlled-field');
    expect(code(change(stored, (doc) => record(doc, 'rob', 'creditLimitApproved')))).toBe('controlled-field');
  });

  it('refuses rewriting, erasing or moving records', () => {
    expect(code(change(stored, (doc) => doc.getArray('history').delete(0, 1)))).toBe('record-sealed');
    const noteEdit = change(stored, (doc) => {
      const [id, entry] = firstEntry(doc, 'timeline');
      entry.set('text', 'rewritten');
      record(doc, 'rob', `timeline:${id}`);
    });
    expect(code(noteEdit)).toBe('record-sealed');
    const amount = change(stored, (doc) => {
      const [id, entry] = firstEntry(doc, 'ledger');
      entry.set('amount', 5);
      record(doc, 'rob', `ledger:${id}`);
    });
    expect(code(amount)).toBe('record-sealed');
    expect(code(change(stored, (doc) => doc.getMap('timeline').delete([...doc.getMap('timeline').keys()][0]!)))).toBe('record-sealed');
  });

  it('refuses a change without its record, and deletions-only updates of fields', () => {
    expect(code(change(stored, (doc) => doc.getMap('card').set('city', 'x')))).toBe('unrecorded-change');
    expect(code(change(stored, (doc) => doc.getMap('card').delete('domains')))).toBe('unrecorded-change');
  });

  it('refuses a new card whose creator or owner is someone else', () => {
    const forged = new Y.Doc();
    applyMutation(forged, { type: 'card-create', name: 'Not mine' }, ctx('mona'), 'c-2');
    const result = checkUpdate(undefined, Y.encodeStateAsUpdate(forged), 'c-2', rep);
    expect(result.ok ? 'ok' : result.code).toMatch(/owner-field|wrong-author/);
  });

  it('reports the client ids an update writes under, and those it continues', () => {
    const result = checkUpdate(stored, change(stored, (doc) => applyMutation(doc, { type: 'note-add', cardId: CARD, text: 'x' }, ctx('rob'), CARD)), CARD, rep);
    expect(result.ok && result.writers).toEqual([4242]);
    expect(result.ok && result.continued).toEqual([]);
  });
});

describe('a run of one sender’s updates, merged by the check', () => {
  it('merges the run where it is checked and returns the merge it applied', () => {
    const stored = storedCard();
    const first = change(stored, (doc) => applyMutation(doc, { type: 'note-add', cardId: CARD, text: 'first' }, ctx('rob'), CARD));
    const withFirst = Y.mergeUpdates([stored, first]);
    const second = change(withFirst, (doc) => applyMutation(doc, { type: 'note-add', cardId: CARD, text: 'second' }, ctx('rob'), CARD));
    const result = checkUpdate(stored, [first, second], CARD, rep);
    expect(result).toMatchObject({ ok: true, changed: true });
    if (!result.ok) return;
    expect(result.merged).toEqual(Y.mergeUpdates([first, second]));
    // One update alone is applied as it is, with nothing merged.
    const alone = checkUpdate(stored, [first], CARD, rep);
    expect(alone.ok && alone.merged).toBeFalsy();
  });

  it('refuses a run holding bytes that are not an update, without throwing', () => {
    const stored = storedCard();
    const honest = change(stored, (doc) => applyMutation(doc, { type: 'note-add', cardId: CARD, text: 'fine' }, ctx('rob'), CARD));
    expect(checkUpdate(stored, [honest, new Uint8Array([255, 255, 255, 255, 7])], CARD, rep)).toMatchObject({ ok: false, code: 'bad-update' });
  });
});
