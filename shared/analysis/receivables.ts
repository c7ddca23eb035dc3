/**
 * Receivables (DOMAIN.md §2, §5): aging of what is owed — not yet due, 1–30, 31–60, 61–90 and
 * over 90 days past due — per customer and per rep (the card's owner), from the rows' open
 * orders; and sales against receipts per month (orders and payments by their dates).
 */
import type { CardIndexRow } from '../card-types.ts';
import { DAY_MS } from '../derive/ledger.ts';
import { lastMonths, monthKey } from './periods.ts';

export const AGING_BUCKETS = ['not-due', 'd1-30', 'd31-60', 'd61-90', 'd90+'] as const;
export type AgingBucket = (typeof AGING_BUCKETS)[number];
export type Aging = Record<AgingBucket, number> & { total: number };

export type AgingRow = Pick<CardIndexRow, 'id' | 'name' | 'owner' | 'openOrders'>;

const round = (value: number) => Math.round(value * 100) / 100;

export function bucketOf(dueDate: number, now: number): AgingBucket {
  const days = Math.floor((now - dueDate) / DAY_MS);
  if (dueDate >= now || days <= 0) return 'not-due';
  if (days <= 30) return 'd1-30';
  if (days <= 60) return 'd31-60';
  if (days <= 90) return 'd61-90';
  return 'd90+';
}

export function emptyAging(): Aging {
  return { 'not-due': 0, 'd1-30': 0, 'd31-60': 0, 'd61-90': 0, 'd90+': 0, total: 0 };
}

export function agingOf(row: AgingRow, now: number): Aging {
  const aging = emptyAging();
  for (const order of row.openOrders) {
    const bucket = bucketOf(order.dueDate, now);
    aging[bucket] = round(aging[bucket] + order.outstanding);
    aging.total = round(aging.total + order.outstanding);
  }
  return aging;
}

function add(into: Aging, more: Aging): void {
  for (const key of [...AGING_BUCKETS, 'total'] as const) into[key] = round(into[key] + more[key]);
}

export interface AgingReport {
  byCustomer: { id: string; name: string; owner: string; aging: Aging }[];
  byRep: { owner: string; customers: number; aging: Aging }[];
  total: Aging;
}

export function agingReport(rows: readonly AgingRow[], now: number): AgingReport {
  const byCustomer = rows
    .filter((r) => r.openOrders.length > 0)
    .map((r) => ({ id: r.id, name: r.name, owner: r.owner, aging: agingOf(r, now) }))
    .filter((c) => c.aging.total > 0)
    .sort((a, b) => b.aging['d90+'] - a.aging['d90+'] || b.aging.total - a.aging.total || a.name.localeCompare(b.name));
  const reps = new Map<string, { owner: string; customers: number; aging: Aging }>();
  const total = emptyAging();
  for (const line of byCustomer) {
    const rep = reps.get(line.owner) ?? { owner: line.owner, customers: 0, aging: emptyAging() };
    rep.customers++;
    add(rep.aging, line.aging);
    reps.set(line.owner, rep);
    add(total, line.aging);
  }
  return { byCustomer, byRep: [...reps.values()].sort((a, b) => b.aging.total - a.aging.total || a.owner.localeCompare(b.owner)), total };
}

export type FlowRow = Pick<CardIndexRow, 'orders' | 'payments'>;

export interface MonthFlow {
  month: string;
  sales: number;
  receipts: number;
  /** Sales minus receipts in the month (what was added to receivables). */
  net: number;
}

/** Sales and receipts per month over the `months` months ending with `now`'s. */
export function salesVsReceipts(rows: readonly FlowRow[], now: number, months = 12): MonthFlow[] {
  const keys = lastMonths(now, months);
  const byMonth = new Map(keys.map((month) => [month, { month, sales: 0, receipts: 0, net: 0 }]));
  for (const row of rows) {
    for (const [date, amount] of row.orders) {
      const line = byMonth.get(monthKey(date));
      if (line && date <= now) line.sales += amount;
    }
    for (const [date, amount] of row.payments) {
      const line = byMonth.get(monthKey(date));
      if (line && date <= now) line.receipts += amount;
    }
  }
  return keys.map((key) => {
    const line = byMonth.get(key)!;
    return { month: key, sales: round(line.sales), receipts: round(line.receipts), net: round(line.sales - line.receipts) };
  });
}
