import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { readCard } from './card-read.ts';
import { buildIndexRow } from './index-row.ts';
import { applyMutation, ledgerMap, timelineMap } from './mutations.ts';
import type { Mutation, MutationContext } from './mutations-types.ts';
import { resolveCorrections } from './derive/corrections.ts';
import { judgeTouch, recordTargetOf } from './rights/card-structure.ts';
import { summariseLedger } from './derive/ledger.ts';
import { customerStatement } from './analysis/statement.ts';

const T0 = Date.UTC(2026, 10, 1);
const DAY = 86_400_000;
let n = 0;
const ctx = (actor: string, now = T0): MutationContext => ({ actor, now, newId: () => `e-${++n}` });

function card(): Y.Doc {
  const doc = new Y.Doc();
  expect(applyMutation(doc, { type: 'card-create', name: 'Keller Feinmechanik' }, ctx('rob'), 'c1').ok).toBe(true);
  return doc;
}

function run(doc: Y.Doc, m: Mutation, actor: string, now = T0): ReturnType<typeof applyMutation> {
  return applyMutation(doc, m, ctx(actor, now), 'c1');
}

function onlyEntry(doc: Y.Doc, root: 'ledger' | 'timeline'): string {
  const map = root === 'ledger' ? ledgerMap(doc) : timelineMap(doc);
  return [...map.keys()][0]!;
}

