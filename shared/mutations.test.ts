import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { readCard } from './card-read.ts';
import { applyMutation } from './mutations.ts';
import type { Mutation, MutationContext } from './mutations-types.ts';

let n = 0;
function context(now = 1_700_000_000_000): MutationContext {
  return { actor: 'alice', now, newId: () => `id-${++n}` };
}

function newCard(): Y.Doc {
  const doc = new Y.Doc();
  const created = applyMutation(doc, { type: 'card-create', name: '金鼎贸易有限公司', contact: { name: '李娜', email: ' Li.Na@Jinding-Trading.cn ' } }, context(), 'card-1');
  expect(created.ok).toBe(true);
  return doc;
}

describe('card-create', () => {
  it('creates the card with its first contact, domain and change records', () => {
    const view = readCard(newCard(), 'card-1');
    expect(view.fields.name).toBe('金鼎贸易有限公司');
    expect(view.fields.domains).toEqual(['jinding-trading.cn']);
    expect(view.fields.owner).toBe('alice');
    expect(view.contacts).toHaveLength(1);
    expect(view.contacts[0]!.email).toBe('li.na@jinding-trading.cn');
    expect(view.history.map((r) => r.mutation)).toEqual(['card-create', 'contact-add']);
  });

  it('never takes a free-mail domain as the company domain', () => {
    const doc = new Y.Doc();
    applyMutation(doc, { type: 'card-create', name: 'Wang', contact: { name: 'Wang Fang', email: 'wangfang@qq.com' } }, context(), 'c');
    expect(readCard(doc, 'c').fields.domains).toEqual([]);
  });

  it.each([
    [{ type: 'card-create', name: '   ' }, 'empty-name'],
    [{ type: 'card-create', name: 'Acme', contact: { name: 'Bo', email: 'not-an-email' } }, 'invalid-email'],
    [{ type: 'card-create', name: 'Acme', contact: { name: '', email: 'bo@acme.com' } }, 'empty-name'],
    [{ type: 'card-create', name: 'Acme', domains: ['acme com'] }, 'invalid-domain'],
    [{ type: 'card-create', name: 'x'.repeat(201) }, 'too-long'],
    [{ type: 'card-create', name: 'Acme', fields: { shoeSize: '42' } }, 'unknown-field'],
  ] as [Mutation, string][])('refuses bad input: %j -> %s', (mutation, code) => {
    const doc = new Y.Doc();
    const result = applyMutation(doc, mutation, context(), 'c');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.code).toBe(code);
      expect(result.message.length).toBeGreaterThan(5);
    }
    expect(doc.getMap('card').size).toBe(0);
  });
});

