/**
 * Cooling relationships (DOMAIN.md §8: "remind when a person has not been seen for many days"):
 * each person has their own rhythm of contact, read from the contacts logged with them. When the
 * silence since the last one grows much longer than that usual interval, the relationship is
 * cooling — often well before the customer's class cadence (shared/reminders/cadence.ts) says
 * anything, since the cadence counts contacts with anyone at the customer.
 *
 * Days are whole UTC days (several contacts on one day are one); the usual interval is the
 * median gap of the latest gaps, so one long holiday or one busy week does not move it.
 */
const DAY = 86_400_000;

export const COOLING_RULE = {
  /** Fewer distinct days of contact than this: no rhythm to judge by yet. */
  minContactDays: 3,
  /** The usual interval is the median of at most this many latest gaps. */
  gapsKept: 12,
  /** Cooling when the silence exceeds this many usual intervals… */
  factor: 2,
  /** …and is at least this many days longer than the usual interval. */
  minExtraDays: 7,
} as const;

/** The person's usual interval between contacts in days, or undefined when too few contacts tell it. */
export function usualInterval(times: readonly number[], now: number): number | undefined {
  const days = [...new Set(times.filter((at) => Number.isFinite(at) && at > 0 && at <= now).map((at) => Math.floor(at / DAY)))].sort((a, b) => a - b);
  if (days.length < COOLING_RULE.minContactDays) return undefined;
  const gaps: number[] = [];
  for (let i = 1; i < days.length; i++) gaps.push(days[i]! - days[i - 1]!);
  const latest = gaps.slice(-COOLING_RULE.gapsKept).sort((a, b) => a - b);
  const mid = latest.length >> 1;
  return latest.length % 2 === 1 ? latest[mid]! : (latest[mid - 1]! + latest[mid]!) / 2;
}

export interface Cooling {
  /** The usual interval in days (shared/relationship/cooling.ts). */
  usualDays: number;
  /** Whole days since the last contact. */
  silentDays: number;
  lastContact: number;
  /** The silence is much longer than the usual interval. */
  cooling: boolean;
  /** When the silence became (or will become) cooling. */
  coolingFrom: number;
}

/** The person's rhythm and silence, or undefined when their contacts tell no rhythm yet. */
export function coolingOf(times: readonly number[], now: number): Cooling | undefined {
  const usualDays = usualInterval(times, now);
  if (usualDays === undefined) return undefined;
  const lastContact = Math.max(...times.filter((at) => Number.isFinite(at) && at <= now));
  const silentDays = Math.floor(now / DAY) - Math.floor(lastContact / DAY);
  const limit = Math.max(usualDays * COOLING_RULE.factor, usualDays + COOLING_RULE.minExtraDays);
  return { usualDays, silentDays, lastContact, cooling: silentDays > limit, coolingFrom: (Math.floor(lastContact / DAY) + Math.floor(limit) + 1) * DAY };
}