describe('ledger-correct', () => {
  it('adds a new entry that replaces the old one, which stays readable and untouched', () => {
    const doc = card();
    run(doc, { type: 'ledger-add', cardId: 'c1', kind: 'order', date: T0 - 40 * DAY, amount: 5_000 }, 'rob');
    run(doc, { type: 'ledger-add', cardId: 'c1', kind: 'payment', date: T0 - 10 * DAY, amount: 1_200, products: 'wire' }, 'rob');
    const paymentId = [...ledgerMap(doc).entries()].find(([, m]) => m.get('kind') === 'payment')![0];
    const old = ledgerMap(doc).get(paymentId)!;
    const before = JSON.stringify(old.toJSON());
    let touched = 0;
    old.observeDeep(() => touched++);
    // The whole update must be one the server accepts: only new entries and a record.
    const paths: string[][] = [];
    doc.on('afterTransaction', (tr: Y.Transaction) => {
      for (const [type, keys] of tr.changed) for (const key of keys) if (key !== null) paths.push([...pathOf(type), key]);
    });

    const result = run(doc, { type: 'ledger-correct', cardId: 'c1', entryId: paymentId, amount: 2_100, reason: 'Bank statement shows 2,100' }, 'mona', T0 + DAY);
    expect(result.ok).toBe(true);
    expect(touched).toBe(0);
    expect(JSON.stringify(old.toJSON())).toBe(before);
    expect(paths.every((p) => p[0] !== 'ledger' || p[1] !== paymentId)).toBe(true);

    const view = readCard(doc, 'c1');
    const payments = view.ledger.filter((e) => e.kind === 'payment');
    expect(payments).toHaveLength(1);
    expect(payments[0]).toMatchObject({ amount: 2_100, by: 'mona', corrects: paymentId, reason: 'Bank statement shows 2,100', correctedAt: T0 + DAY, products: 'wire', date: T0 - 10 * DAY });
    expect(view.superseded!.ledger).toEqual([{ entry: expect.objectContaining({ id: paymentId, amount: 1_200, by: 'rob' }), correctionId: payments[0]!.id, by: 'mona', at: T0 + DAY, reason: 'Bank statement shows 2,100' }]);
    const record = view.history[view.history.length - 1]!;
    expect(record).toMatchObject({ by: 'mona', mutation: 'ledger-correct', target: `ledger:${payments[0]!.id}`, from: 1_200, to: 2_100, reason: 'Bank statement shows 2,100' });

    // Every reader counts the corrected amount: receivables, the row, the statement.
    expect(summariseLedger(view.ledger, undefined, T0).receivables).toBe(2_900);
    expect(buildIndexRow(view, T0).receivables).toBe(2_900);
    expect(buildIndexRow(view, T0).payments).toEqual([[T0 - 10 * DAY, 2_100]]);
    expect(customerStatement(view.ledger, T0 - 100 * DAY, T0).lines.filter((l) => l.credit > 0).map((l) => l.credit)).toEqual([2_100]);
  });

  it('passes the structure model: the new entry by its author, no touch of the stored one', () => {
    const doc = card();
    run(doc, { type: 'ledger-add', cardId: 'c1', kind: 'payment', date: T0, amount: 100 }, 'rob');
    const id = onlyEntry(doc, 'ledger');
    const server = new Y.Doc();
    server.getMap('card'), server.getMap('ledger'), server.getMap('timeline'), server.getArray('history');
    Y.applyUpdate(server, Y.encodeStateAsUpdate(doc));
    const vector = Y.encodeStateVector(server);
    run(doc, { type: 'ledger-correct', cardId: 'c1', entryId: id, amount: 90, reason: 'typo' }, 'mona');
    const update = Y.encodeStateAsUpdate(doc, vector);
    const touches: { path: string[]; value: unknown }[] = [];
    server.on('afterTransaction', (tr: Y.Transaction) => {
      for (const [type, keys] of tr.changed) {
        for (const key of keys) {
          if (key === null || !(type instanceof Y.Map)) continue;
          const parent = type as Y.Map<unknown>;
          touches.push({ path: [...pathOf(type), key], value: parent.get(key) });
        }
      }
    });
    Y.applyUpdate(server, update);
    expect(touches.length).toBeGreaterThan(0);
    for (const touch of touches) {
      if (touch.path[0] === 'history') continue;
      expect(touch.path[1]).not.toBe(id);
      const declared = touch.value instanceof Y.Map ? 'map' : 'value';
      const verdict = judgeTouch(touch.path, { kind: 'set', value: touch.value instanceof Y.Map ? undefined : touch.value, declared, isNewCard: false, inNewEntry: true }, { user: 'mona', write: true, controlled: true, keeper: true });
      expect(verdict).toEqual({ ok: true });
    }
    const newId = [...ledgerMap(server).keys()].find((k) => k !== id)!;
    expect(recordTargetOf(['ledger', newId])).toBe(`ledger:${newId}`);
    expect(readCard(server, 'c1').history.some((r) => r.target === `ledger:${newId}`)).toBe(true);
  });

  it.each([
    [{ reason: '' }, 'reason-required'],
    [{ reason: '   ' }, 'reason-required'],
    [{ amount: -1 }, 'invalid-amount'],
    [{ amount: Number.NaN }, 'invalid-amount'],
    [{ amount: 1e300 }, 'invalid-amount'],
    [{ date: -5 }, 'invalid-date'],
    [{ entryId: 'nope' }, 'unknown-entry'],
    [{ entryId: '__proto__' }, 'unknown-entry'],
    [{ amount: 100 }, 'invalid-value'],
    [{ reason: 'x'.repeat(1_001) }, 'too-long'],
  ])('refuses %j (%s) and changes nothing', (patch, code) => {
    const doc = card();
    run(doc, { type: 'ledger-add', cardId: 'c1', kind: 'payment', date: T0, amount: 100 }, 'rob');
    const id = onlyEntry(doc, 'ledger');
    const state = Y.encodeStateAsUpdate(doc);
    const result = run(doc, { type: 'ledger-correct', cardId: 'c1', entryId: id, amount: 90, reason: 'typo', ...patch } as Mutation, 'mona');
    expect(result).toMatchObject({ ok: false, code });
    expect(Y.encodeStateAsUpdate(doc)).toEqual(state);
  });

  it('refuses to correct a replaced entry, and a correction can itself be corrected', () => {
    const doc = card();
    run(doc, { type: 'ledger-add', cardId: 'c1', kind: 'payment', date: T0, amount: 100 }, 'rob');
    const id = onlyEntry(doc, 'ledger');
    run(doc, { type: 'ledger-correct', cardId: 'c1', entryId: id, amount: 90, reason: 'first' }, 'mona', T0 + 1);
    expect(run(doc, { type: 'ledger-correct', cardId: 'c1', entryId: id, amount: 80, reason: 'again' }, 'mona')).toMatchObject({ ok: false, code: 'already-corrected' });
    const second = readCard(doc, 'c1').ledger[0]!.id;
    expect(run(doc, { type: 'ledger-correct', cardId: 'c1', entryId: second, amount: 95, reason: 'second look' }, 'rob', T0 + 2).ok).toBe(true);
    const view = readCard(doc, 'c1');
    expect(view.ledger.map((e) => e.amount)).toEqual([95]);
    expect(view.superseded!.ledger.map((s) => [s.entry.amount, s.by, s.reason])).toEqual([
      [100, 'mona', 'first'],
      [90, 'rob', 'second look'],
    ]);
  });
});

