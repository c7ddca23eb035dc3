/** Every figure of the desk on small hand-made data where the right answer is known. */
import { describe, expect, it } from 'vitest';
import type { CardIndexRow, LedgerEntry } from '../card-types.ts';
import { abcReport } from './abc-report.ts';
import { activityByRep, daysPastCadence } from './activity.ts';
import { creditCheck, overLimitList, ratedBelow } from './credit.ts';
import { cycleReport } from './cycle-report.ts';
import { halfYearOf, lastWeeks, weekStart } from './periods.ts';
import { agingReport, bucketOf, salesVsReceipts } from './receivables.ts';
import { competitionRanks, halfYearRanks, salesByRegion } from './sales.ts';
import { customerStatement } from './statement.ts';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 18, 12); // Wednesday 18 November 2026

function row(id: string, extra: Partial<CardIndexRow> = {}): CardIndexRow {
  return {
    id, version: 5, name: id, sortKey: id, emails: [], domains: [], terms: '', pinyinSource: '', pinyin: '', about: '', primaryContact: '', owner: 'ann', city: '', keyCustomer: false,
    cardNumber: '', businessNumber: '', industry: '', nature: '', tier: '', loyalty: '', tags: [], creditLimit: 0, creditRating: '', unknownCount: 0, importantCount: 0,
    lastContact: 0, receivables: 0, timelineCount: 0, createdAt: NOW - 1000 * DAY, cadenceDays: 0, flags: [], plannedVisit: '', lastVisit: 0, updatedAt: 0, abcOverride: '', stageOverride: '',
    orders: [], payments: [], contacts: [], contactsByOthers: [], followUpLog: [], changeDays: [], openOrders: [], approvals: [], contactLog: [], followUps: [], annual: [], people: [], address: '',
    abc: 'C', abcDerived: 'C', purchases12m: 0, stage: 'stranger', nextDue: 0, overdue: 0, asOf: NOW, ...extra,
  };
}

describe('ABC statistic', () => {
  it('counts, shares, Pareto and the cards that changed class this month', () => {
    const rows = [
      row('big', { abc: 'A', purchases12m: 700, orders: [[NOW - 5 * DAY, 700]] }), // bought this month: was C on the 1st
      row('mid', { abc: 'B', purchases12m: 200, orders: [[NOW - 60 * DAY, 200]] }),
      row('small', { abc: 'C', purchases12m: 100, orders: [[NOW - 60 * DAY, 100]] }),
      row('none', { abc: 'C' }),
    ];
    const report = abcReport(rows, NOW);
    expect(report.total).toEqual({ count: 4, amount: 1000 });
    expect(report.classes).toEqual([
      { cls: 'A', count: 1, customerShare: 0.25, amount: 700, amountShare: 0.7 },
      { cls: 'B', count: 1, customerShare: 0.25, amount: 200, amountShare: 0.2 },
      { cls: 'C', count: 2, customerShare: 0.5, amount: 100, amountShare: 0.1 },
    ]);
    expect(report.pareto).toEqual([[0, 0], [0.25, 0.7], [0.5, 0.9], [0.75, 1], [1, 1]]);
    // Today's cut-offs: A from 700, B from 200. On 1 November big had bought nothing (C); mid and
    // small had bought what they have now: no change.
    expect(report.changed.map((c) => [c.id, c.from, c.to])).toEqual([['big', 'C', 'A']]);
    // A customer whose purchases fell below the B cut-off during the month.
    const fell = abcReport([...rows, row('fell', { abc: 'C', purchases12m: 150, orders: [[NOW - 364.5 * DAY, 100], [NOW - 30 * DAY, 150]] })], NOW);
    expect(fell.changed.map((c) => [c.id, c.from, c.to])).toEqual([['big', 'C', 'A'], ['fell', 'B', 'C']]);
  });
});

