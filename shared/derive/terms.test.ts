import { describe, expect, it } from 'vitest';
import type { LedgerEntry } from '../card-types.ts';
import { summariseLedger } from './ledger.ts';
import { addMonths, DAY_MS, dueDateFromTerms, scheduleOf, settlementDate, termsOfFields } from './terms.ts';

const day = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d, 4); // local noon in China
const iso = (t: number) => new Date(t).toISOString().slice(0, 10);

describe('net days', () => {
  it('is 30 days when the card sets no term, else the card’s days', () => {
    expect(iso(dueDateFromTerms(day(2026, 1, 15)))).toBe('2026-02-14');
    expect(iso(dueDateFromTerms(day(2026, 1, 15), { paymentTermsDays: 45 }))).toBe('2026-03-01');
    expect(iso(dueDateFromTerms(day(2026, 1, 15), { paymentTermsDays: 0 }))).toBe('2026-01-15');
  });
});

describe('monthly settlement (结账日)', () => {
  it('settles an order on or before the day in its month, a later one in the next month', () => {
    expect(iso(settlementDate(day(2026, 3, 20), 25))).toBe('2026-03-25');
    expect(iso(settlementDate(day(2026, 3, 25), 25))).toBe('2026-03-25');
    expect(iso(settlementDate(day(2026, 3, 26), 25))).toBe('2026-04-25');
  });

  it('crosses the year end', () => {
    expect(iso(settlementDate(day(2026, 12, 28), 25))).toBe('2027-01-25');
    expect(iso(dueDateFromTerms(day(2026, 12, 28), { settlementDay: 25, paymentTermsDays: 30 }))).toBe('2027-02-24');
  });

  it('settles on the last day of a month shorter than the settlement day', () => {
    expect(iso(settlementDate(day(2026, 2, 10), 31))).toBe('2026-02-28');
    expect(iso(settlementDate(day(2028, 2, 10), 31))).toBe('2028-02-29');
    expect(iso(settlementDate(day(2026, 4, 30), 31))).toBe('2026-04-30');
    expect(iso(settlementDate(day(2026, 1, 31), 30))).toBe('2026-02-28');
    expect(iso(settlementDate(day(2028, 1, 31), 30))).toBe('2028-02-29');
    expect(iso(settlementDate(day(2028, 2, 29), 29))).toBe('2028-02-29');
    expect(iso(settlementDate(day(2027, 2, 28), 29))).toBe('2027-02-28');
    expect(iso(settlementDate(day(2027, 3, 1), 29))).toBe('2027-03-29');
  });

  it('pays on the settlement day when no net days are set (月结), else N days after it', () => {
    expect(iso(dueDateFromTerms(day(2026, 5, 3), { settlementDay: 25 }))).toBe('2026-05-25');
    expect(iso(dueDateFromTerms(day(2026, 5, 3), { settlementDay: 25, paymentTermsDays: 60 }))).toBe('2026-07-24');
  });
});

describe('bills (票期)', () => {
  it('adds the bill’s tenor after the payment date', () => {
    expect(iso(dueDateFromTerms(day(2026, 5, 3), { settlementDay: 25, billTenorDays: 90, paymentMethod: 'bill' }))).toBe('2026-08-23');
    expect(iso(dueDateFromTerms(day(2026, 5, 3), { paymentTermsDays: 30, billTenorDays: 180 }))).toBe(iso(day(2026, 5, 3) + 210 * DAY_MS));
  });

  it('ignores the tenor when the customer pays cash or by transfer', () => {
    expect(iso(dueDateFromTerms(day(2026, 5, 3), { paymentTermsDays: 30, billTenorDays: 90, paymentMethod: 'cash' }))).toBe('2026-06-02');
    expect(iso(dueDateFromTerms(day(2026, 5, 3), { paymentTermsDays: 30, billTenorDays: 90, paymentMethod: 'transfer' }))).toBe('2026-06-02');
  });
});

describe('instalments (分期)', () => {
  it('splits the amount in equal parts, the last taking the cents, a month apart', () => {
    const parts = scheduleOf({ date: day(2026, 1, 1), amount: 1_000, dueDate: day(2026, 1, 31) }, { instalments: 3 });
    expect(parts.map((p) => [iso(p.dueDate), p.amount])).toEqual([
      ['2026-01-31', 333.33],
      ['2026-02-28', 333.33],
      ['2026-03-31', 333.34],
    ]);
    expect(parts.reduce((sum, p) => sum + p.amount, 0)).toBeCloseTo(1_000, 6);
  });

  it('falls on 29 February in a leap year and crosses the year end', () => {
    const parts = scheduleOf({ date: day(2027, 11, 1), amount: 400, dueDate: day(2027, 11, 30) }, { instalments: 4 });
    expect(parts.map((p) => iso(p.dueDate))).toEqual(['2027-11-30', '2027-12-30', '2028-01-30', '2028-02-29']);
  });

  it('keeps the count stored on the order over the card’s current terms', () => {
    expect(scheduleOf({ date: day(2026, 1, 1), amount: 100, instalments: 2 }, { instalments: 6 })).toHaveLength(2);
    expect(scheduleOf({ date: day(2026, 1, 1), amount: 100, instalments: 1 }, { instalments: 6 })).toHaveLength(1);
    expect(scheduleOf({ date: day(2026, 1, 1), amount: 100 }, { instalments: 6, paymentMethod: 'bill' })).toHaveLength(1);
  });

  it('settles payments against the earliest parts; only past parts are overdue', () => {
    const order: LedgerEntry = { id: 'o1', kind: 'order', date: day(2026, 1, 1), amount: 900, by: 'a' };
    const pay: LedgerEntry = { id: 'p1', kind: 'payment', date: day(2026, 2, 5), amount: 300, by: 'a' };
    const summary = summariseLedger([order, pay], { settlementDay: 25, instalments: 3 }, day(2026, 3, 10));
    expect(summary.openOrders.map((o) => [o.orderId, iso(o.dueDate), o.outstanding])).toEqual([
      ['o1#2', '2026-02-25', 300],
      ['o1#3', '2026-03-25', 300],
    ]);
    expect(summary.overdueAmount).toBe(300);
    expect(summary.oldestOverdueDays).toBe(13);
    expect(summary.receivables).toBe(600);
  });
});

describe('the card’s terms', () => {
  it('reads the trade-terms fields, ignoring values out of range', () => {
    expect(termsOfFields({ settlementDay: 25, billTenorDays: 90, instalments: 3, paymentTermsDays: 30, paymentMethod: 'bill' })).toEqual({ settlementDay: 25, billTenorDays: 90, instalments: 3, paymentTermsDays: 30, paymentMethod: 'bill' });
    expect(termsOfFields({ settlementDay: 0, billTenorDays: -4, instalments: 1, paymentTermsDays: Number.NaN, paymentMethod: '' })).toEqual({});
    expect(termsOfFields({ settlementDay: '25', instalments: 1e9 })).toEqual({});
  });

  it('adds months clamping to month ends', () => {
    expect(iso(addMonths(day(2026, 1, 31), 1))).toBe('2026-02-28');
    expect(iso(addMonths(day(2024, 1, 31), 1))).toBe('2024-02-29');
    expect(iso(addMonths(day(2026, 12, 15), 2))).toBe('2027-02-15');
  });
});
