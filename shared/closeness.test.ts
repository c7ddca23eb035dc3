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
    expect(suggestCloseness(['news-first', 'talks-openly', 'asks-our-view'], [NOW - 3 * DAY], NOW)).toMatchObject({ level: 'friendly', score: 4, recent: true, frequent: false });
    expect(suggestCloseness(['news-first', 'talks-openly', 'asks-our-view', 'wants-to-meet'], [NOW - 3 * DAY, NOW - 40 * DAY, NOW - 80 * DAY], NOW)).toMatchObject({ level: 'close', score: 6, frequent: true });
    expect(suggestCloseness(['news-first', 'news-first', 'bogus'], [NOW + 10 * DAY], NOW)).toMatchObject({ signs: 1, recent: false });
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
    expect(judgeTouch(['contacts', personId, field], { kind: 'set', value, declared: 'value', isNewCard: false, inNewEntry: false }, { user: 'rob', write: true, controlled: false })).toMatchObject({ ok: false, code: 'invalid-value' });
  });
});