describe('customer cycle', () => {
  it('counts the funnel, the movements in a period and the win-back worklists', () => {
    const from = NOW - 30 * DAY;
    const rows = [
      row('new', { stage: 'first-deal', contacts: [NOW - 50 * DAY], orders: [[NOW - 10 * DAY, 100]] }),
      row('sleepy', { stage: 'dormant', orders: [[NOW - 200 * DAY, 500]] }), // dormant from day 180: 20 days ago
      row('gone', { stage: 'lost', orders: [[NOW - 380 * DAY, 900], [NOW - 370 * DAY, 100]] }), // lost 5 days ago
      row('back', { stage: 'won-back', orders: [[NOW - 300 * DAY, 50], [NOW - 3 * DAY, 60]] }),
      row('steady', { stage: 'repeat', orders: [[NOW - 40 * DAY, 10], [NOW - 20 * DAY, 10]] }),
      row('hand', { stage: 'lost', stageOverride: 'lost', orders: [[NOW - 10 * DAY, 1]] }),
      row('long-lost', { stage: 'lost', orders: [[NOW - 800 * DAY, 2000]] }),
    ];
    const report = cycleReport(rows, from, NOW);
    expect(report.funnel).toEqual([
      { stage: 'stranger', count: 0 }, { stage: 'prospect', count: 0 }, { stage: 'first-deal', count: 1 }, { stage: 'repeat', count: 1 },
      { stage: 'dormant', count: 1 }, { stage: 'lost', count: 3 }, { stage: 'won-back', count: 1 },
    ]);
    expect(report.movements.map((m) => [m.movement, m.cards.map((c) => c.id)])).toEqual([
      ['first-deal', ['new']], ['went-dormant', ['sleepy']], ['lost', ['gone']], ['won-back', ['back']],
    ]);
    expect(report.winBack.lost.map((l) => [l.id, l.lifetime])).toEqual([['long-lost', 2000], ['gone', 1000], ['hand', 1]]);
    expect(report.winBack.dormant.map((l) => l.id)).toEqual(['sleepy']);
  });
});

describe('receivables', () => {
  it('puts each open order in its aging bucket, per customer and per rep', () => {
    expect([NOW + DAY, NOW, NOW - DAY, NOW - 30 * DAY, NOW - 31 * DAY, NOW - 60 * DAY, NOW - 61 * DAY, NOW - 90 * DAY, NOW - 91 * DAY].map((d) => bucketOf(d, NOW))).toEqual([
      'not-due', 'not-due', 'd1-30', 'd1-30', 'd31-60', 'd31-60', 'd61-90', 'd61-90', 'd90+',
    ]);
    const open = (days: number, outstanding: number) => ({ orderId: `o${days}`, dueDate: NOW - days * DAY, outstanding });
    const rows = [
      row('x', { owner: 'ann', openOrders: [open(-5, 100), open(10, 50), open(100, 25)] }),
      row('y', { owner: 'bob', openOrders: [open(45, 70)] }),
      row('z', { owner: 'ann', openOrders: [open(75, 30)] }),
      row('paid', { owner: 'bob' }),
    ];
    const report = agingReport(rows, NOW);
    expect(report.byCustomer.map((c) => [c.id, c.aging])).toEqual([
      ['x', { 'not-due': 100, 'd1-30': 50, 'd31-60': 0, 'd61-90': 0, 'd90+': 25, total: 175 }],
      ['y', { 'not-due': 0, 'd1-30': 0, 'd31-60': 70, 'd61-90': 0, 'd90+': 0, total: 70 }],
      ['z', { 'not-due': 0, 'd1-30': 0, 'd31-60': 0, 'd61-90': 30, 'd90+': 0, total: 30 }],
    ]);
    expect(report.byRep).toEqual([
      { owner: 'ann', customers: 2, aging: { 'not-due': 100, 'd1-30': 50, 'd31-60': 0, 'd61-90': 30, 'd90+': 25, total: 205 } },
      { owner: 'bob', customers: 1, aging: { 'not-due': 0, 'd1-30': 0, 'd31-60': 70, 'd61-90': 0, 'd90+': 0, total: 70 } },
    ]);
    expect(report.total.total).toBe(275);
  });

  it('sets sales against receipts per month', () => {
    const rows = [
      row('a', { orders: [[Date.UTC(2026, 9, 3), 100], [Date.UTC(2026, 10, 2), 40]], payments: [[Date.UTC(2026, 10, 10), 100]] }),
      row('b', { orders: [[Date.UTC(2026, 10, 5), 60], [Date.UTC(2025, 0, 5), 999]], payments: [[Date.UTC(2026, 10, 30), 5]] }), // after now: left out
    ];
    expect(salesVsReceipts(rows, NOW, 2)).toEqual([
      { month: '2026-10', sales: 100, receipts: 0, net: 100 },
      { month: '2026-11', sales: 100, receipts: 100, net: 0 },
    ]);
  });

  it('writes a customer statement for a date range with the balance brought and carried forward', () => {
    const e = (id: string, kind: LedgerEntry['kind'], date: number, amount: number): LedgerEntry => ({ id, kind, date, amount, by: 'ann' });
    const ledger = [e('o1', 'order', Date.UTC(2026, 8, 1), 500), e('p1', 'payment', Date.UTC(2026, 8, 20), 200), e('o2', 'order', Date.UTC(2026, 9, 5), 300), e('c1', 'credit-decision', Date.UTC(2026, 9, 6), 9999), e('p2', 'payment', Date.UTC(2026, 9, 25), 400), e('o3', 'order', Date.UTC(2026, 10, 2), 50)];
    const statement = customerStatement(ledger, Date.UTC(2026, 9, 1), Date.UTC(2026, 9, 31, 23, 59));
    expect(statement.opening).toBe(300);
    expect(statement.lines.map((l) => [l.id, l.debit, l.credit, l.balance])).toEqual([['o2', 300, 0, 600], ['p2', 0, 400, 200]]);
    expect([statement.debits, statement.credits, statement.closing]).toEqual([300, 400, 200]);
  });
});

