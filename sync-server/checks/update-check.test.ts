/**
 * The update check judges what an update touches (shared/rights): each case is a hostile update
 * the old before/after comparison accepted, or an honest one it must keep accepting.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readCard } from '../../shared/card-read.ts';
import { applyMutation } from '../../shared/mutations.ts';
import { mergeSourceOf } from '../../shared/merge/card-merge.ts';
import { checkUpdate, type SenderRules } from './update-check.ts';

const CARD = 'c-1';
const rep: SenderRules = { author: 'rob', controlled: false, keeper: true, owner: 'rob' };
const manager: SenderRules = { author: 'mona', controlled: true, keeper: true, owner: 'rob' };
/** A colleague borrowing rob's card with a loan that allows edits. */
const writeBorrower: SenderRules = { author: 'bo', controlled: false, keeper: false, owner: 'rob' };
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

describe('a merge of two cards, judged like any other update (shared/merge/card-merge.ts)', () => {
  const KEPT = '11111111-1111-4111-8111-111111111111';
  const GONE = '22222222-2222-4222-8222-222222222222';
  let n = 0;
  const ids = (actor: string) => ({ actor, now: 1_800_000_000_000, newId: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}` });
  const cardOf = (id: string, name: string) => {
    const doc = new Y.Doc();
    applyMutation(doc, { type: 'card-create', name, contact: { name: 'Ann', email: 'ann@acme.example' } }, ids('rob'), id);
    applyMutation(doc, { type: 'note-add', cardId: id, text: `visited ${name}` }, ids('mona'), id);
    applyMutation(doc, { type: 'ledger-add', cardId: id, kind: 'order', date: 1, amount: 300 }, ids('mona'), id);
    return doc;
  };
  const kept = Y.encodeStateAsUpdate(cardOf(KEPT, 'Acme'));
  const goneDoc = cardOf(GONE, 'ACME Ltd');
  const gone = Y.encodeStateAsUpdate(goneDoc);
  const source = readCard(goneDoc, GONE);
  const facts = { id: 'merge-0001', from: GONE, fromName: 'ACME Ltd', into: KEPT, intoName: 'Acme' };
  const judge = (stored: Uint8Array, update: Uint8Array, id: string, rules = rep) => {
    const result = checkUpdate(stored, update, id, rules);
    return result.ok ? 'ok' : result.code;
  };
  const merged = change(kept, (doc) => expect(applyMutation(doc, { type: 'card-merge', cardId: KEPT, mergeId: 'merge-0001', source }, ids('rob'), KEPT).ok).toBe(true));
  const retired = change(gone, (doc) => expect(applyMutation(doc, { type: 'card-merge-retire', cardId: GONE, merge: facts }, ids('rob'), GONE).ok).toBe(true));

  it('accepts the honest merge, retirement and both undos from a writer of the cards', () => {
    expect(judge(kept, merged, KEPT)).toBe('ok');
    expect(judge(gone, retired, GONE)).toBe('ok');
    const keptNow = new Y.Doc();
    Y.applyUpdate(keptNow, kept);
    Y.applyUpdate(keptNow, merged);
    const afterMerge = Y.encodeStateAsUpdate(keptNow);
    expect(judge(afterMerge, change(afterMerge, (doc) => expect(applyMutation(doc, { type: 'card-merge-undo', cardId: KEPT, mergeId: 'merge-0001' }, ids('mona'), KEPT).ok).toBe(true)), KEPT, manager)).toBe('ok');
    const goneNow = new Y.Doc();
    Y.applyUpdate(goneNow, gone);
    Y.applyUpdate(goneNow, retired);
    const afterRetire = Y.encodeStateAsUpdate(goneNow);
    expect(judge(afterRetire, change(afterRetire, (doc) => expect(applyMutation(doc, { type: 'card-merge-undo', cardId: GONE, mergeId: 'merge-0001' }, ids('rob'), GONE).ok).toBe(true)), GONE)).toBe('ok');
  });

  it('refuses copies that claim another author, and a retirement without its record or into no card', () => {
    const forged = change(kept, (doc) => {
      applyMutation(doc, { type: 'card-merge', cardId: KEPT, mergeId: 'merge-0002', source }, ids('rob'), KEPT);
      const copy = [...doc.getMap<Y.Map<unknown>>('timeline').values()].find((entry) => entry.get('merge') === 'merge-0002')!;
      copy.set('by', 'mona');
    });
    expect(judge(kept, forged, KEPT)).toBe('wrong-author');
    expect(judge(gone, change(gone, (doc) => doc.getMap('card').set('mergedInto', KEPT)), GONE)).toBe('unrecorded-change');
    const nowhere = change(gone, (doc) => {
      doc.getMap('card').set('mergedInto', '../../etc/passwd');
      record(doc, 'rob', 'mergedInto');
    });
    expect(judge(gone, nowhere, GONE)).toBe('invalid-value');
    const typed = change(gone, (doc) => {
      doc.getMap('card').set('mergedInto', new Y.Map());
      record(doc, 'rob', 'mergedInto');
    });
    expect(judge(gone, typed, GONE)).toBe('wrong-type');
  });

  it('refuses a merge or its undo by a borrower, even one whose loan allows edits', () => {
    const byBorrower = change(gone, (doc) => expect(applyMutation(doc, { type: 'card-merge-retire', cardId: GONE, merge: facts }, ids('bo'), GONE).ok).toBe(true));
    expect(judge(gone, byBorrower, GONE, writeBorrower)).toBe('not-allowed');
    const goneNow = new Y.Doc();
    Y.applyUpdate(goneNow, gone);
    Y.applyUpdate(goneNow, retired);
    const afterRetire = Y.encodeStateAsUpdate(goneNow);
    const undo = change(afterRetire, (doc) => expect(applyMutation(doc, { type: 'card-merge-undo', cardId: GONE, mergeId: 'merge-0001' }, ids('bo'), GONE).ok).toBe(true));
    expect(judge(afterRetire, undo, GONE, writeBorrower)).toBe('not-allowed');
  });

  it('refuses a new card born merged, and an undo that erases the copies instead of recording', () => {
    const born = new Y.Doc();
    applyMutation(born, { type: 'card-create', name: 'Ghost' }, ids('rob'), GONE);
    born.getMap('card').set('mergedInto', KEPT);
    expect(checkUpdate(undefined, Y.encodeStateAsUpdate(born), GONE, rep)).toMatchObject({ ok: false, code: 'not-allowed' });
    const keptNow = new Y.Doc();
    Y.applyUpdate(keptNow, kept);
    Y.applyUpdate(keptNow, merged);
    const afterMerge = Y.encodeStateAsUpdate(keptNow);
    const erase = change(afterMerge, (doc) => {
      for (const [id, entry] of doc.getMap<Y.Map<unknown>>('ledger').entries()) if (entry.get('merge')) doc.getMap('ledger').delete(id);
    });
    expect(judge(afterMerge, erase, KEPT)).toBe('record-sealed');
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

describe("the update check asks a reason for the company's reason fields (policy reasonFields)", () => {
  const stored = storedCard();
  const code = (update: Uint8Array, rules = rep) => {
    const result = checkUpdate(stored, update, CARD, rules);
    return result.ok ? 'ok' : result.code;
  };
  const withPhone: SenderRules = { ...rep, reasonFields: ['creditRating', 'phone'] };
  const setPhone = (reason: unknown) =>
    change(stored, (doc) => {
      doc.getMap('card').set('phone', '021-5555 0101');
      doc.getArray('history').push([{ at: 1, by: 'rob', mutation: 'card-set-field', target: 'phone', from: null, to: '021-5555 0101', ...(reason === undefined ? {} : { reason }) }]);
    });

  it('refuses a change of a listed field whose record carries no reason, an empty one, or one that is not a text', () => {
    expect(code(setPhone(undefined), withPhone)).toBe('invalid-value');
    expect(code(setPhone(''), withPhone)).toBe('invalid-value');
    expect(code(setPhone('   '), withPhone)).toBe('invalid-value');
    expect(code(setPhone(42), withPhone)).toBe('invalid-value');
    // Clearing the field is a change too.
    const stored2 = change(stored, (doc) => applyMutation(doc, { type: 'card-set-field', cardId: CARD, field: 'phone', value: '1', reason: 'new line' }, ctx('rob'), CARD));
    const both = Y.mergeUpdates([stored, stored2]);
    const cleared = change(both, (doc) => {
      doc.getMap('card').delete('phone');
      doc.getArray('history').push([{ at: 1, by: 'rob', mutation: 'card-set-field', target: 'phone', from: '1', to: null }]);
    });
    const result = checkUpdate(both, cleared, CARD, withPhone);
    expect(result.ok ? 'ok' : result.code).toBe('invalid-value');
    // And without any record at all, as before.
    expect(code(change(stored, (doc) => doc.getMap('card').set('phone', '021')), withPhone)).toBe('unrecorded-change');
  });

  it('accepts the change with a reason, and the same change without one when the policy does not list the field', () => {
    expect(code(setPhone('the new switchboard'), withPhone)).toBe('ok');
    expect(code(setPhone(undefined), rep)).toBe('ok');
    expect(code(change(stored, (doc) => applyMutation(doc, { type: 'card-set-field', cardId: CARD, field: 'phone', value: '021', reason: 'moved' }, { ...ctx('rob'), reasonFields: ['phone'] }, CARD)), withPhone)).toBe('ok');
  });

  it('asks the device first: the mutation refuses a listed field without a reason, as the server would', () => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, stored);
    const refused = applyMutation(doc, { type: 'card-set-field', cardId: CARD, field: 'phone', value: '021' }, { ...ctx('rob'), reasonFields: ['phone'] }, CARD);
    expect(refused.ok ? 'ok' : refused.code).toBe('reason-required');
    expect(applyMutation(doc, { type: 'card-set-field', cardId: CARD, field: 'phone', value: '021' }, ctx('rob'), CARD).ok).toBe(true);
  });

  it('needs no reason for the fields a new card is created with', () => {
    const doc = new Y.Doc();
    applyMutation(doc, { type: 'card-create', name: 'New', fields: { phone: '021' } }, { ...ctx('rob'), reasonFields: ['phone'] }, 'c-2');
    const result = checkUpdate(undefined, Y.encodeStateAsUpdate(doc), 'c-2', withPhone);
    expect(result.ok).toBe(true);
  });

  it('takes a merge filling a listed field: the merge is the copy\'s reason (and its undo\'s)', () => {
    const OTHER = '33333333-3333-4333-8333-333333333333';
    const other = new Y.Doc();
    applyMutation(other, { type: 'card-create', name: 'Acme Ltd', fields: { phone: '021-7777' } }, ctx('rob'), OTHER);
    const merged = change(stored, (doc) => expect(applyMutation(doc, { type: 'card-merge', cardId: CARD, mergeId: 'merge-0001', source: mergeSourceOf(readCard(other, OTHER)) }, ctx('rob'), CARD).ok).toBe(true));
    expect(readCard((() => { const d = new Y.Doc(); Y.applyUpdate(d, Y.mergeUpdates([stored, merged])); return d; })(), CARD).fields.phone).toBe('021-7777');
    const result = checkUpdate(stored, merged, CARD, withPhone);
    expect(result.ok ? 'ok' : result.code).toBe('ok');
    const both = Y.mergeUpdates([stored, merged]);
    const undone = change(both, (doc) => expect(applyMutation(doc, { type: 'card-merge-undo', cardId: CARD, mergeId: 'merge-0001' }, ctx('rob'), CARD).ok).toBe(true));
    const undo = checkUpdate(both, undone, CARD, withPhone);
    expect(undo.ok ? 'ok' : undo.code).toBe('ok');
  });
});

describe('two values set at the same moment: the check judges the one that stays', () => {
  it('takes without a record a bare value that lost the place to an honest one (deleted in its own update), and refuses one that won it', () => {
    const stored = storedCard();
    const cityBy = (client: number, honest: boolean) => {
      const doc = new Y.Doc();
      Y.applyUpdate(doc, stored);
      doc.clientID = client;
      const before = Y.encodeStateVector(doc);
      if (honest) applyMutation(doc, { type: 'card-set-field', cardId: CARD, field: 'city', value: 'Ningbo' }, ctx('rob'), CARD);
      else doc.getMap('card').set('city', 'Ningbo');
      return Y.encodeStateAsUpdate(doc, before);
    };
    const afterHonest = Y.mergeUpdates([stored, cityBy(5000, true)]);
    // A lower client id loses the key (Yjs orders concurrent items by client): nothing of it stays on the card.
    expect(checkUpdate(afterHonest, cityBy(10, false), CARD, rep).ok).toBe(true);
    // A higher one wins it and would stand without its record.
    expect(checkUpdate(afterHonest, cityBy(9000, false), CARD, rep)).toMatchObject({ ok: false, code: 'unrecorded-change' });
  });
});

describe("a merge's record claims a merge: only the card's keeper writes one", () => {
  it('refuses a borrower’s retirement record even when the retirement itself lost the place, and takes the keeper’s', () => {
    const stored = storedCard();
    const retireRecord = (by: string) =>
      change(stored, (doc) => doc.getArray('history').push([{ at: 1, by, mutation: 'card-merge-retire', target: 'mergedInto', from: null, to: '11111111-1111-4111-8111-111111111111' }]));
    expect(checkUpdate(stored, retireRecord('bo'), CARD, writeBorrower)).toMatchObject({ ok: false, code: 'not-allowed' });
    expect(checkUpdate(stored, change(stored, (doc) => doc.getArray('history').push([{ at: 1, by: 'bo', mutation: 'card-merge', target: 'merge:m-1', from: null, to: 'x' }])), CARD, writeBorrower)).toMatchObject({ ok: false, code: 'not-allowed' });
    expect(checkUpdate(stored, retireRecord('rob'), CARD, rep).ok).toBe(true);
  });
});
