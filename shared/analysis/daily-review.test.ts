import { describe, expect, it } from 'vitest';
import { dailyReview, type ReviewRow } from './daily-review.ts';

const DAY = 86_400_000;
const D = Date.UTC(2026, 11, 3); // the day reviewed
const NOW = D + 3 * DAY;

const row = (id: string, owner: string, extra: Partial<ReviewRow> = {}): ReviewRow => ({ id, name: `Customer ${id}`, owner, createdAt: D - 100 * DAY, contactLog: [], followUpLog: [], ...extra });

describe('the daily review', () => {
  it('counts contacts for whoever logged them, with outcomes, and follow-ups and new cards for the owner', () => {
    const rows = [
      row('a', 'rob', {
        contactLog: [
          [D - 1, 'rob', 'call', 'yesterday: not counted'],
          [D + 9 * 3_600_000, 'rob', 'visit', 'ordered 20 boxes'],
          [D + 15 * 3_600_000, 'mona', 'call', 'complained about delivery'],
        ],
        // promised on D (due D+2, answered in time); due on D and never answered: missed.
        followUpLog: [
          [D + 9 * 3_600_000, D + 2 * DAY, D + 2 * DAY + 1],
          [D - 5 * DAY, D + 3_600_000, 0],
        ],
      }),
      row('b', 'bea', { createdAt: D + 3_600_000, contactLog: [[D + DAY, 'bea', 'email', 'next day']] }),
      row('c', 'rob', { followUpLog: [[D - 5 * DAY, D + 3_600_000, D + 20 * 3_600_000]] }), // answered by the day after: not missed
    ];
    const review = dailyReview(rows, D, NOW);
    expect(review.map((r) => r.rep)).toEqual(['bea', 'mona', 'rob']);
    const rob = review.find((r) => r.rep === 'rob')!;
    expect(rob.contacts.map((c) => [c.kind, c.outcome])).toEqual([['visit', 'ordered 20 boxes']]);
    expect(rob.promised).toBe(1);
    expect(rob.missed.map((m) => m.cardId)).toEqual(['a']);
    expect(review.find((r) => r.rep === 'mona')!.contacts.map((c) => c.outcome)).toEqual(['complained about delivery']);
    expect(review.find((r) => r.rep === 'bea')).toMatchObject({ contacts: [], newCards: [{ cardId: 'b' }] });
  });

  it('does not call a follow-up missed before its day is over', () => {
    const rows = [row('a', 'rob', { followUpLog: [[D - DAY, D + 3_600_000, 0]] })];
    expect(dailyReview(rows, D, D + 5 * 3_600_000)).toEqual([]);
    expect(dailyReview(rows, D, D + 2 * DAY + 1)[0]!.missed).toHaveLength(1);
  });
});
