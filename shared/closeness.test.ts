import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { readCard } from './card-read.ts';
import { closenessOf, suggestCloseness } from './closeness.ts';
import { applyMutation, contactsMap } from './mutations.ts';
import type { CardStep, Mutation } from './mutations-types.ts';
import { judgeTouch } from './rights/card-structure.ts';
import { buildIndexRow } from './index-row.ts';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 6, 9);
let n = 0;

function cardWithPerson() {
  const doc = new Y.Doc();
  applyMutation(doc, { type: 'card-create', name: 'Nordlicht Optik', contact: { name: 'Olivia Brandt', email: 'olivia@nordlicht-optik.de' } }, { actor: 'rob', now: NOW - 100 * DAY, newId: () => `p${++n}` }, 'c');
  const personId = [...contactsMap(doc).keys()][0]!;
  const run = (m: CardStep, actor = 'rob', now = NOW) => applyMutation(doc, { ...m, cardId: 'c' } as Mutation, { actor, now, newId: () => `e${++n}` }, 'c');
  return { doc, personId, run };
}

describe('closeness of a person', () => {
  it('suggests a level from the six signs and the contacts logged with the person', () => {
    expect(suggestCloseness([], [], NOW)).toMatchObject({ level: 'far', score: 0 });
    expect(suggestCloseness(['news-first', 'talks-openly'], [], NOW)).toMatchObject({ level: 'known', score: 2 });
    const at = (...days: number[]) => days.map((d) => ({ at: NOW - d * DAY }));
    expect(suggestCloseness(['news-first', 'talks-openly', 'asks-our-view'], at(3), NOW)).toMatchObject({ level: 'friendly', score: 4, recent: true, frequent: false });
    expect(suggestCloseness(['news-first', 'talks-openly', 'asks-our-view', 'wants-to-meet'], at(3, 40, 80), NOW)).toMatchObject({ level: 'close', score: 6, frequent: true, twoWay: false });
    expect(suggestCloseness(['news-first', 'news-first', 'bogus'], at(-10), NOW)).toMatchObject({ signs: 1, recent: false });
  });

  it('counts two-way contact: they reached us as well as we them, in the last half year', () => {
    const signs = ['news-first', 'talks-openly', 'asks-our-view'];
    // We called three times: recent and frequent, but one-way.
    const ours = [{ at: NOW - 3 * DAY, direction: 'out' as const }, { at: NOW - 20 * DAY }, { at: NOW - 50 * DAY }];
    expect(suggestCloseness(signs, ours, NOW)).toMatchObject({ level: 'friendly', score: 5, twoWay: false });
    // They called us once: the relationship is two-way, and close.
    expect(suggestCloseness(signs, [...ours, { at: NOW - 60 * DAY, direction: 'in' }], NOW)).toMatchObject({ level: 'close', score: 6, twoWay: true });
    // Only they reach out (we never do), or their call is older than half a year: not two-way.
    expect(suggestCloseness(signs, [{ at: NOW - 3 * DAY, direction: 'in' }, { at: NOW - 9 * DAY, direction: 'in' }], NOW).twoWay).toBe(false);
    expect(suggestCloseness(signs, [...ours, { at: NOW - 200 * DAY, direction: 'in' }], NOW).twoWay).toBe(false);
  });

  it('keeps the level with its dated history, the signs, influence and opt-ins', () => {
    const { doc, personId, run } = cardWithPerson();
    for (const days of [50, 20, 2]) expect(run({ type: 'note-add', kind: 'call', text: 'call', contactId: personId, at: NOW - days * DAY }).ok).toBe(true);
    expect(run({ type: 'contact-set-field', contactId: personId, field: 'closenessSigns', value: ['talks-openly', 'news-first', 'asks-our-view'] }).ok).toBe(true);
    expect(run({ type: 'contact-set-field', contactId: personId, field: 'closeness', value: 'known', reason: 'first meeting' }, 'rob', NOW - 30 * DAY).ok).toBe(true);
    expect(run({ type: 'contact-set-field', contactId: personId, field: 'closeness', value: 'close', reason: 'Accepted from the signs' }, 'mona', NOW).ok).toBe(true);
    expect(run({ type: 'contact-set-field', contactId: personId, field: 'influence', value: 'decides' }).ok).toBe(true);
    expect(run({ type: 'contact-set-field', contactId: personId, field: 'mailOptIn', value: true }).ok).toBe(true);
    const view = readCard(doc, 'c');
    const closeness = closenessOf(view, personId, NOW)!;
    expect(closeness).toMatchObject({ level: 'close', since: NOW, setBy: 'mona', signs: ['news-first', 'asks-our-view', 'talks-openly'], influence: 'decides', mailOptIn: true, smsOptIn: false });
    expect(closeness.suggestion).toMatchObject({ level: 'friendly', score: 5, signs: 3, recent: true, frequent: true });
    expect(closeness.history.map((r) => [r.from, r.to, r.by, r.reason])).toEqual([
      ['known', 'close', 'mona', 'Accepted from the signs'],
      [null, 'known', 'rob', 'first meeting'],
    ]);
    expect(closeness.contacts).toHaveLength(3);
    // Closeness values are not "what the person is about": never searched as such.
    expect(buildIndexRow(view, NOW).about.split('\n')).not.toContain('decides');
  });

  it('keeps who reached out on a logged contact, refuses anything else, and the suggestion and index read it', () => {
    const { doc, personId, run } = cardWithPerson();
    expect(run({ type: 'note-add', kind: 'call', text: 'They called about the spring order', contactId: personId, direction: 'in', at: NOW - 5 * DAY }).ok).toBe(true);
    expect(run({ type: 'note-add', kind: 'visit', text: 'Visited', contactId: personId, direction: 'out', at: NOW - 2 * DAY }).ok).toBe(true);
    const before = Y.encodeStateAsUpdate(doc);
    for (const direction of ['sideways', 'IN', 1, true]) expect(run({ type: 'note-add', kind: 'call', text: 'x', direction: direction as never })).toMatchObject({ ok: false, code: 'invalid-value' });
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
    // The server's structure model refuses the same values written straight into a new entry.
    const sender = { user: 'rob', write: true, controlled: false, keeper: true };
    const touch = (value: unknown) => judgeTouch(['timeline', 'e-new', 'direction'], { kind: 'set', value, declared: 'value', isNewCard: false, inNewEntry: true }, sender);
    for (const value of ['sideways', 'IN', 1, true, ['in']]) expect(touch(value), JSON.stringify(value)).toMatchObject({ ok: false, code: 'invalid-value' });
    expect(touch('in')).toEqual({ ok: true });
    const view = readCard(doc, 'c');
    expect(view.timeline.map((e) => e.direction)).toEqual(['out', 'in']);
    expect(closenessOf(view, personId, NOW)).toMatchObject({ inbound: 1, suggestion: { twoWay: true, recent: true } });
    expect(buildIndexRow(view, NOW).people).toEqual([{ id: personId, name: 'Olivia Brandt', closeness: '', influence: '', contacts: [NOW - 5 * DAY, NOW - 2 * DAY], lastInbound: NOW - 5 * DAY }]);
  });

  it.each([
    ['closeness', 'best-friends'],
    ['closeness', 3],
    ['closenessSigns', ['news-first', '<script>']],
    ['closenessSigns', 'news-first'],
    ['influence', 'boss'],
    ['mailOptIn', 'yes'],
    ['smsOptIn', 1],
  ])('refuses %s = %j and stores nothing', (field, value) => {
    const { doc, personId, run } = cardWithPerson();
    const before = Y.encodeStateAsUpdate(doc);
    expect(run({ type: 'contact-set-field', contactId: personId, field, value: value as never })).toMatchObject({ ok: false, code: 'invalid-value' });
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
    // The server's structure model refuses the same value sent directly.
    expect(judgeTouch(['contacts', personId, field], { kind: 'set', value, declared: 'value', isNewCard: false, inNewEntry: false }, { user: 'rob', write: true, controlled: false, keeper: true })).toMatchObject({ ok: false, code: 'invalid-value' });
  });
});
