/**
 * Dates typed in the card page's forms (`<input type="date">`, the device's local calendar).
 * An entry dated today is stamped with the current time, so it counts at once (12-month
 * purchases, last contact count entries up to now); another day is stamped at its local noon.
 */

/** Today in the device's calendar, as the date input wants it (YYYY-MM-DD). */
export function todayInput(now = Date.now()): string {
  const d = new Date(now);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** The moment a form's date stands for, or undefined if the text is not a date. */
export function momentOfInput(text: string, now = Date.now()): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return undefined;
  if (text === todayInput(now)) return now;
  const [y, m, d] = text.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d, 12).getTime();
}

/** The end (23:59:59, local) of the day a date input holds: loan and cover ends. */
export function endOfInputDay(text: string): number {
  return new Date(`${text}T23:59:59`).getTime();
}