describe('mutations on an existing card', () => {
  it('refuses an unknown card id with a readable error', () => {
    const result = applyMutation(new Y.Doc(), { type: 'note-add', cardId: 'nope', text: 'hi' }, context(), 'nope');
    expect(result).toMatchObject({ ok: false, code: 'unknown-card' });
    if (!result.ok) expect(result.message).toContain('nope');
  });

  it('sets a field and records from/to', () => {
    const doc = newCard();
    expect(applyMutation(doc, { type: 'card-set-field', cardId: 'card-1', field: 'city', value: '上海' }, context(1_800_000_000_000), 'card-1').ok).toBe(true);
    const view = readCard(doc, 'card-1');
    expect(view.fields.city).toBe('上海');
    expect(view.history.at(-1)).toMatchObject({ mutation: 'card-set-field', target: 'city', from: null, to: '上海', by: 'alice' });
  });

  it('refuses an unknown field and a controlled field without a reason', () => {
    const doc = newCard();
    expect(applyMutation(doc, { type: 'card-set-field', cardId: 'card-1', field: 'nope', value: 'x' }, context(), 'card-1')).toMatchObject({ ok: false, code: 'unknown-field' });
    const noReason = applyMutation(doc, { type: 'card-set-field', cardId: 'card-1', field: 'owner', value: 'bob' }, context(), 'card-1');
    expect(noReason).toMatchObject({ ok: false, code: 'reason-required', field: 'owner' });
    const withReason = applyMutation(doc, { type: 'card-set-field', cardId: 'card-1', field: 'owner', value: 'bob', reason: 'Alice on leave' }, context(), 'card-1');
    expect(withReason.ok).toBe(true);
    expect(readCard(doc, 'card-1').history.at(-1)).toMatchObject({ target: 'owner', from: 'alice', to: 'bob', reason: 'Alice on leave' });
  });

  it('adds contacts and refuses a bad email or an empty name', () => {
    const doc = newCard();
    expect(applyMutation(doc, { type: 'contact-add', cardId: 'card-1', name: '王强', email: 'wrong@' }, context(), 'card-1')).toMatchObject({ ok: false, code: 'invalid-email' });
    expect(applyMutation(doc, { type: 'contact-add', cardId: 'card-1', name: '' }, context(), 'card-1')).toMatchObject({ ok: false, code: 'empty-name' });
    expect(applyMutation(doc, { type: 'contact-add', cardId: 'card-1', name: '王强', email: 'WANG@jinding-trading.cn', role: 'purchasing' }, context(), 'card-1').ok).toBe(true);
    expect(readCard(doc, 'card-1').contacts.map((c) => c.email)).toContain('wang@jinding-trading.cn');
  });

  it('adds notes newest first and refuses empty ones', () => {
    const doc = newCard();
    expect(applyMutation(doc, { type: 'note-add', cardId: 'card-1', text: '  ' }, context(), 'card-1')).toMatchObject({ ok: false, code: 'invalid-value' });
    applyMutation(doc, { type: 'note-add', cardId: 'card-1', text: 'first', at: 10 }, context(), 'card-1');
    applyMutation(doc, { type: 'note-add', cardId: 'card-1', text: '第二条', kind: 'call', at: 20 }, context(), 'card-1');
    expect(readCard(doc, 'card-1').timeline.map((e) => e.text)).toEqual(['第二条', 'first']);
  });

  it('refuses a ledger entry with a negative amount', () => {
    const doc = newCard();
    expect(applyMutation(doc, { type: 'ledger-add', cardId: 'card-1', kind: 'order', date: 1, amount: -5 }, context(), 'card-1')).toMatchObject({ ok: false, code: 'invalid-amount' });
  });

  it('restores an earlier value as a new change record', () => {
    const doc = newCard();
    applyMutation(doc, { type: 'card-set-field', cardId: 'card-1', field: 'city', value: '上海' }, context(), 'card-1');
    applyMutation(doc, { type: 'card-set-field', cardId: 'card-1', field: 'city', value: '北京' }, context(), 'card-1');
    const before = readCard(doc, 'card-1').history.length;
    expect(applyMutation(doc, { type: 'field-restore', cardId: 'card-1', target: 'city', value: '上海', reason: 'typo' }, context(), 'card-1').ok).toBe(true);
    const view = readCard(doc, 'card-1');
    expect(view.fields.city).toBe('上海');
    expect(view.history).toHaveLength(before + 1);
    expect(view.history.at(-1)).toMatchObject({ mutation: 'field-restore', target: 'city', from: '北京', to: '上海', reason: 'typo' });
  });
});

describe('concurrent offline edits', () => {
  it('keeps both edits of different fields and both change records', () => {
    const base = newCard();
    const a = new Y.Doc();
    const b = new Y.Doc();
    Y.applyUpdate(a, Y.encodeStateAsUpdate(base));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(base));
    applyMutation(a, { type: 'card-set-field', cardId: 'card-1', field: 'city', value: '杭州' }, { ...context(), actor: 'alice' }, 'card-1');
    applyMutation(b, { type: 'card-set-field', cardId: 'card-1', field: 'phone', value: '+86 571 8888 0000' }, { ...context(), actor: 'bob' }, 'card-1');
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    const viewA = readCard(a, 'card-1');
    expect(viewA).toEqual(readCard(b, 'card-1'));
    expect(viewA.fields.city).toBe('杭州');
    expect(viewA.fields.phone).toBe('+86 571 8888 0000');
    expect(viewA.history.filter((r) => r.mutation === 'card-set-field').map((r) => r.by).sort()).toEqual(['alice', 'bob']);
  });
});
