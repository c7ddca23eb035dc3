import { describe, expect, it } from 'vitest';
import { COOLING_RULE, coolingOf, usualInterval } from './cooling.ts';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 6, 10);
/** Contacts on these days before now (at 09:00 of each day). */
const ago = (...days: number[]) => days.map((d) => Date.UTC(2026, 11, 6 - d, 9));

describe('a person’s usual interval between contacts', () => {
  it('is unknown with no contacts, or too few to show a rhythm', () => {
    expect(usualInterval([], NOW)).toBeUndefined();
    expect(usualInterval(ago(5), NOW)).toBeUndefined();
    expect(usualInterval(ago(5, 12), NOW)).toBeUndefined();
    expect(coolingOf([], NOW)).toBeUndefined();
    expect(coolingOf(ago(100, 200), NOW)).toBeUndefined();
    expect(COOLING_RULE.minContactDays).toBe(3);
  });

  it('counts several contacts on one day as one, and ignores contacts dated in the future or not at all', () => {
    // Three calls on one day and one a week later: still only two days of contact.
    const sameDay = [Date.UTC(2026, 10, 1, 8), Date.UTC(2026, 10, 1, 12), Date.UTC(2026, 10, 1, 17), Date.UTC(2026, 10, 8, 9)];
    expect(usualInterval(sameDay, NOW)).toBeUndefined();
    expect(usualInterval([...sameDay, Date.UTC(2026, 10, 15, 9)], NOW)).toBe(7);
    expect(usualInterval([...ago(30, 20, 10), NOW + 3 * DAY, Number.NaN, 0], NOW)).toBe(10);
  });

  it('is the median gap, so irregular contacts and one long pause do not move it', () => {
    expect(usualInterval(ago(70, 63, 56, 49), NOW)).toBe(7);
    // Weekly, then a three-month holiday, then weekly again: still about a week.
    expect(usualInterval(ago(140, 133, 126, 30, 23, 16), NOW)).toBe(7);
    // Irregular: gaps 3, 10, 4, 20 → median of an even count is the mean of the middle two.
    expect(usualInterval(ago(50, 47, 37, 33, 13), NOW)).toBe(7);
    // Order of the input does not matter.
    expect(usualInterval(ago(13, 50, 33, 47, 37), NOW)).toBe(7);
  });

  it('reads only the latest gaps: a rhythm that changed is the new rhythm', () => {
    const old = Array.from({ length: 20 }, (_, i) => 400 - i * 30); // monthly, long ago
    const recent = Array.from({ length: 14 }, (_, i) => 14 * 5 - i * 5); // every 5 days lately
    expect(usualInterval(ago(...old, ...recent), NOW)).toBe(5);
  });
});

describe('cooling', () => {
  it('flags a silence much longer than the usual interval, before a 30- or 90-day class cadence would', () => {
    // Weekly contacts, the last 10 days ago: a little late, not cooling (limit: max(2 × 7, 7 + 7) = 14 days).
    expect(coolingOf(ago(38, 31, 24, 17, 10), NOW)).toMatchObject({ usualDays: 7, silentDays: 10, cooling: false });
    expect(coolingOf(ago(42, 35, 28, 21, 14), NOW)).toMatchObject({ silentDays: 14, cooling: false });
    const cooling = coolingOf(ago(43, 36, 29, 22, 15), NOW)!;
    expect(cooling).toMatchObject({ usualDays: 7, silentDays: 15, cooling: true });
    // It became cooling on the first day past the limit.
    expect(new Date(cooling.coolingFrom).toISOString().slice(0, 10)).toBe('2026-12-06');
    expect(cooling.lastContact).toBe(ago(15)[0]);
  });

  it('gives a short rhythm a week of slack, and a long one twice its length', () => {
    // Every 2 days: cooling after 2 + 7 = 9 days, not after 4.
    expect(coolingOf(ago(11, 9, 7, 5), NOW)).toMatchObject({ usualDays: 2, silentDays: 5, cooling: false });
    expect(coolingOf(ago(16, 14, 12, 10), NOW)).toMatchObject({ silentDays: 10, cooling: true });
    // Every 60 days: 100 days of silence is not yet cooling, 121 is.
    expect(coolingOf(ago(220, 160, 100), NOW)).toMatchObject({ usualDays: 60, cooling: false });
    expect(coolingOf(ago(241, 181, 121), NOW)).toMatchObject({ usualDays: 60, cooling: true });
  });
});
