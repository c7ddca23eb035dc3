import { describe, expect, it } from 'vitest';
import type { PersonRow } from '../card-types.ts';
import { badgeCount, DEFAULT_REMINDERS, doneMutation, dueItemsOfRows } from '../reminders/due.ts';
import { coolingPeople, deepenCandidate, thinRelationships } from './depth.ts';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 6, 10);
const person = (id: string, extra: Partial<PersonRow> = {}): PersonRow => ({ id, name: id, closeness: '', influence: '', contacts: [], lastInbound: 0, ...extra });
const card = (id: string, abc: string, people: PersonRow[]) => ({ id, name: id, owner: 'rob', abc, people });

describe('how deep a customer’s relationship goes', () => {
  it('lists A customers with no close person or only one, fewest first, with whom to deepen', () => {
    const rows = [
      card('Acme', 'A', [person('li', { closeness: 'close' }), person('wang', { closeness: 'known', influence: 'decides' })]),
      card('Bolt', 'A', [person('zhao', { closeness: 'close' }), person('qian', { closeness: 'close' })]),
      card('Cora', 'A', []),
      card('Dune', 'B', [person('sun')]),
      card('Echo', 'A', [person('zhou', { closeness: 'friendly' })]),
    ];
    const thin = thinRelationships(rows, NOW);
    expect(thin.map((t) => [t.name, t.close])).toEqual([['Cora', 0], ['Echo', 0], ['Acme', 1]]);
    expect(thin[0]!.deepen).toBeUndefined();
    expect(thin[2]).toMatchObject({ closeNames: ['li'], people: 2, deepen: { person: 'wang', influence: 'decides', level: 'known', close: 1 } });
    expect(thinRelationships(rows, NOW, ['A', 'B']).map((t) => t.name)).toContain('Dune');
    // Rows from before people were indexed have none: a thin relationship, never a crash.
    expect(thinRelationships([{ id: 'x', name: 'Old', owner: 'rob', abc: 'A' } as never], NOW)).toMatchObject([{ close: 0, people: 0 }]);
  });

  it('suggests the person with most say first, then the nearest, then the one who reached us', () => {
    const row = (people: PersonRow[]) => ({ people });
    expect(deepenCandidate(row([person('user', { influence: 'uses', closeness: 'friendly' }), person('boss', { influence: 'decides', closeness: 'far' })]), NOW)?.person).toBe('boss');
    expect(deepenCandidate(row([person('a', { closeness: 'known' }), person('b', { closeness: 'friendly' })]), NOW)?.person).toBe('b');
    const caller = person('caller', { lastInbound: NOW - 10 * DAY });
    expect(deepenCandidate(row([person('quiet', { contacts: [NOW - DAY] }), caller]), NOW)).toMatchObject({ person: 'caller', reachesUs: true });
    expect(deepenCandidate(row([person('close', { closeness: 'close' })]), NOW)).toBeUndefined();
  });

  it('lists the people whose silence is cooling, across customers', () => {
    const weekly = [43, 36, 29, 22, 15].map((d) => NOW - d * DAY);
    const rows = [card('Acme', 'A', [person('li', { contacts: weekly, closeness: 'close' }), person('wang', { contacts: weekly.map((t) => t + 10 * DAY) })])];
    expect(coolingPeople(rows, NOW).map((c) => [c.customer, c.person, c.usualDays, c.silentDays])).toEqual([['Acme', 'li', 7, 15]]);
  });
});

describe('the reminders of depth and cooling', () => {
  const base = { lastContact: NOW - 5 * DAY, createdAt: NOW - 400 * DAY, cadenceDays: 0, annual: [], followUps: [], openOrders: [] };

  it('suggests whom to deepen at an A or B customer with the next contact, off the badge', () => {
    const people = [person('li', { closeness: 'close' }), person('wang', { closeness: 'known', influence: 'decides' })];
    // A's cadence is 14 days: contacted 5 days ago, the next contact is 9 days off, beyond the 7-day horizon.
    expect(dueItemsOfRows([{ ...card('Acme', 'A', people), ...base }], NOW, DEFAULT_REMINDERS)).toEqual([]);
    // Contacted 8 days ago: due with the next contact in 6 days; a C customer gets no suggestion.
    const items = dueItemsOfRows([{ ...card('Acme', 'A', people), ...base, lastContact: NOW - 8 * DAY }, { ...card('Cola', 'C', people), ...base, lastContact: NOW - 8 * DAY }], NOW);
    expect(items.map((i) => [i.kind, i.cardId])).toEqual([['cadence', 'Acme'], ['deepen', 'Acme']]);
    expect(items[1]).toMatchObject({ bucket: 'this-week', daysOverdue: -6, params: { person: 'wang', influence: 'decides', level: 'known', close: 1 } });
    // …and overdue with the cadence, still not on the badge.
    const late = dueItemsOfRows([{ ...card('Acme', 'A', people), ...base, lastContact: NOW - 30 * DAY }], NOW);
    expect(late.map((i) => [i.kind, i.bucket])).toEqual([['cadence', 'overdue'], ['deepen', 'overdue']]);
    expect(badgeCount(late)).toBe(1);
    // Done is a call with that person, which we made.
    expect(doneMutation(late[1]!, NOW, 'Lunch with Wang')).toMatchObject({ kind: 'call', contactId: 'wang', direction: 'out' });
    // Two close people: nothing to suggest.
    expect(dueItemsOfRows([{ ...card('Acme', 'A', [person('li', { closeness: 'close' }), person('wang', { closeness: 'close' })]), ...base }], NOW).filter((i) => i.kind === 'deepen')).toEqual([]);
  });

  it('reminds of a cooling person before the class cadence does', () => {
    const weekly = [43, 36, 29, 22, 15].map((d) => NOW - d * DAY);
    // A C customer (90-day cadence) last contacted 15 days ago: the cadence is silent, Li is cooling.
    const items = dueItemsOfRows([{ ...card('Cola', 'C', [person('li', { contacts: weekly })]), ...base, lastContact: NOW - 15 * DAY }], NOW);
    expect(items.map((i) => [i.kind, i.bucket, i.params.person, i.params.usual, i.params.silent])).toEqual([['cooling', 'today', 'li', 7, 15]]);
    expect(badgeCount(items)).toBe(1);
  });
});
