/**
 * Ledger arithmetic, pure and with the clock passed in: each order's due date (its own, else
 * order date + the card's payment terms, else 30 days), receivables with payments settling the
 * oldest orders first (FIFO), the overdue amount and the oldest overdue days, sales by year and
 * half-year (上半年 / 下半年 / 合计), sales against receipts, and purchases over the last 12 months.
 */
import type { LedgerEntry } from '../card-types.ts';

export const DAY_MS = 86_400_000;
export const DEFAULT_TERMS_DAYS = 30;

export interface OpenOrder {
  orderId: string;
  date: number;
  dueDate: number;
  amount: number;
  outstanding: number;
}

export interface YearSales {
  year: number;
  firstHalf: number;
  secondHalf: number;
  total: number;
}

export interface LedgerSummary {
  sales: number;
  receipts: number;
  /** Orders not yet paid (never below zero; a prepayment shows as credit). */
  receivables: number;
  credit: number;
  overdueAmount: number;
  oldestOverdueDays: number;
  openOrders: OpenOrder[];
  salesByYear: YearSales[];
  purchases12m: number;
  orderCount: number;
  lastOrderAt: number;
}

const round = (value: number) => Math.round(value * 100) / 100;

export function dueDateOf(order: LedgerEntry, paymentTermsDays?: number): number {
  if (order.dueDate !== undefined && order.dueDate > 0) return order.dueDate;
  const days = paymentTermsDays !== undefined && Number.isFinite(paymentTermsDays) && paymentTermsDays >= 0 ? paymentTermsDays : DEFAULT_TERMS_DAYS;
  return order.date + days * DAY_MS;
}

export function summariseLedger(ledger: readonly LedgerEntry[], paymentTermsDays: number | undefined, now: number): LedgerSummary {
  const orders = ledger.filter((e) => e.kind === 'order').sort((a, b) => a.date - b.date || a.id.localeCompare(b.id));
  const payments = ledger.filter((e) => e.kind === 'payment');
  const sales = orders.reduce((sum, o) => sum + o.amount, 0);
  const receipts = payments.reduce((sum, p) => sum + p.amount, 0);
  let unapplied = receipts;
  const openOrders: OpenOrder[] = [];
  for (const order of orders) {
    const settled = Math.min(order.amount, unapplied);
    unapplied -= settled;
    const outstanding = round(order.amount - settled);
    if (outstanding > 0) openOrders.push({ orderId: order.id, date: order.date, dueDate: dueDateOf(order, paymentTermsDays), amount: order.amount, outstanding });
  }
  const overdue = openOrders.filter((o) => o.dueDate < now);
  const years = new Map<number, YearSales>();
  for (const order of orders) {
    const date = new Date(order.date);
    const year = date.getUTCFullYear();
    const entry = years.get(year) ?? { year, firstHalf: 0, secondHalf: 0, total: 0 };
    if (date.getUTCMonth() < 6) entry.firstHalf = round(entry.firstHalf + order.amount);
    else entry.secondHalf = round(entry.secondHalf + order.amount);
    entry.total = round(entry.total + order.amount);
    years.set(year, entry);
  }
  const since = now - 365 * DAY_MS;
  return {
    sales: round(sales),
    receipts: round(receipts),
    receivables: round(Math.max(0, sales - receipts)),
    credit: round(Math.max(0, receipts - sales)),
    overdueAmount: round(overdue.reduce((sum, o) => sum + o.outstanding, 0)),
    oldestOverdueDays: overdue.length > 0 ? Math.floor((now - Math.min(...overdue.map((o) => o.dueDate))) / DAY_MS) : 0,
    openOrders,
    salesByYear: [...years.values()].sort((a, b) => b.year - a.year),
    purchases12m: round(orders.filter((o) => o.date > since && o.date <= now).reduce((sum, o) => sum + o.amount, 0)),
    orderCount: orders.length,
    lastOrderAt: orders.length > 0 ? orders[orders.length - 1]!.date : 0,
  };
}
