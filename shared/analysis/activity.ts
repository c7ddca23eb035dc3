/**
 * Upkeep and activity per rep (DOMAIN.md §5: managers check each rep's cards weekly and count
 * upkeep in reviews), week by week: cards updated, contacts logged, new customers, follow-ups
 * done (a contact logged by the day after the follow-up date) and missed (none by then), and, as
 * of now, A customers drifting past their cadence and card completeness (the share of the
 * important fields answered: 1 − unknown / important). The rep is the card's owner.
 */
import type { CardIndexRow } from '../card-types.ts';
import { DAY_MS } from '../derive/ledger.ts';
import { DEFAULT_REMINDERS, type ReminderSettings } from '../reminders/due.ts';
import { lastWeeks, weekStart } from './periods.ts';

export type ActivityRow = Pick<
  CardIndexRow,
  'id' | 'name' | 'owner' | 'abc' | 'createdAt' | 'lastContact' | 'cadenceDays' | 'contacts' | 'followUpLog' | 'changeDays' | 'unknownCount' | 'importantCount'
>;

export interface WeekActivity {
  week: number;
  cardsUpdated: number;
  contacts: number;
  newCustomers: number;
  followUpsDone: number;
  followUpsMissed: number;
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
export function daysPastCadence(row: Pick<ActivityRow, 'abc' | 'cadenceDays' | 'lastContact' | 'createdAt'>, now: number, settings: ReminderSettings = DEFAULT_REMINDERS): number {
  const cadence = row.cadenceDays > 0 ? row.cadenceDays : settings.cadenceDays[row.abc === 'A' || row.abc === 'B' ? row.abc : 'C'];
  const since = row.lastContact || row.createdAt;
  if (since <= 0) return 0;
  return Math.max(0, Math.floor((now - since) / DAY_MS) - cadence);
}

function emptyWeek(week: number): WeekActivity {
  return { week, cardsUpdated: 0, contacts: 0, newCustomers: 0, followUpsDone: 0, followUpsMissed: 0 };
}

export function activityByRep(rows: readonly ActivityRow[], now: number, weeks = 8, settings: ReminderSettings = DEFAULT_REMINDERS): RepActivity[] {
  const starts = lastWeeks(now, weeks);
  const first = starts[0]!;
  const reps = new Map<string, { owner: string; cards: number; weeks: Map<number, WeekActivity>; aDrifting: number; unknown: number; important: number }>();
  for (const row of rows) {
    let rep = reps.get(row.owner);
    if (!rep) reps.set(row.owner, (rep = { owner: row.owner, cards: 0, weeks: new Map(starts.map((w) => [w, emptyWeek(w)])), aDrifting: 0, unknown: 0, important: 0 }));
    rep.cards++;
    rep.unknown += row.unknownCount;
    rep.important += row.importantCount;
    if (row.abc === 'A' && daysPastCadence(row, now, settings) > 0) rep.aDrifting++;
    const week = (time: number) => (time >= first && time <= now ? rep!.weeks.get(weekStart(time)) : undefined);
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
