/**
 * Reminders for the responsible person (DOMAIN.md §4–§6, issue #25): what is due reaches whoever
 * is responsible for it, not every device that holds the card.
 * - A card's owner gets all of its items: the cadence, dates, follow-ups, payments and visits.
 *   A rep covering a colleague's cards during a leave owns them for the cover (a "cover"
 *   handover moves them to her until it ends), so she gets their items as her own.
 * - Anyone else who holds the card (a borrower, the team's manager, an admin) gets only the
 *   follow-ups they promised themselves on it.
 * - A manager sees her team's reps' items not in her own list or badge but on the desk: a digest
 *   per rep and the team's overdue items (`teamDigest`).
 * Signed out (no user known), a device's cards are its user's own: every item is theirs.
 */
import { DEFAULT_REMINDERS, dueItemsOfRows, sortDue, type DueItem, type DueSource, type ReminderSettings, type Snoozes } from './due.ts';

type Row = DueSource & { owner?: string };

/** The row as someone who does not own the card sees it for reminders: only their own follow-ups. */
function promisedBy<T extends Row>(row: T, user: string): T {
  return { ...row, annual: [], openOrders: [], plannedVisit: undefined, followUps: row.followUps.filter((entry) => entry.by === user) };
}

/** The items `user` is responsible for among these cards (`user` undefined: signed out, all of them). */
export function myDueItems(rows: readonly Row[], user: string | undefined, now: number, settings: ReminderSettings = DEFAULT_REMINDERS, snoozes: Snoozes = {}): DueItem[] {
  if (user === undefined) return dueItemsOfRows(rows, now, settings, snoozes);
  const own = rows.filter((row) => row.owner === user);
  const others = rows.filter((row) => row.owner !== user && row.followUps.some((entry) => entry.by === user)).map((row) => promisedBy(row, user));
  return sortDue([...dueItemsOfRows(own, now, settings, snoozes), ...dueItemsOfRows(others, now, settings, snoozes, { cadence: false })]);
}

export interface RepDigest {
  rep: string;
  overdue: number;
  today: number;
  thisWeek: number;
  /** The rep's overdue items, most overdue first. */
  overdueItems: DueItem[];
}

/**
 * A manager's view of her team's reminders: per rep (an owner among `reps`, never the manager
 * herself), how many items are overdue, due today and this week, and the overdue ones. Each
 * rep's items are those the rep is responsible for (their own cards'), as the rep sees them.
 */
export function teamDigest(rows: readonly Row[], manager: string, reps: readonly string[], now: number, settings: ReminderSettings = DEFAULT_REMINDERS): RepDigest[] {
  const digests: RepDigest[] = [];
  for (const rep of reps) {
    if (rep === manager) continue;
    const items = dueItemsOfRows(rows.filter((row) => row.owner === rep), now, settings);
    digests.push({
      rep,
      overdue: items.filter((item) => item.bucket === 'overdue').length,
      today: items.filter((item) => item.bucket === 'today').length,
      thisWeek: items.filter((item) => item.bucket === 'this-week').length,
      overdueItems: items.filter((item) => item.bucket === 'overdue'),
    });
  }
  return digests;
}
