/**
 * When an order is due, from the customer's trade terms on the card (交易条件). Pure, calendar
 * days in UTC (orders are stamped at local noon or the moment they are typed). Holidays are left
 * to the user: the order form shows the date and it can be moved.
 *
 * - Net days (付款期限, paymentTermsDays): due N days after the order; 30 when no term is set.
 * - Monthly settlement (结账日, settlementDay D): an order on or before day D of its month is
 *   settled on day D of that month, a later one on day D of the next month (a month shorter than
 *   D settles on its last day); payment is due N days after the settlement (N = paymentTermsDays,
 *   0 when not set: "月结").
 * - Bills (票期, billTenorDays T): the customer pays with a bill of T days at that date; the money
 *   is due T days later. Applies unless the payment method is cash, transfer or instalments.
 * - Instalments (分期, instalments K >= 2): the amount is paid in K equal parts (the last takes the
 *   cents left over), the first at the date above, each next one a calendar month later (on the
 *   same day, or the month's last day). Applies unless the method is cash, transfer or bills.
 * An order's own due date (set in the order form) replaces the computed first date.
 */
import type { FieldValue } from '../card-types.ts';

export const DAY_MS = 86_400_000;
export const DEFAULT_TERMS_DAYS = 30;

export interface PaymentTerms {
  paymentTermsDays?: number;
  settlementDay?: number;
  billTenorDays?: number;
  instalments?: number;
  paymentMethod?: string;
}

/** One part of an order to be paid: when and how much. */
export interface DuePart {
  dueDate: number;
  amount: number;
}

const round = (value: number) => Math.round(value * 100) / 100;

function whole(value: FieldValue | undefined, min: number, max: number): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max ? Math.floor(value) : undefined;
}

/** The terms a card's fields hold (values out of range are ignored). */
export function termsOfFields(fields: Readonly<Record<string, FieldValue>>): PaymentTerms {
  const terms: PaymentTerms = {};
  const net = whole(fields.paymentTermsDays, 0, 3650);
  if (net !== undefined) terms.paymentTermsDays = net;
  const day = whole(fields.settlementDay, 1, 31);
  if (day !== undefined) terms.settlementDay = day;
  const tenor = whole(fields.billTenorDays, 0, 3650);
  if (tenor !== undefined && tenor > 0) terms.billTenorDays = tenor;
  const parts = whole(fields.instalments, 0, 120);
  if (parts !== undefined && parts >= 2) terms.instalments = parts;
  if (typeof fields.paymentMethod === 'string' && fields.paymentMethod) terms.paymentMethod = fields.paymentMethod;
  return terms;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
}

/** The same time of day on `day` of the month `months` after `time`'s, clamped to that month's last day. */
export function addMonths(time: number, months: number, day?: number): number {
  const date = new Date(time);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth() + months;
  const target = new Date(Date.UTC(year, month, 1));
  const wanted = day ?? date.getUTCDate();
  const clamped = Math.min(wanted, daysInMonth(target.getUTCFullYear(), target.getUTCMonth()));
  return Date.UTC(target.getUTCFullYear(), target.getUTCMonth(), clamped, date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds(), date.getUTCMilliseconds());
}

/** The settlement date of an order on monthly settlement (结账日). */
export function settlementDate(orderDate: number, settlementDay: number): number {
  const date = new Date(orderDate);
  const closing = Math.min(settlementDay, daysInMonth(date.getUTCFullYear(), date.getUTCMonth()));
  return date.getUTCDate() <= closing ? addMonths(orderDate, 0, settlementDay) : addMonths(orderDate, 1, settlementDay);
}

const usesBills = (terms: PaymentTerms) => (terms.billTenorDays ?? 0) > 0 && !['cash', 'transfer', 'instalments'].includes(terms.paymentMethod ?? '');
const usesInstalments = (terms: PaymentTerms) => (terms.instalments ?? 0) >= 2 && !['cash', 'transfer', 'bill'].includes(terms.paymentMethod ?? '');

/** The (first) date an order is due under the terms, before any date set on the order itself. */
export function dueDateFromTerms(orderDate: number, terms: PaymentTerms = {}): number {
  let due: number;
  if (terms.settlementDay !== undefined) due = settlementDate(orderDate, terms.settlementDay) + (terms.paymentTermsDays ?? 0) * DAY_MS;
  else due = orderDate + (terms.paymentTermsDays ?? DEFAULT_TERMS_DAYS) * DAY_MS;
  if (usesBills(terms)) due += terms.billTenorDays! * DAY_MS;
  return due;
}

/** How many parts an order is paid in under the terms (1 unless instalments apply). */
export function partsOf(terms: PaymentTerms = {}): number {
  return usesInstalments(terms) ? terms.instalments! : 1;
}

/**
 * The parts of an order: when each is due and how much. `ownDueDate` (the order's own, if set)
 * replaces the first date; `parts` (the order's own count, if stored) replaces the terms' count.
 */
export function scheduleOf(order: { date: number; amount: number; dueDate?: number; instalments?: number }, terms: PaymentTerms = {}): DuePart[] {
  const first = order.dueDate !== undefined && order.dueDate > 0 ? order.dueDate : dueDateFromTerms(order.date, terms);
  const count = order.instalments !== undefined && order.instalments >= 1 ? Math.min(120, Math.floor(order.instalments)) : partsOf(terms);
  if (count <= 1) return [{ dueDate: first, amount: round(order.amount) }];
  const part = Math.floor((order.amount / count) * 100) / 100;
  const day = new Date(first).getUTCDate();
  const parts: DuePart[] = [];
  for (let i = 0; i < count; i++) parts.push({ dueDate: addMonths(first, i, day), amount: i < count - 1 ? part : round(order.amount - part * (count - 1)) });
  return parts;
}
