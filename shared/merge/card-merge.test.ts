/**
 * Merging two cards and undoing it, as the reader sees the result: everything of the retired
 * card on the kept one (people, notes, orders, corrections, change records, original authors),
 * the retired card out of the lists, and an undo that hides the copies and restores the fields.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readCard } from '../card-read.ts';
import { buildIndexRow } from '../index-row.ts';
import { applyMutation } from '../mutations.ts';
import { mergeSourceOf } from './card-merge.ts';
import type { Mutation } from '../mutations-types.ts';

const KEPT = '11111111-1111-4111-8111-111111111111';
const GONE = '22222222-2222-4222-8222-222222222222';
let n = 0;
const ctx = (actor: string, now = 1_800_000_000_000) => ({ actor, now, newId: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}` });
const run = (doc: Y.Doc, m: Mutation, actor = 'rob', id = 'cardId' in m ? m.cardId : KEPT) => {
  const result = applyMutation(doc, m, ctx(actor), id);
  if (!result.ok) throw new Error(result.message);
};

function cards() {
  const kept = new Y.Doc();
  run(kept, { type: 'card-create', name: '华星电子', domains: ['huaxing.cn'], contact: { name: '张伟', email: 'zw@huaxing.cn' } }, 'rob', KEPT);
  run(kept, { type: 'note-add', cardId: KEPT, text: 'first visit' });
  const gone = new Y.Doc();
  run(gone, { type: 'card-create', name: '深圳华星电子有限公司', domains: ['huaxing-elec.com.cn'], contact: { name: '刘洋', email: 'ly@huaxing-elec.com.cn' }, fields: { city: '深圳' } }, 'mona', GONE);
  run(gone, { type: 'note-add', cardId: GONE, text: 'complained about delivery', kind: 'complaint' }, 'mona');
  run(gone, { type: 'ledger-add', cardId: GONE, kind: 'order', date: 1_700_000_000_000, amount: 800 }, 'mona');
  const order = readCard(gone, GONE).ledger[0]!.id;
  run(gone, { type: 'ledger-correct', cardId: GONE, entryId: order, amount: 900, reason: 'price list' }, 'mona');
  return { kept, gone };
}

function merge(kept: Y.Doc, gone: Y.Doc, mergeId = 'merge-0001') {
  run(kept, { type: 'card-merge', cardId: KEPT, mergeId, source: mergeSourceOf(readCard(gone, GONE)) });
  run(gone, { type: 'card-merge-retire', cardId: GONE, merge: { id: mergeId, from: GONE, fromName: '深圳华星电子有限公司', into: KEPT, intoName: '华星电子' } });
}

describe('merging two cards', () => {
  it('keeps every person, entry, correction and change record of the retired card on the kept one', () => {
    const { kept, gone } = cards();
    merge(kept, gone);
    const view = readCard(kept, KEPT);
    expect(view.contacts.map((c) => c.name)).toEqual(['张伟', '刘洋']);
    expect(view.contacts[1]!.merged).toEqual({ mergeId: 'merge-0001', from: GONE });
    expect(view.contacts[1]!.profile).toEqual({});
    const complaint = view.timeline.find((e) => e.kind === 'complaint')!;
    // The original author is shown; who merged it in is kept beside.
    expect(complaint).toMatchObject({ text: 'complained about delivery', by: 'mona', merged: { mergeId: 'merge-0001', from: GONE, by: 'rob' } });
    // The correction chain survived the copy: 900 in force, 800 replaced, never both counted.
    expect(view.ledger.map((e) => e.amount)).toEqual([900]);
    expect(view.superseded?.ledger.map((s) => s.entry.amount)).toEqual([800]);
    // Empty fields filled, domains joined, the kept card's own values untouched.
    expect(view.fields).toMatchObject({ name: '华星电子', city: '深圳', domains: ['huaxing.cn', 'huaxing-elec.com.cn'] });
    const record = view.history.find((r) => r.mutation === 'card-merge' && r.target === 'merge:merge-0001')!;
    expect(record).toMatchObject({ by: 'rob', merge: { from: GONE, into: KEPT, fromName: '深圳华星电子有限公司' } });
    const copied = view.history.filter((r) => r.copiedIn);
    expect(copied.map((r) => r.mutation)).toEqual(['card-create', 'contact-add', 'note-add', 'ledger-add', 'ledger-correct']);
    expect(copied.every((r) => r.by === 'mona' && r.copiedIn?.from === GONE)).toBe(true);
  });

  it('takes the retired card out of the lists, still readable, with the merge in its own history', () => {
    const { kept, gone } = cards();
    merge(kept, gone);
    const view = readCard(gone, GONE);
    expect(view.fields.mergedInto).toBe(KEPT);
    expect(buildIndexRow(view, 1_800_000_000_000).mergedInto).toBe(KEPT);
    expect(buildIndexRow(readCard(kept, KEPT), 1_800_000_000_000).mergedInto).toBe('');
    expect(view.history.at(-1)).toMatchObject({ mutation: 'card-merge-retire', target: 'mergedInto', by: 'rob', to: KEPT });
    // Its own entries are all still there.
    expect(view.timeline).toHaveLength(1);
  });

  it('undoes from the record: copies hidden, filled fields back, the retired card listed again; then merges again', () => {
    const { kept, gone } = cards();
    merge(kept, gone);
    run(kept, { type: 'card-merge-undo', cardId: KEPT, mergeId: 'merge-0001' }, 'mona');
    run(gone, { type: 'card-merge-undo', cardId: GONE, mergeId: 'merge-0001' }, 'mona');
    const view = readCard(kept, KEPT);
    expect(view.contacts.map((c) => c.name)).toEqual(['张伟']);
    expect(view.timeline.map((e) => e.text)).toEqual(['first visit']);
    expect(view.ledger).toEqual([]);
    expect(view.fields.city).toBeUndefined();
    expect(view.fields.domains).toEqual(['huaxing.cn']);
    expect(view.history.some((r) => r.copiedIn)).toBe(false);
    expect(view.history.filter((r) => r.mutation === 'card-merge-undo').map((r) => r.by)).toEqual(['mona', 'mona', 'mona']);
    expect(readCard(gone, GONE).fields.mergedInto).toBeUndefined();
    expect(applyMutation(kept, { type: 'card-merge-undo', cardId: KEPT, mergeId: 'merge-0001' }, ctx('rob'), KEPT)).toMatchObject({ ok: false, code: 'merge-undone' });
    merge(kept, gone, 'merge-0002');
    expect(readCard(kept, KEPT).contacts.map((c) => c.name)).toEqual(['张伟', '刘洋']);
  });

  it('leaves a field changed since the merge as it is when undoing', () => {
    const { kept, gone } = cards();
    merge(kept, gone);
    run(kept, { type: 'card-set-field', cardId: KEPT, field: 'city', value: '东莞' });
    run(kept, { type: 'card-merge-undo', cardId: KEPT, mergeId: 'merge-0001' });
    expect(readCard(kept, KEPT).fields.city).toBe('东莞');
  });

  it('refuses a card into itself, the same card twice, a retired card kept, and a hostile source', () => {
    const { kept, gone } = cards();
    const self = readCard(kept, KEPT);
    expect(applyMutation(kept, { type: 'card-merge', cardId: KEPT, mergeId: 'merge-0009', source: self }, ctx('rob'), KEPT)).toMatchObject({ ok: false, code: 'invalid-value' });
    merge(kept, gone);
    expect(applyMutation(kept, { type: 'card-merge', cardId: KEPT, mergeId: 'merge-0003', source: readCard(gone, GONE) }, ctx('rob'), KEPT)).toMatchObject({ ok: false, code: 'already-merged' });
    expect(applyMutation(gone, { type: 'card-merge', cardId: GONE, mergeId: 'merge-0004', source: readCard(kept, KEPT) }, ctx('rob'), GONE)).toMatchObject({ ok: false, code: 'merged-card' });
    const hostile = { type: 'card-merge', cardId: KEPT, mergeId: 'merge-0005', source: { id: GONE, fields: null, contacts: 'x' } } as unknown as Mutation;
    expect(applyMutation(kept, hostile, ctx('rob'), KEPT)).toMatchObject({ ok: false, code: 'invalid-value' });
    expect(applyMutation(kept, { type: 'card-merge', cardId: KEPT, mergeId: '', source: readCard(gone, GONE) }, ctx('rob'), KEPT)).toMatchObject({ ok: false, code: 'invalid-value' });
  });
});
