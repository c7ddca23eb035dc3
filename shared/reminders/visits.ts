/**
 * The visit cycle's reminders (DOMAIN.md §5: plan visits, read the card before each, report
 * after): from the day before a planned visit until its day, "visit planned" with what we still
 * don't know about the customer to ask on the visit; after the day, "visited, not reported"
 * until a visit is logged on or after the planned day. Days are the user's local days.
 */
import type { CardIndexRow } from '../card-types.ts';
import { DAY, daysBetween, startOfDay, type ZoneOffset } from './dates.ts';

export type VisitRow = Pick<CardIndexRow, 'id' | 'name' | 'owner'> & Partial<Pick<CardIndexRow, 'plannedVisit' | 'lastVisit' | 'unknownCount'>>;

export interface VisitDue {
  kind: 'visit-planned' | 'visit-unreported';
  /** The planned day's local start. */
  day: number;
  daysOverdue: number;
  unknown: number;
}

/** The planned visit's day as local midnight, or undefined if none (or not a date). */
export function plannedDay(row: VisitRow, offset: ZoneOffset): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(row.plannedVisit ?? '');
  if (!match) return undefined;
  const at = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) - offset * 60_000;
  return Number.isFinite(at) ? at : undefined;
}

export function visitDue(row: VisitRow, now: number, offset: ZoneOffset): VisitDue | undefined {
  const day = plannedDay(row, offset);
  if (day === undefined) return undefined;
  const days = daysBetween(day, now, offset);
  const reported = (row.lastVisit ?? 0) >= day;
  if (reported) return undefined;
  if (days < -1) return undefined;
  return { kind: days > 0 ? 'visit-unreported' : 'visit-planned', day, daysOverdue: days, unknown: row.unknownCount ?? 0 };
}

export interface RepVisits {
  owner: string;
  planned: number;
  done: number;
  /** Planned for a day already past and not reported. */
  unreported: number;
}

/** Planned against done per rep, for visits planned on days from `from` to `to` (local days, inclusive). */
export function visitsByRep(rows: readonly VisitRow[], from: number, to: number, now: number, offset: ZoneOffset): RepVisits[] {
  const reps = new Map<string, RepVisits>();
  const today = startOfDay(now, offset);
  for (const row of rows) {
    const day = plannedDay(row, offset);
    if (day === undefined || day < startOfDay(from, offset) || day > startOfDay(to, offset) + DAY - 1) continue;
    const rep = reps.get(row.owner) ?? { owner: row.owner, planned: 0, done: 0, unreported: 0 };
    rep.planned++;
    if ((row.lastVisit ?? 0) >= day) rep.done++;
    else if (day < today) rep.unreported++;
    reps.set(row.owner, rep);
  }
  return [...reps.values()].sort((a, b) => b.planned - a.planned || a.owner.localeCompare(b.owner));
}
