import { describe, expect, it } from 'vitest';
import { buildIndexRow } from '../index-row.ts';
import type { CardView, LedgerEntry } from '../card-types.ts';
import { collectionPlan, planLines } from './collection-plan.ts';

const CHINA = 480;
const day = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d, 4); // local noon in China
const NOW = day(2026, 3, 10);

function card(id: string, owner: string, fields: CardView['fields'], ledger: Omit<LedgerEntry, 'id' | 'by'>[]): CardView {
  return { id, fields: { name: id, owner, ...fields }, contacts: [], timeline: [], ledger: ledger.map((e, i) => ({ ...e, id: `${id}-${i}`, by: owner })), history: [] };
}

describe('the collection plan', () => {
  const cards = [
    // Monthly settlement on the 25th, paid 30 days after: Jan 20 -> Jan 25 + 30 = Feb 24 (overdue).
    card('Huaxin', 'rob', { settlementDay: 25, paymentTermsDays: 30 }, [{ kind: 'order', date: day(2026, 1, 20), amount: 8_000 }]),
    // Bills of 60 days on net 10: Feb 1 -> Feb 11 + 60 = Apr 12.
    card('Jinding', 'rob', { paymentTermsDays: 10, billTenorDays: 60, paymentMethod: 'bill' }, [{ kind: 'order', date: day(2026, 2, 1), amount: 5_000 }]),
    // Three instalments from Feb 12 (net 0 from Feb 12): Feb 12 (paid), Mar 12, Apr 12.
    card('Keller', 'rita', { paymentTermsDays: 0, instalments: 3 }, [
      { kind: 'order', date: day(2026, 2, 12), amount: 3_000 },
      { kind: 'payment', date: day(2026, 2, 13), amount: 1_000 },
    ]),
    // Net 30 default: Mar 5 -> Apr 4; and far ahead, beyond the horizon.
    card('Nordlicht', 'rita', {}, [
      { kind: 'order', date: day(2026, 3, 5), amount: 700 },
      { kind: 'order', date: day(2026, 3, 9), amount: 100, dueDate: day(2026, 9, 1) },
    ]),
  ];
  const rows = cards.map((c) => buildIndexRow(c, NOW));

  it('lists what is overdue, then each day to the horizon, by the cards’ terms, across reps', () => {
    const plan = collectionPlan(rows, NOW, { horizonDays: 35, zoneOffset: CHINA });
    expect(plan.overdue.lines.map((l) => [l.name, l.outstanding, l.daysOverdue])).toEqual([['Huaxin', 8_000, 14]]);
    expect(plan.days.map((d) => [d.day, d.lines.map((l) => `${l.name}#${l.instalment}`), d.total])).toEqual([
      ['2026-03-12', ['Keller#2'], 1_000],
      ['2026-04-04', ['Nordlicht#1'], 700],
      ['2026-04-12', ['Jinding#1', 'Keller#3'], 6_000],
    ]);
    expect(plan.total).toBe(15_700);
    expect(plan.later).toBe(100);
    expect(plan.byRep).toEqual([
      { owner: 'rob', overdue: 8_000, due: 5_000, total: 13_000 },
      { owner: 'rita', overdue: 0, due: 2_700, total: 2_700 },
    ]);
    expect(planLines(plan)).toHaveLength(5);
  });

  it('keeps to the reps chosen and to the horizon', () => {
    const plan = collectionPlan(rows, NOW, { horizonDays: 7, zoneOffset: CHINA, owners: ['rita'] });
    expect(plan.overdue.lines).toEqual([]);
    expect(plan.days.map((d) => d.day)).toEqual(['2026-03-12']);
    expect(plan.later).toBe(1_800);
  });

  it('is empty, not broken, for rows with nothing open or hostile figures', () => {
    const odd = { id: 'x', name: 'x', owner: '', openOrders: [{ orderId: 'o', dueDate: Number.NaN, outstanding: Number.NaN }, { orderId: 'q', dueDate: Number.NaN, outstanding: 10 }, { orderId: 'p', dueDate: NOW, outstanding: -5 }] };
    const plan = collectionPlan([odd], NOW, { horizonDays: 30, zoneOffset: 0 });
    expect(plan.total).toBe(0);
    expect(planLines(plan)).toEqual([]);
  });
});
