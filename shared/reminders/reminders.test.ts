import { describe, expect, it } from 'vitest';
import type { CardView, TimelineEntry } from '../card-types.ts';
import { daysBetween, nextYearly } from './dates.ts';
import { badgeCount, DEFAULT_REMINDERS, doneMutation, dueItems, snooze, type ReminderSettings } from './due.ts';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 22, 10); // Sunday 22 Nov 2026, 10:00 UTC
// These cases are about the class cadence: no faster cadence by stage (cadence.test.ts covers it).
const settings: ReminderSettings = { ...DEFAULT_REMINDERS, zoneOffset: 0, stageCadenceDays: {} };
let n = 0;

function card(partial: Partial<CardView> & { id: string }): CardView {
  return { fields: { name: partial.id, createdAt: NOW - 400 * DAY }, contacts: [], timeline: [], ledger: [], history: [], ...partial };
}
const entry = (kind: TimelineEntry['kind'], daysAgo: number, extra: Partial<TimelineEntry> = {}): TimelineEntry => ({ id: `t${++n}`, kind, at: NOW - daysAgo * DAY, by: 'me', text: `${kind} ${daysAgo}`, ...extra });
const kinds = (items: ReturnType<typeof dueItems>) => items.map((i) => `${i.kind}:${i.bucket}:${i.daysOverdue}`);

describe('stay in touch', () => {
  it('restarts the cadence on a logged contact, not on a note', () => {
    const withCall = card({ id: 'a', timeline: [entry('note', 1), entry('call', 20)] });
    expect(kinds(dueItems([withCall], new Map([['a', 'A']]), NOW, settings))).toEqual(['cadence:overdue:6']);
    const withVisit = card({ id: 'a', timeline: [entry('visit', 2), entry('call', 20)] });
    expect(dueItems([withVisit], new Map([['a', 'A']]), NOW, settings)).toEqual([]);
  });

  it('uses the class cadence and the card’s own override', () => {
    const b = card({ id: 'b', timeline: [entry('email', 31)] });
    expect(kinds(dueItems([b], new Map([['b', 'B']]), NOW, settings))).toEqual(['cadence:overdue:1']);
    expect(dueItems([b], new Map([['b', 'C']]), NOW, settings)).toEqual([]);
    const own = card({ id: 'b', fields: { name: 'b', cadenceDays: 7 }, timeline: [entry('email', 10)] });
    expect(kinds(dueItems([own], new Map([['b', 'C']]), NOW, settings))).toEqual(['cadence:overdue:3']);
  });

  it('dates a never-contacted card from its creation', () => {
    const fresh = card({ id: 'c', fields: { name: 'c', createdAt: NOW - 95 * DAY } });
    expect(kinds(dueItems([fresh], new Map(), NOW, settings))).toEqual(['cadence:overdue:5']);
  });
});

describe('dates', () => {
  it('finds the next birthday across a year end, and on 28 February for 29 February in other years', () => {
    expect(daysBetween(Date.UTC(2026, 11, 30), nextYearly('1980-01-02', Date.UTC(2026, 11, 30), 0)!, 0)).toBe(3);
    expect(new Date(nextYearly('1984-02-29', Date.UTC(2027, 0, 10), 0)!).toISOString().slice(0, 10)).toBe('2027-02-28');
    expect(new Date(nextYearly('1984-02-29', Date.UTC(2028, 0, 10), 0)!).toISOString().slice(0, 10)).toBe('2028-02-29');
    expect(nextYearly('not a date', NOW, 0)).toBeUndefined();
  });

  it('lists birthdays and anniversaries of this week, today first', () => {
    const person = { id: 'p', name: '李娜', email: '', role: 'purchasing' as const, phone: '', createdAt: 0, profile: { birthDate: '1985-11-22', weddingAnniversary: '2010-11-25', spouseName: '王磊' } };
    const items = dueItems([card({ id: 'd', contacts: [person], timeline: [entry('call', 1)] })], new Map(), NOW, settings);
    expect(kinds(items)).toEqual(['birthday:today:0', 'anniversary:this-week:-3']);
    expect(items[0]!.context.familyNames).toEqual(['王磊']);
  });

  it('counts a day boundary in the user’s time zone', () => {
    const late = Date.UTC(2026, 10, 22, 23); // 07:00 on the 23rd in China
    const person = { id: 'p', name: 'x', email: '', role: 'other' as const, phone: '', createdAt: 0, profile: { birthDate: '1990-11-23' } };
    const c = card({ id: 'e', contacts: [person], timeline: [entry('call', 0)] });
    expect(kinds(dueItems([c], new Map(), late, { ...settings, zoneOffset: 0 })).filter((k) => k.startsWith('birthday'))).toEqual(['birthday:this-week:-1']);
    expect(kinds(dueItems([c], new Map(), late, { ...settings, zoneOffset: 480 })).filter((k) => k.startsWith('birthday'))).toEqual(['birthday:today:0']);
  });
});

describe('follow-ups and payments', () => {
  it('shows a follow-up until a later contact answers it', () => {
    const promised = card({ id: 'f', timeline: [entry('visit', 5, { followUp: NOW - 1 * DAY })] });
    expect(kinds(dueItems([promised], new Map(), NOW, settings))).toEqual(['follow-up:overdue:1']);
    const answered = card({ id: 'f', timeline: [entry('call', 0), entry('visit', 5, { followUp: NOW - 1 * DAY })] });
    expect(kinds(dueItems([answered], new Map(), NOW, settings))).toEqual([]);
  });

  it('lists overdue receivables after partial payments, and payments coming due', () => {
    const c = card({
      id: 'g',
      fields: { name: 'g', paymentTermsDays: 30 },
      timeline: [entry('call', 1)],
      ledger: [
        { id: 'o1', kind: 'order', date: NOW - 40 * DAY, amount: 1000, by: 'me' },
        { id: 'p1', kind: 'payment', date: NOW - 10 * DAY, amount: 400, by: 'me' },
        { id: 'o2', kind: 'order', date: NOW - 27 * DAY, amount: 200, by: 'me' },
      ],
    });
    const items = dueItems([c], new Map(), NOW, settings);
    expect(kinds(items)).toEqual(['overdue-payment:overdue:10', 'payment-due:this-week:-3']);
    expect(items[0]!.params.amount).toBe(600);
    expect(badgeCount(items)).toBe(1);
  });
});

describe('snooze and done', () => {
  it('hides a snoozed item until the time, then shows it again', () => {
    const c = card({ id: 'h', timeline: [entry('call', 100)] });
    const [item] = dueItems([c], new Map(), NOW, settings);
    const snoozes = snooze({}, item!.id, NOW + DAY);
    expect(dueItems([c], new Map(), NOW, settings, snoozes)).toEqual([]);
    expect(dueItems([c], new Map(), NOW + DAY + 1, settings, snoozes)).toHaveLength(1);
  });

  it('turns "done" into a logged call that restarts the clock', () => {
    const c = card({ id: 'i', timeline: [entry('call', 100)] });
    const [item] = dueItems([c], new Map(), NOW, settings);
    const mutation = doneMutation(item!, NOW, 'Called back');
    expect(mutation).toMatchObject({ type: 'note-add', cardId: 'i', kind: 'call', at: NOW });
    const after = card({ id: 'i', timeline: [entry('call', 0), entry('call', 100)] });
    expect(dueItems([after], new Map(), NOW, settings)).toEqual([]);
  });
});
