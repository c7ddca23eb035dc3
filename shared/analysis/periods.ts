/**
 * Calendar periods the analyses group by, in UTC: months ('2026-11'), ISO weeks starting on
 * Monday (epoch ms of that Monday), half-years ('2026-H1'). Pure, the clock passed in.
 */
import { DAY_MS } from '../derive/ledger.ts';

export function monthKey(time: number): string {
  return new Date(time).toISOString().slice(0, 7);
}

export function monthStart(time: number): number {
  const d = new Date(time);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

/** The `count` months ending with the month of `now`, oldest first. */
export function lastMonths(now: number, count: number): string[] {
  const d = new Date(now);
  const out: string[] = [];
  for (let i = count - 1; i >= 0; i--) out.push(monthKey(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - i, 1)));
  return out;
}

export function weekStart(time: number): number {
  const day = Math.floor(time / DAY_MS) * DAY_MS;
  const weekday = (new Date(day).getUTCDay() + 6) % 7; // Monday 0
  return day - weekday * DAY_MS;
}

/** The `count` week starts ending with the week of `now`, oldest first. */
export function lastWeeks(now: number, count: number): number[] {
  const current = weekStart(now);
  const out: number[] = [];
  for (let i = count - 1; i >= 0; i--) out.push(current - i * 7 * DAY_MS);
  return out;
}

export interface HalfYear {
  key: string;
  start: number;
  end: number;
}

export function halfYearOf(time: number): HalfYear {
  const d = new Date(time);
  const year = d.getUTCFullYear();
  const first = d.getUTCMonth() < 6;
  return { key: `${year}-H${first ? 1 : 2}`, start: Date.UTC(year, first ? 0 : 6, 1), end: Date.UTC(first ? year : year + 1, first ? 6 : 0, 1) };
}

export function previousHalfYear(half: HalfYear): HalfYear {
  return halfYearOf(half.start - DAY_MS);
}
