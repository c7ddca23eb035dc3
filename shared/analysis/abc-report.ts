/**
 * The ABC statistic (DOMAIN.md §3): per class the count, the share of customers and the share of
 * the 12-month purchase amount; the Pareto curve (customers ranked by amount, the cumulative
 * share of the amount); and the cards whose class changed this month: their 12-month purchases
 * as of the month's first day (from their orders) put through today's class cut-offs, against
 * today's class. Today's cut-offs are read off the rows (the smallest amount still A, still B),
 * because classes may come from company-wide cut-offs the server computes over cards this user
 * cannot read.
 */
import type { CardIndexRow } from '../card-types.ts';
import { classByCutoffs, type AbcClass, type AbcCutoffs } from '../derive/abc.ts';
import { DAY_MS } from '../derive/ledger.ts';
import { monthStart } from './periods.ts';

export type AbcRow = Pick<CardIndexRow, 'id' | 'name' | 'owner' | 'abc' | 'abcOverride' | 'purchases12m' | 'orders'>;

export interface AbcClassLine {
  cls: AbcClass;
  count: number;
  customerShare: number;
  amount: number;
  amountShare: number;
}

export interface AbcReport {
  classes: AbcClassLine[];
  total: { count: number; amount: number };
  /** Customers ranked by amount: [customer share, cumulative amount share], from (0, 0). */
  pareto: [number, number][];
  changed: { id: string; name: string; owner: string; from: AbcClass; to: AbcClass }[];
}

const round = (value: number, places = 4) => Math.round(value * 10 ** places) / 10 ** places;

function purchasesAsOf(orders: readonly [number, number][], at: number): number {
  let sum = 0;
  for (const [date, amount] of orders) if (date > at - 365 * DAY_MS && date <= at) sum += amount;
  return Math.round(sum * 100) / 100;
}

const asClass = (value: string): AbcClass => (value === 'A' || value === 'B' ? value : 'C');

/** The cut-offs the rows' derived classes show: the smallest 12-month amount of an A and of a B. */
export function cutoffsOfRows(rows: readonly Pick<AbcRow, 'abc' | 'abcOverride' | 'purchases12m'>[]): AbcCutoffs {
  let aMin = Infinity;
  let bMin = Infinity;
  for (const row of rows) {
    if (row.abcOverride || row.purchases12m <= 0) continue;
    if (row.abc === 'A') aMin = Math.min(aMin, row.purchases12m);
    if (row.abc === 'B') bMin = Math.min(bMin, row.purchases12m);
  }
  return { aMin, bMin: Math.min(bMin, aMin) };
}

export function abcReport(rows: readonly AbcRow[], now: number): AbcReport {
  const total = { count: rows.length, amount: round(rows.reduce((sum, r) => sum + Math.max(0, r.purchases12m), 0), 2) };
  const classes: AbcClassLine[] = (['A', 'B', 'C'] as const).map((cls) => {
    const of = rows.filter((r) => asClass(r.abc) === cls);
    const amount = round(of.reduce((sum, r) => sum + Math.max(0, r.purchases12m), 0), 2);
    return { cls, count: of.length, customerShare: total.count ? round(of.length / total.count) : 0, amount, amountShare: total.amount ? round(amount / total.amount) : 0 };
  });
  const ranked = rows.map((r) => Math.max(0, r.purchases12m)).sort((a, b) => b - a);
  const pareto: [number, number][] = [[0, 0]];
  let running = 0;
  // At most ~200 points: enough for a smooth curve at any number of customers.
  const step = Math.max(1, Math.ceil(ranked.length / 200));
  ranked.forEach((amount, i) => {
    running += amount;
    if ((i + 1) % step === 0 || i === ranked.length - 1) pareto.push([round((i + 1) / ranked.length), total.amount ? round(running / total.amount) : 0]);
  });
  const start = monthStart(now) - 1;
  const cutoffs = cutoffsOfRows(rows);
  const changed = rows
    .filter((r) => !r.abcOverride)
    .map((r) => ({ id: r.id, name: r.name, owner: r.owner, from: classByCutoffs(purchasesAsOf(r.orders, start), cutoffs), to: asClass(r.abc) }))
    .filter((c) => c.from !== c.to)
    .sort((a, b) => a.to.localeCompare(b.to) || a.name.localeCompare(b.name));
  return { classes, total, pareto, changed };
}
