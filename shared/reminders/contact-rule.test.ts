import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { readCard } from '../card-read.ts';
import { buildIndexRow } from '../index-row.ts';
import { applyMutation } from '../mutations.ts';
import type { Mutation } from '../mutations-types.ts';
import { dueItemsOfRows } from './due.ts';

const T0 = Date.UTC(2026, 5, 1);
const DAY = 86_400_000;
let n = 0;

function cardWith(steps: Omit<Mutation & { type: 'note-add' }, 'cardId' | 'type'>[]) {
  const doc = new Y.Doc();
  const ctx = { actor: 'rob', now: T0 - 200 * DAY, newId: () => `n${++n}` };
  applyMutation(doc, { type: 'card-create', name: 'Huaxin' }, ctx, 'c');
  for (const step of steps) expect(applyMutation(doc, { type: 'note-add', cardId: 'c', ...step } as Mutation, ctx, 'c').ok).toBe(true);
  return buildIndexRow(readCard(doc, 'c'), T0);
}

describe('what restarts the contact clock', () => {
  it('a quick note logged as a contact does; a note marked "not a contact" does not', () => {
    expect(cardWith([{ text: 'Talked at the fair', at: T0 - 3 * DAY, contact: true }]).lastContact).toBe(T0 - 3 * DAY);
    expect(cardWith([{ text: 'Internal: check stock first', at: T0 - 3 * DAY }]).lastContact).toBe(0);
  });

  it('a message (WeChat, SMS) is a contact', () => {
    expect(cardWith([{ kind: 'message', text: 'WeChat: sent the quote', at: T0 - 2 * DAY }]).lastContact).toBe(T0 - 2 * DAY);
  });

  it('only notes carry the flag: a complaint marked as a contact stays a complaint', () => {
    expect(cardWith([{ kind: 'complaint', text: 'Late delivery', at: T0 - DAY, contact: true }]).lastContact).toBe(0);
  });

  it('a card with recent contact notes is not drifting; the same notes without the flag are', () => {
    const contacted = { ...cardWith([{ text: 'Lunch with Mr Li', at: T0 - 5 * DAY, contact: true }]), abc: 'A' };
    const notes = { ...cardWith([{ text: 'Lunch with Mr Li', at: T0 - 5 * DAY }]), abc: 'A' };
    expect(dueItemsOfRows([contacted], T0).filter((i) => i.kind === 'cadence' && i.bucket !== 'this-week')).toEqual([]);
    expect(dueItemsOfRows([notes], T0).filter((i) => i.kind === 'cadence').map((i) => i.bucket)).toEqual(['overdue']);
  });

  it('refuses a flag that is not yes or no', () => {
    const doc = new Y.Doc();
    const ctx = { actor: 'rob', now: T0, newId: () => `m${++n}` };
    applyMutation(doc, { type: 'card-create', name: 'X' }, ctx, 'x');
    expect(applyMutation(doc, { type: 'note-add', cardId: 'x', text: 'hi', contact: 'yes' as never }, ctx, 'x')).toMatchObject({ ok: false, code: 'invalid-value' });
  });
});
