/**
 * Calendar arithmetic for reminders, in the user's local days (time zone offset passed in, so
 * tests are deterministic): the start of a day, whole days between two moments, and the next
 * yearly occurrence of a date such as a birthday (29 February falls on 28 February in other
 * years).
 */
export const DAY = 86_400_000;

/** Minutes east of UTC, e.g. 480 for China; `-new Date().getTimezoneOffset()` in a browser. */
export type ZoneOffset = number;

export function startOfDay(time: number, offset: ZoneOffset): number {
  const shifted = time + offset * 60_000;
  return shifted - (((shifted % DAY) + DAY) % DAY) - offset * 60_000;
}

/** Whole local days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: number, to: number, offset: ZoneOffset): number {
  return Math.round((startOfDay(to, offset) - startOfDay(from, offset)) / DAY);
}

function localMidnight(year: number, month: number, day: number, offset: ZoneOffset): number {
  return Date.UTC(year, month, day) - offset * 60_000;
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** The next (or today's) yearly occurrence of a 'YYYY-MM-DD' date, at local midnight. */
export function nextYearly(isoDate: string, now: number, offset: ZoneOffset): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!match) return undefined;
  const month = Number(match[2]) - 1;
  const day = Number(match[3]);
  if (month < 0 || month > 11 || day < 1 || day > 31) return undefined;
  const today = startOfDay(now, offset);
  const local = new Date(today + offset * 60_000);
  for (const year of [local.getUTCFullYear(), local.getUTCFullYear() + 1]) {
    const actualDay = month === 1 && day === 29 && !isLeap(year) ? 28 : day;
    const at = localMidnight(year, month, actualDay, offset);
    if (at >= today) return at;
  }
  return undefined;
}
