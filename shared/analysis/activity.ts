/**
 * Upkeep and activity per rep (DOMAIN.md §5: managers check each rep's cards weekly and count
 * upkeep in reviews), week by week: cards updated, contacts logged, new customers, follow-ups
 * done (a contact logged by the day after the follow-up date) and missed (none by then), and, as
 * A customers drifting past their cadence at each week's end (and now), and card completeness
 * (the share of the important fields answered: 1 − unknown / important). The rep is the card's
 * owner, except for contacts logged by someone else (a manager, a borrower, a cover): those count
 * for whoever logged them.
 */
import type { CardIndexRow } from '../card-types.ts';
import { DAY_MS } from '../derive/ledger.ts';
import { cadenceOf } from '../reminders/cadence.ts';
import { DEFAULT_REMINDERS, type ReminderSettings } from '../reminders/due.ts';
import { lastWeeks, weekStart } from './periods.ts';

const WEEK_MS = 7 * DAY_MS;

export type ActivityRow = Pick<
  CardIndexRow,
  'id' | 'name' | 'owner' | 'abc' | 'createdAt' | 'lastContact' | 'cadenceDays' | 'contacts' | 'contactsByOthers' | 'followUpLog' | 'changeDays' | 'unknownCount' | 'importantCount'
>;

export interface WeekActivity {
  week: number;
  cardsUpdated: number;
  contacts: number;
  newCustomers: number;
  followUpsDone: number;
  followUpsMissed: number;
  /** The rep's A customers past their contact cadence at the week's end (or now, this week). */
  aDrifting: number;
}

export interface RepActivity {
  owner: string;
  cards: number;
  weeks: WeekActivity[];
  /** A customers past their contact cadence now. */
  aDrifting: number;
  /** 0..1: the share of important fields answered over the rep's cards. */
  completeness: number;
}

/** Days past the card's cadence (class default unless its own), 0 when not past. */
export function daysPastCadence(row: Pick<ActivityRow, 'abc' | 'cadenceDays' | 'lastContact' | 'createdAt'> & Partial<Pick<CardIndexRow, 'stage' | 'flags'>>, now: number, settings: ReminderSettings = DEFAULT_REMINDERS): number {
  const cadence = cadenceOf(row, settings).days;
  const since = row.lastContact || row.createdAt;
  if (since <= 0) return 0;
  return Math.max(0, Math.floor((now - since) / DAY_MS) - cadence);
}

function emptyWeek(week: number): WeekActivity {
  return { week, cardsUpdated: 0, contacts: 0, newCustomers: 0, followUpsDone: 0, followUpsMissed: 0, aDrifting: 0 };
}

export function activityByRep(rows: readonly ActivityRow[], now: number, weeks = 8, settings: ReminderSettings = DEFAULT_REMINDERS): RepActivity[] {
  const starts = lastWeeks(now, weeks);
  const first = starts[0]!;
  const reps = new Map<string, { owner: string; cards: number; weeks: Map<number, WeekActivity>; aDrifting: number; unknown: number; important: number }>();
  const repOf = (owner: string) => {
    let rep = reps.get(owner);
    if (!rep) reps.set(owner, (rep = { owner, cards: 0, weeks: new Map(starts.map((w) => [w, emptyWeek(w)])), aDrifting: 0, unknown: 0, important: 0 }));
    return rep;
  };
  const weekOf = (owner: string, time: number) => (time >= first && time <= now ? repOf(owner).weeks.get(weekStart(time)) : undefined);
  for (const row of rows) {
    const rep = repOf(row.owner);
    rep.cards++;
    rep.unknown += row.unknownCount;
    rep.important += row.importantCount;
    if (row.abc === 'A') {
      if (daysPastCadence(row, now, settings) > 0) rep.aDrifting++;
      for (const start of starts) {
        const end = Math.min(start + WEEK_MS - 1, now);
        if (row.createdAt > end) continue;
        let last = 0;
        for (const at of row.contacts) if (at <= end) last = at;
        if (daysPastCadence({ ...row, lastContact: last }, end, settings) > 0) rep.weeks.get(start)!.aDrifting++;
      }
    }
    const week = (time: number) => weekOf(row.owner, time);
    const updated = new Set<number>();
    for (const day of row.changeDays) {
      const w = week(day);
      if (w && !updated.has(w.week)) {
        updated.add(w.week);
        w.cardsUpdated++;
      }
    }
    for (const at of row.contacts) {
      const w = week(at);
      if (w) w.contacts++;
    }
    for (const [at, by] of row.contactsByOthers) {
      const own = week(at);
      const theirs = weekOf(by, at);
      if (own && theirs) {
        own.contacts--;
        theirs.contacts++;
      }
    }
    const created = week(row.createdAt);
    if (created) created.newCustomers++;
    for (const [, due, answered] of row.followUpLog) {
      const w = week(due);
      if (!w) continue;
      const deadline = due + DAY_MS;
      if (answered > 0 && answered <= deadline) w.followUpsDone++;
      else if (deadline < now) w.followUpsMissed++;
    }
  }
  return [...reps.values()]
    .map((rep) => ({
      owner: rep.owner,
      cards: rep.cards,
      weeks: starts.map((w) => rep.weeks.get(w)!),
      aDrifting: rep.aDrifting,
      completeness: rep.important > 0 ? Math.round((1 - rep.unknown / rep.important) * 1000) / 1000 : 1,
    }))
    .sort((a, b) => a.owner.localeCompare(b.owner));
}