describe('concurrent corrections', () => {
  it('two devices correcting the same payment offline: the later one counts, both stay readable', () => {
    const a = card();
    run(a, { type: 'ledger-add', cardId: 'c1', kind: 'payment', date: T0, amount: 100 }, 'rob');
    const id = onlyEntry(a, 'ledger');
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    run(a, { type: 'ledger-correct', cardId: 'c1', entryId: id, amount: 110, reason: 'rob: receipt' }, 'rob', T0 + 5);
    run(b, { type: 'ledger-correct', cardId: 'c1', entryId: id, amount: 120, reason: 'mona: bank' }, 'mona', T0 + 9);
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    for (const doc of [a, b]) {
      const view = readCard(doc, 'c1');
      expect(view.ledger.map((e) => e.amount)).toEqual([120]);
      expect(view.superseded!.ledger.map((s) => s.entry.amount).sort()).toEqual([100, 110]);
    }
  });

  it('a correction naming a missing entry counts as an ordinary entry', () => {
    const entries = [{ id: 'x', by: 'a', corrects: 'gone' }, { id: 'y', by: 'b' }];
    expect(resolveCorrections(entries)).toEqual({ current: entries, superseded: [] });
  });
});

describe('timeline-correct', () => {
  it('a corrected contact counts at its corrected date; the old note stays readable', () => {
    const doc = card();
    run(doc, { type: 'note-add', cardId: 'c1', kind: 'call', text: 'Called about the order', at: T0 - 30 * DAY }, 'rob');
    const id = onlyEntry(doc, 'timeline');
    expect(run(doc, { type: 'timeline-correct', cardId: 'c1', entryId: id, at: T0 - 3 * DAY, text: 'Called about the order (was on the 28th)', reason: 'wrong date' }, 'mona', T0).ok).toBe(true);
    const view = readCard(doc, 'c1');
    expect(view.timeline).toHaveLength(1);
    expect(view.timeline[0]).toMatchObject({ kind: 'call', at: T0 - 3 * DAY, by: 'mona', corrects: id });
    expect(view.superseded!.timeline[0]).toMatchObject({ entry: { id, text: 'Called about the order', by: 'rob' }, by: 'mona', reason: 'wrong date' });
    expect(buildIndexRow(view, T0).lastContact).toBe(T0 - 3 * DAY);
    expect(buildIndexRow(view, T0).timelineCount).toBe(1);
    expect(run(doc, { type: 'timeline-correct', cardId: 'c1', entryId: view.timeline[0]!.id, text: '', reason: 'x' }, 'mona')).toMatchObject({ ok: false, code: 'invalid-value' });
    expect(run(doc, { type: 'timeline-correct', cardId: 'c1', entryId: view.timeline[0]!.id, kind: 'gossip' as never, reason: 'x' }, 'mona')).toMatchObject({ ok: false, code: 'invalid-value' });
  });
});

function pathOf(type: Y.AbstractType<any>): string[] { // eslint-disable-line @typescript-eslint/no-explicit-any
  const path: string[] = [];
  let current: Y.AbstractType<any> = type; // eslint-disable-line @typescript-eslint/no-explicit-any
  while (current._item) {
    const parentSub = current._item.parentSub;
    path.unshift(parentSub ?? '*');
    current = current._item.parent as Y.AbstractType<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  }
  const doc = current.doc!;
  for (const [name, root] of doc.share) if (root === current) path.unshift(name);
  return path;
}
