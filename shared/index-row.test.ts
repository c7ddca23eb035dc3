import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { readCard } from './card-read.ts';
import { buildIndexRow, INDEX_ROW_VERSION, parseServerRow, refreshRow } from './index-row.ts';
import { applyMutation } from './mutations.ts';
import type { Mutation } from './mutations-types.ts';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 10);

function card(steps: Mutation[]) {
  const doc = new Y.Doc();
  let n = 0;
  const ctx = { actor: 'alice', now: T0, newId: () => `id${n++}` };
  applyMutation(doc, { type: 'card-create', name: 'Acme 华星', contact: { name: 'Bo', email: 'bo@acme.com' } }, ctx, 'c1');
  for (const step of steps) expect(applyMutation(doc, step, ctx, 'c1').ok).toBe(true);
  return readCard(doc, 'c1');
}

describe('index rows over time', () => {
  const view = card([
    { type: 'ledger-add', cardId: 'c1', kind: 'order', date: T0 - 100 * DAY, amount: 500 },
    { type: 'ledger-add', cardId: 'c1', kind: 'order', date: T0 - 10 * DAY, amount: 300 },
    { type: 'ledger-add', cardId: 'c1', kind: 'payment', date: T0 - 5 * DAY, amount: 500 },
    { type: 'note-add', cardId: 'c1', kind: 'call', text: 'Call back about the quote', at: T0 - DAY, followUp: T0 + 3 * DAY },
    { type: 'contact-set-field', cardId: 'c1', contactId: 'id0', field: 'birthDate', value: '1980-02-29' } as Mutation,
  ]);

  it('brings a row built long ago to what a fresh build says, without the card', () => {
    const old = buildIndexRow(view, T0);
    expect(old).toMatchObject({ version: INDEX_ROW_VERSION, purchases12m: 800, stage: 'repeat', overdue: 0, receivables: 300, nextDue: T0 + 3 * DAY });
    for (const later of [T0 + 25 * DAY, T0 + 200 * DAY, T0 + 300 * DAY, T0 + 400 * DAY]) {
      const { asOf: _a, ...refreshed } = refreshRow(old, later);
      const { asOf: _b, ...rebuilt } = buildIndexRow(view, later);
      expect({ ...refreshed, updatedAt: 0 }).toEqual({ ...rebuilt, updatedAt: 0 });
    }
    expect(refreshRow(old, T0 + 25 * DAY).overdue).toBe(300);
    expect(refreshRow(old, T0 + 200 * DAY).stage).toBe('dormant');
    expect(refreshRow(old, T0 + 400 * DAY)).toMatchObject({ stage: 'lost', purchases12m: 0, abc: 'C' });
    expect(old.annual).toEqual([{ personId: 'id0', person: 'Bo', kind: 'birthday', date: '1980-02-29' }]);
  });

  it('trusts a server row only for the same card and row version', () => {
    const row = buildIndexRow(view, T0);
    const json = JSON.stringify(row);
    expect(parseServerRow(json, 'c1')?.name).toBe('Acme 华星');
    expect(parseServerRow(json, 'c2')).toBeUndefined();
    expect(parseServerRow(JSON.stringify({ ...row, version: INDEX_ROW_VERSION - 1 }), 'c1')).toBeUndefined();
    expect(parseServerRow(JSON.stringify({ ...row, terms: ['x'] }), 'c1')).toBeUndefined();
    expect(parseServerRow('{"id":"c1"', 'c1')).toBeUndefined();
    expect(parseServerRow('null', 'c1')).toBeUndefined();
  });

  it('reads a row given as the UTF-8 bytes of a DOCS frame, and refuses bytes that are not UTF-8', () => {
    const bytes = new TextEncoder().encode(JSON.stringify(buildIndexRow(view, T0)));
    expect(parseServerRow(bytes, 'c1')?.name).toBe('Acme 华星');
    const broken = bytes.slice();
    broken[bytes.indexOf(0x22) + 1] = 0xff;
    expect(parseServerRow(broken, 'c1')).toBeUndefined();
  });
});