describe('sales', () => {
  it('ranks with ties sharing a rank and the next one skipping', () => {
    const ranks = competitionRanks(new Map([['a', 50], ['b', 80], ['c', 50], ['d', 10], ['e', 0]]));
    expect(Object.fromEntries(ranks)).toEqual({ b: 1, a: 2, c: 2, d: 4, e: 0 });
  });

  it('ranks the half-year and keeps the previous rank beside it', () => {
    const rows = [
      row('a', { orders: [[Date.UTC(2026, 7, 1), 100], [Date.UTC(2026, 2, 1), 10]] }),
      row('b', { orders: [[Date.UTC(2026, 8, 1), 100], [Date.UTC(2026, 3, 1), 20]] }),
      row('c', { orders: [[Date.UTC(2026, 9, 1), 30]] }),
      row('d', { orders: [[Date.UTC(2026, 1, 1), 5]] }), // nothing this half-year: no rank
    ];
    const { half, lines } = halfYearRanks(rows, NOW);
    expect(half.key).toBe('2026-H2');
    expect(lines.map((l) => [l.id, l.amount, l.rank, l.previousRank])).toEqual([['a', 100, 1, 2], ['b', 100, 1, 1], ['c', 30, 3, 0]]);
    expect(halfYearOf(Date.UTC(2026, 5, 30, 23)).key).toBe('2026-H1');
  });

  it('sums sales by region and month', () => {
    const rows = [
      row('a', { city: '上海', orders: [[Date.UTC(2026, 10, 1), 100], [Date.UTC(2026, 9, 1), 50]] }),
      row('b', { city: '上海', orders: [[Date.UTC(2026, 10, 3), 25]] }),
      row('c', { city: 'Berlin', orders: [[Date.UTC(2026, 9, 9), 300], [Date.UTC(2024, 9, 9), 1]] }),
    ];
    expect(salesByRegion(rows, NOW, 2)).toEqual({
      months: ['2026-10', '2026-11'],
      regions: [{ region: 'Berlin', byMonth: [300, 0], total: 300 }, { region: '上海', byMonth: [50, 125], total: 175 }],
    });
  });
});

describe('credit control', () => {
  it('warns when receivables plus a new order pass the approved limit', () => {
    const card = row('a', { receivables: 800, creditLimit: 1000, creditRating: 'C' });
    expect(creditCheck(card, 150)).toMatchObject({ after: 950, headroom: 50, over: false });
    expect(creditCheck(card, 250)).toMatchObject({ after: 1050, headroom: -50, over: true });
    expect(creditCheck(row('nolimit', { receivables: 5000 }), 100).over).toBe(false);
    expect(ratedBelow('C', 'B')).toBe(true);
    expect(ratedBelow('B', 'B')).toBe(false);
    expect(ratedBelow('', 'B')).toBe(false);
    const rows = [card, row('over', { receivables: 1200, creditLimit: 1000 }), row('way', { receivables: 5000, creditLimit: 1000 }), row('fine', { receivables: 10, creditLimit: 100, creditRating: 'A' })];
    expect(overLimitList(rows).map((l) => l.id)).toEqual(['way', 'over']);
    expect(overLimitList(rows, 'B').map((l) => l.id)).toEqual(['way', 'over', 'a']);
  });
});

