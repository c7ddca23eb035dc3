import { describe, expect, it } from 'vitest';
import type { LedgerEntry, TimelineEntry } from '../card-types.ts';
import { abcCutoffs, classByCutoffs, classifyAbc } from './abc.ts';
import { DAY_MS, dueDateOf, summariseLedger } from './ledger.ts';
import { deriveStage } from './stage.ts';

const NOW = Date.UTC(2026, 10, 22);
const daysAgo = (n: number) => NOW - n * DAY_MS;
let n = 0;
const order = (date: number, amount: number, dueDate?: number): LedgerEntry => ({ id: `o${++n}`, kind: 'order', date, amount, by: 'a', ...(dueDate ? { dueDate } : {}) });
const payment = (date: number, amount: number): LedgerEntry => ({ id: `p${++n}`, kind: 'payment', date, amount, by: 'a' });
const contact = (at: number): TimelineEntry => ({ id: `t${++n}`, kind: 'call', at, by: 'a', text: 'x' });
const note = (at: number): TimelineEntry => ({ id: `t${++n}`, kind: 'note', at, by: 'a', text: 'x' });

describe('ABC classes', () => {
  it('follows the Pareto thresholds', () => {
    const classes = classifyAbc([
      { cardId: 'big', amount: 700 },
      { cardId: 'mid', amount: 200 },
      { cardId: 'small', amount: 60 },
      { cardId: 'tiny', amount: 40 },
    ]);
    expect(Object.fromEntries(classes)).toEqual({ big: 'A', mid: 'B', small: 'C', tiny: 'C' });
  });

  it('gives equal amounts the same class', () => {
    const classes = classifyAbc([
      { cardId: 'a', amount: 500 },
      { cardId: 'b', amount: 250 },
      { cardId: 'c', amount: 250 },
    ]);
    expect(classes.get('b')).toBe(classes.get('c'));
    expect(classes.get('b')).toBe('A');
  });

  it('makes a single customer A, and everyone C when nobody bought', () => {
    expect(classifyAbc([{ cardId: 'only', amount: 10 }]).get('only')).toBe('A');
    expect([...classifyAbc([{ cardId: 'x', amount: 0 }, { cardId: 'y', amount: 0 }]).values()]).toEqual(['C', 'C']);
    expect(classifyAbc([]).size).toBe(0);
  });

  it('gives the same classes as amount cut-offs, so a card needs only its own amount', () => {
    let seed = 11;
    const random = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 4294967296);
    for (let run = 0; run < 50; run++) {
      const amounts = Array.from({ length: 1 + Math.floor(random() * 40) }, (_, i) => ({ cardId: `c${i}`, amount: random() < 0.2 ? 0 : Math.round(random() * 10) * 100 }));
      const thresholds = { a: 0.5 + random() * 0.3, b: 0.85 + random() * 0.1 };
      const classes = classifyAbc(amounts, thresholds);
      const cutoffs = abcCutoffs(amounts.map((a) => a.amount), thresholds);
      for (const { cardId, amount } of amounts) expect(classByCutoffs(amount, cutoffs)).toBe(classes.get(cardId));
      // Cards without purchases change no cut-off: the store reads only the positive amounts.
      expect(abcCutoffs(amounts.map((a) => a.amount).filter((amount) => amount > 0), thresholds)).toEqual(cutoffs);
    }
  });

  it('takes configurable thresholds', () => {
    const amounts = [{ cardId: 'a', amount: 50 }, { cardId: 'b', amount: 30 }, { cardId: 'c', amount: 20 }];
    expect(classifyAbc(amounts, { a: 0.5, b: 0.8 }).get('b')).toBe('B');
    expect(classifyAbc(amounts, { a: 0.9, b: 0.95 }).get('b')).toBe('A');
  });
});

describe('customer cycle stage', () => {
  it('walks every stage', () => {
    expect(deriveStage([], [], NOW)).toBe('stranger');
    expect(deriveStage([], [note(daysAgo(3))], NOW)).toBe('stranger');
    expect(deriveStage([], [contact(daysAgo(3))], NOW)).toBe('prospect');
    expect(deriveStage([order(daysAgo(10), 1)], [], NOW)).toBe('first-deal');
    expect(deriveStage([order(daysAgo(50), 1), order(daysAgo(10), 1)], [], NOW)).toBe('repeat');
    expect(deriveStage([order(daysAgo(200), 1)], [], NOW)).toBe('dormant');
    expect(deriveStage([order(daysAgo(400), 1)], [], NOW)).toBe('lost');
    expect(deriveStage([order(daysAgo(400), 1), order(daysAgo(5), 1)], [], NOW)).toBe('won-back');
  });

  it('takes configurable dormant and lost periods', () => {
    expect(deriveStage([order(daysAgo(40), 1)], [], NOW, { dormantDays: 30, lostDays: 60 })).toBe('dormant');
    expect(deriveStage([order(daysAgo(70), 1)], [], NOW, { dormantDays: 30, lostDays: 60 })).toBe('lost');
  });
});

describe('ledger', () => {
  it('dates an order from its own due date, else the payment terms, else 30 days', () => {
    expect(dueDateOf(order(daysAgo(10), 1, daysAgo(2)), 60)).toBe(daysAgo(2));
    expect(dueDateOf(order(daysAgo(10), 1), 60)).toBe(daysAgo(10) + 60 * DAY_MS);
    expect(dueDateOf(order(daysAgo(10), 1), undefined)).toBe(daysAgo(10) + 30 * DAY_MS);
  });

  it('settles the oldest orders first and computes overdue across payment terms', () => {
    const ledger = [order(daysAgo(100), 1000), order(daysAgo(40), 500), order(daysAgo(5), 300), payment(daysAgo(20), 1200)];
    const terms30 = summariseLedger(ledger, 30, NOW);
    expect(terms30.receivables).toBe(600);
    expect(terms30.openOrders.map((o) => o.outstanding)).toEqual([300, 300]);
    expect(terms30.overdueAmount).toBe(300);
    expect(terms30.oldestOverdueDays).toBe(10);
    const terms60 = summariseLedger(ledger, 60, NOW);
    expect(terms60.overdueAmount).toBe(0);
    expect(terms60.oldestOverdueDays).toBe(0);
  });

  it('shows nothing overdue when everything is paid, and credit for a prepayment', () => {
    const summary = summariseLedger([order(daysAgo(100), 100), payment(daysAgo(90), 150)], 30, NOW);
    expect(summary.receivables).toBe(0);
    expect(summary.credit).toBe(50);
    expect(summary.overdueAmount).toBe(0);
  });

  it('splits sales by half-year across a year boundary and sums the last 12 months', () => {
    const summary = summariseLedger([order(Date.UTC(2025, 11, 30), 100), order(Date.UTC(2026, 0, 2), 200), order(Date.UTC(2026, 7, 1), 50)], 30, NOW);
    expect(summary.salesByYear).toEqual([
      { year: 2026, firstHalf: 200, secondHalf: 50, total: 250 },
      { year: 2025, firstHalf: 0, secondHalf: 100, total: 100 },
    ]);
    expect(summary.purchases12m).toBe(350);
    expect(summary.sales - summary.receipts).toBe(350);
  });
});
