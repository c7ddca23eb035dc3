/**
 * A check worker's kept docs (doc-cache.ts): a chain of changes checked with the card's kept doc
 * gets exactly the answers a check from the stored bytes gets — honest changes and hostile ones
 * alike, runs included — a refused change never stays in a kept doc, a doc is used only for the
 * exact state it holds, the cache stays within its size, and a kept doc carries no listener.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { applyMutation } from '../../shared/mutations.ts';
import { seededRandom } from '../../shared/random.ts';
import { DocCache, KEPT_DOCS, KEPT_FROM_BYTES } from './doc-cache.ts';
import { checkUpdate, type SenderRules, type UpdateCheck } from './update-check.ts';

const CARD = 'c-1';
const rep: SenderRules = { author: 'rob', controlled: false, keeper: true, owner: 'rob' };
const ctx = (actor: string, n: number) => ({ actor, now: 1_800_000_000_000 + n, newId: () => `id-${n}-${Math.random().toString(36).slice(2)}` });

function newCard(): Uint8Array {
  const doc = new Y.Doc();
  applyMutation(doc, { type: 'card-create', name: 'Acme', contact: { name: 'Ann', email: 'ann@acme.example' } }, ctx('rob', 0), CARD);
  return Y.encodeStateAsUpdate(doc);
}

/** An update made on a copy of the stored card, under its own client id. */
function change(stored: Uint8Array, client: number, make: (doc: Y.Doc) => void): Uint8Array {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, stored);
  doc.clientID = client;
  const before = Y.encodeStateVector(doc);
  make(doc);
  return Y.encodeStateAsUpdate(doc, before);
}

/** One step of the chain: an honest change by rob, or a hostile one the check must refuse. */
function step(stored: Uint8Array, n: number, random: () => number): { update: Uint8Array; hostile: boolean } {
  const client = 1000 + Math.floor(random() * 3);
  const pick = random();
  if (pick < 0.3) return { hostile: false, update: change(stored, client, (doc) => applyMutation(doc, { type: 'note-add', cardId: CARD, text: `note ${n} 华信` }, ctx('rob', n), CARD)) };
  if (pick < 0.5) return { hostile: false, update: change(stored, client, (doc) => applyMutation(doc, { type: 'card-set-field', cardId: CARD, field: 'city', value: `城市 ${n}` }, ctx('rob', n), CARD)) };
  if (pick < 0.6) return { hostile: false, update: change(stored, client, (doc) => applyMutation(doc, { type: 'ledger-add', cardId: CARD, kind: 'order', date: n, amount: 100 + n }, ctx('rob', n), CARD)) };
  if (pick < 0.7) return { hostile: true, update: change(stored, client, (doc) => doc.getMap('card').set('creditRating', new Y.Text('A'))) };
  if (pick < 0.8) return { hostile: true, update: change(stored, client, (doc) => doc.getArray('history').delete(0, 1)) };
  if (pick < 0.9) return { hostile: true, update: change(stored, client, (doc) => applyMutation(doc, { type: 'note-add', cardId: CARD, text: 'as someone else' }, ctx('mona', n), CARD)) };
  return { hostile: true, update: new Uint8Array([0, 1, 2, 3, 250, 7]) };
}

/**
 * The answer as plain data: the row without the moment it was built at, and the lists that are
 * sets (fields, writers; a kept doc lists its clients in the order they first wrote) sorted.
 */
function answer(check: UpdateCheck): unknown {
  if (!check.ok) return check;
  const row = check.row ? (JSON.parse(check.row) as Record<string, unknown>) : undefined;
  delete row?.asOf;
  const sorted = <T>(list: T[]) => [...list].sort();
  return { ...check, state: Array.from(check.state), merged: check.merged && Array.from(check.merged), row, fields: sorted(check.fields), writers: sorted(check.writers), continued: sorted(check.continued) };
}

