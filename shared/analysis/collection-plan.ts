/**
 * The collection plan (收款计划): what each customer owes and when, by date, across the cards
 * the user may read (a manager's are the whole team's, so the plan runs across reps). From the
 * index rows' open orders, whose due dates follow each card's trade terms (derive/terms.ts):
 * everything overdue first (oldest first), then each day up to the horizon, with totals per
 * day, per rep and overall. Days are the user's local days (time zone offset passed in).
 */
import type { CardIndexRow } from '../card-types.ts';
import { daysBetween, startOfDay, type ZoneOffset } from '../reminders/dates.ts';

export type PlanRow = Pick<CardIndexRow, 'id' | 'name' | 'owner' | 'openOrders'>;

export interface PlanLine {
  cardId: string;
  name: string;
  owner: string;
  orderId: string;
  /** 1 for an order paid at once or its first instalment; n for the n-th instalment. */
  instalment: number;
  dueDate: number;
  outstanding: number;
  /** Whole days past due (0 today, negative ahead). */
  daysOverdue: number;
}

export interface PlanDay {
  /** The local day, YYYY-MM-DD. */
  day: string;
  lines: PlanLine[];
  total: number;
}

export interface RepTotals {
  owner: string;
  overdue: number;
  due: number;
  total: number;
}

export interface CollectionPlan {
  overdue: PlanDay;
  days: PlanDay[];
  byRep: RepTotals[];
  total: number;
  /** Open amounts due after the horizon (not listed). */
  later: number;
}

export interface PlanOptions {
  /** Days ahead to list, from today (0: today only). */
  horizonDays: number;
  zoneOffset: ZoneOffset;
  /** Only these owners' customers (a manager choosing reps); all when empty or missing. */
  owners?: readonly string[];
}

const round = (value: number) => Math.round(value * 100) / 100;

function localDay(time: number, offset: ZoneOffset): string {
  return new Date(startOfDay(time, offset) + offset * 60_000).toISOString().slice(0, 10);
}

export function instalmentOf(orderId: string): number {
  const match = /#(\d+)$/.exec(orderId);
  return match ? Number(match[1]) : 1;
}

export function collectionPlan(rows: readonly PlanRow[], now: number, options: PlanOptions): CollectionPlan {
  const offset = options.zoneOffset;
  const owners = options.owners && options.owners.length > 0 ? new Set(options.owners) : undefined;
  const horizon = Math.max(0, Math.floor(options.horizonDays));
  const overdue: PlanLine[] = [];
  const byDay = new Map<string, PlanLine[]>();
  const reps = new Map<string, RepTotals>();
  let later = 0;
  for (const row of rows) {
    if (owners && !owners.has(row.owner)) continue;
    for (const order of row.openOrders) {
      if (!(order.outstanding > 0) || !Number.isFinite(order.dueDate)) continue;
      const days = daysBetween(order.dueDate, now, offset);
      if (days < -horizon) {
        later += order.outstanding;
        continue;
      }
      const line: PlanLine = { cardId: row.id, name: row.name, owner: row.owner, orderId: order.orderId, instalment: instalmentOf(order.orderId), dueDate: order.dueDate, outstanding: order.outstanding, daysOverdue: days };
      const rep = reps.get(row.owner) ?? { owner: row.owner, overdue: 0, due: 0, total: 0 };
      if (days > 0) {
        overdue.push(line);
        rep.overdue = round(rep.overdue + line.outstanding);
      } else {
        const key = localDay(order.dueDate, offset);
        byDay.set(key, [...(byDay.get(key) ?? []), line]);
        rep.due = round(rep.due + line.outstanding);
      }
      rep.total = round(rep.total + line.outstanding);
      reps.set(row.owner, rep);
    }
  }
  const order = (a: PlanLine, b: PlanLine) => a.dueDate - b.dueDate || b.outstanding - a.outstanding || a.name.localeCompare(b.name) || a.orderId.localeCompare(b.orderId);
  const sum = (lines: PlanLine[]) => round(lines.reduce((total, line) => total + line.outstanding, 0));
  overdue.sort(order);
  const days = [...byDay.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([day, lines]) => ({ day, lines: lines.sort(order), total: sum(lines) }));
  const byRep = [...reps.values()].sort((a, b) => b.total - a.total || a.owner.localeCompare(b.owner));
  return { overdue: { day: '', lines: overdue, total: sum(overdue) }, days, byRep, total: round(sum(overdue) + days.reduce((t, d) => t + d.total, 0)), later: round(later) };
}

/** The plan as table lines (CSV, print): overdue first, then by day. */
export function planLines(plan: CollectionPlan): PlanLine[] {
  return [...plan.overdue.lines, ...plan.days.flatMap((d) => d.lines)];
}
