/**
 * Ledger arithmetic, pure and with the clock passed in: each order's due dates (its own, else
 * from the card's trade terms: net days, monthly settlement, bills, instalments — terms.ts),
 * receivables with payments settling the oldest orders (and an order's earliest parts) first (FIFO), the overdue amount and the oldest overdue days, sales by year and
 * half-year (上半年 / 下半年 / 合计), sales against receipts, and purchases over the last 12 months.
 */
import type { LedgerEntry } from '../card-types.ts';
import { DAY_MS, scheduleOf, type PaymentTerms } from './terms.ts';

export { DAY_MS, DEFAULT_TERMS_DAYS } from './terms.ts';

export interface OpenOrder {
  /** The order's id; an instalment after the first is `<id>#<n>` (n from 2). */
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

/** A card's terms, or (as before terms.ts) just its net days. */
export type TermsArg = PaymentTerms | number | undefined;

function termsOf(arg: TermsArg): PaymentTerms {
  if (typeof arg === 'number') return Number.isFinite(arg) && arg >= 0 ? { paymentTermsDays: arg } : {};
  return arg ?? {};
}

/** An order's (first) due date: its own, else from the terms. */
export function dueDateOf(order: LedgerEntry, terms?: TermsArg): number {
  return scheduleOf(order, termsOf(terms))[0]!.dueDate;
}

export function summariseLedger(ledger: readonly LedgerEntry[], terms: TermsArg, now: number): LedgerSummary {
  const cardTerms = termsOf(terms);
  const orders = ledger.filter((e) => e.kind === 'order').sort((a, b) => a.date - b.date || a.id.localeCompare(b.id));
  const payments = ledger.filter((e) => e.kind === 'payment');
  const sales = orders.reduce((sum, o) => sum + o.amount, 0);
  const receipts = payments.reduce((sum, p) => sum + p.amount, 0);
  let unapplied = receipts;
  const openOrders: OpenOrder[] = [];
  for (const order of orders) {
    const parts = scheduleOf(order, cardTerms);
    parts.forEach((part, index) => {
      const settled = Math.min(part.amount, unapplied);
      unapplied = round(unapplied - settled);
      const outstanding = round(part.amount - settled);
      if (outstanding > 0) openOrders.push({ orderId: index === 0 ? order.id : `${order.id}#${index + 1}`, date: order.date, dueDate: part.dueDate, amount: part.amount, outstanding });
    });
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