describe('a kept doc answers as the stored bytes do', () => {
  it('keeps no small card (decoding it again is cheaper), and a large one', () => {
    const docs = new DocCache();
    const small = newCard();
    const note = (stored: Uint8Array, n: number) => change(stored, 77, (doc) => applyMutation(doc, { type: 'note-add', cardId: CARD, text: `a long note ${n} `.repeat(40) }, ctx('rob', n), CARD));
    const first = checkUpdate(small, note(small, 1), CARD, rep, docs);
    expect(first.ok && first.state.byteLength).toBeLessThan(KEPT_FROM_BYTES);
    expect(docs.count).toBe(0);
    let stored = small;
    for (let n = 1; stored.byteLength < KEPT_FROM_BYTES; n++) {
      const next = checkUpdate(stored, note(stored, n), CARD, rep, docs);
      if (!next.ok) throw new Error(next.message);
      stored = next.state;
    }
    expect(docs.count).toBe(1);
  });

  it('gives the same answer to a chain of honest and hostile changes, single and in runs', () => {
    for (const seed of [1, 2, 3]) {
      const random = seededRandom(seed);
      // Every state kept, however small: the chain then checks with a kept doc at every step.
      const docs = new DocCache(KEPT_DOCS, 0);
      let stored = newCard();
      let accepted = 0;
      for (let n = 1; n <= 120; n++) {
        // Sometimes a run of two changes, the second made on top of the first.
        const first = step(stored, n, random);
        const run = random() < 0.3 && !first.hostile ? [first.update, step(Y.mergeUpdates([stored, first.update]), n + 1000, random).update] : [first.update];
        const updates = run.length > 1 ? run : run[0]!;
        const fresh = checkUpdate(stored, updates, CARD, rep);
        const kept = checkUpdate(stored, updates, CARD, rep, docs);
        expect(answer(kept), `seed ${seed}, step ${n}`).toEqual(answer(fresh));
        if (first.hostile && run.length === 1) expect(fresh.ok, `seed ${seed}, step ${n}: a hostile change`).toBe(false);
        if (kept.ok) {
          stored = kept.state;
          accepted++;
          expect(docs.count).toBe(1);
        } else {
          // A refused check never puts its doc back.
          expect(docs.count).toBe(0);
        }
      }
      expect(accepted).toBeGreaterThan(40);
    }
  });

  it('uses a doc only for the exact state it holds', () => {
    const docs = new DocCache(KEPT_DOCS, 0);
    const stored = newCard();
    const update = change(stored, 7, (doc) => applyMutation(doc, { type: 'note-add', cardId: CARD, text: 'one' }, ctx('rob', 1), CARD));
    const result = checkUpdate(stored, update, CARD, rep, docs);
    expect(result.ok).toBe(true);
    // Another writer stored something else meanwhile: the kept doc is not that state.
    expect(docs.take(CARD, stored)).toBeUndefined();
    expect(docs.count).toBe(0);
    const again = checkUpdate(stored, update, CARD, rep, docs);
    expect(again.ok && docs.take(CARD, again.state)).toBeInstanceOf(Y.Doc);
  });

  it('keeps at most its size, and a kept doc carries no listener from its check', () => {
    const docs = new DocCache(KEPT_DOCS, 0);
    let last: Y.Doc | undefined;
    for (let i = 0; i < KEPT_DOCS + 5; i++) {
      const id = `card-${i}`;
      const doc = new Y.Doc();
      applyMutation(doc, { type: 'card-create', name: `Card ${i}` }, ctx('rob', i), id);
      const result = checkUpdate(undefined, Y.encodeStateAsUpdate(doc), id, rep, docs);
      expect(result.ok).toBe(true);
      if (result.ok) last = docs.take(id, result.state);
      if (result.ok && last) docs.keep(id, result.state, last);
    }
    expect(docs.count).toBe(KEPT_DOCS);
    const observers = (last as unknown as { _observers: Map<string, Set<unknown>> })._observers;
    expect(observers.get('afterTransaction')?.size ?? 0).toBe(0);
    expect(observers.get('update')?.size ?? 0).toBe(0);
  });
});