describe('upkeep and activity', () => {
  it('counts per rep per week, drifting A customers and completeness', () => {
    const thisWeek = weekStart(NOW); // Monday 16 November
    const lastWeek = thisWeek - 7 * DAY;
    expect(new Date(thisWeek).toISOString().slice(0, 10)).toBe('2026-11-16');
    expect(lastWeeks(NOW, 2)).toEqual([lastWeek, thisWeek]);
    const rows = [
      row('a1', {
        owner: 'ann', abc: 'A', lastContact: NOW - 20 * DAY, // A cadence 14 days: drifting 6 days
        contacts: [lastWeek + DAY, lastWeek + 2 * DAY, thisWeek + DAY],
        changeDays: [lastWeek + DAY, lastWeek + 2 * DAY, thisWeek],
        followUpLog: [[lastWeek, lastWeek + DAY, lastWeek + DAY], [lastWeek, lastWeek + 3 * DAY, 0], [thisWeek, NOW + 2 * DAY, 0]],
        unknownCount: 2, importantCount: 10,
      }),
      row('a2', { owner: 'ann', abc: 'A', lastContact: NOW - 2 * DAY, createdAt: thisWeek + 3600_000, unknownCount: 8, importantCount: 10 }),
      row('b1', { owner: 'bob', abc: 'B', lastContact: NOW - 40 * DAY, unknownCount: 0, importantCount: 5 }),
    ];
    expect(daysPastCadence(rows[0]!, NOW)).toBe(6);
    const [ann, bob] = activityByRep(rows, NOW, 2);
    expect(ann).toEqual({
      owner: 'ann', cards: 2, aDrifting: 1, completeness: 0.5,
      weeks: [
        { week: lastWeek, cardsUpdated: 1, contacts: 2, newCustomers: 0, followUpsDone: 1, followUpsMissed: 1, aDrifting: 0 },
        { week: thisWeek, cardsUpdated: 1, contacts: 1, newCustomers: 1, followUpsDone: 0, followUpsMissed: 0, aDrifting: 0 },
      ],
    });
    expect(bob).toMatchObject({ owner: 'bob', cards: 1, aDrifting: 0, completeness: 1 });
  });

  it('counts A customers past their cadence at each week end, and contacts for whoever logged them', () => {
    const thisWeek = weekStart(NOW);
    const lastWeek = thisWeek - 7 * DAY;
    const rows = [
      // Last contact 13 days before last week ended: within 14 days then; 15 by now.
      row('slipping', { owner: 'ann', abc: 'A', lastContact: thisWeek - 13 * DAY, contacts: [thisWeek - 13 * DAY] }),
      // Never contacted, made long ago: past its cadence both weeks. A B card never counts.
      row('old', { owner: 'ann', abc: 'A' }),
      row('b', { owner: 'ann', abc: 'B' }),
      // Made this week: not there at last week's end.
      row('new', { owner: 'ann', abc: 'A', createdAt: thisWeek + DAY }),
      // Two contacts this week on ann's card, one logged by her manager.
      row('shared', { owner: 'ann', abc: 'C', contacts: [lastWeek + DAY, thisWeek + DAY, thisWeek + 2 * DAY], contactsByOthers: [[thisWeek + DAY, 'boss']] }),
    ];
    const reps = activityByRep(rows, NOW, 2);
    const ann = reps.find((r) => r.owner === 'ann')!;
    const boss = reps.find((r) => r.owner === 'boss')!;
    expect(ann.weeks.map((w) => w.aDrifting)).toEqual([1, 2]);
    expect(ann.aDrifting).toBe(2);
    expect(ann.weeks.map((w) => w.contacts)).toEqual([1, 1]);
    expect(boss).toMatchObject({ cards: 0, weeks: [{ contacts: 0 }, { contacts: 1 }] });
  });
});
