/**
 * The daily review (DOMAIN.md §5: "review the previous days' outcomes with reps"): for one day,
 * per rep, the contacts logged (counted for whoever logged them) with their outcomes, the
 * follow-ups promised that day, the follow-ups that fell due that day and were missed (no contact
 * by the day after), and the cards made that day. Read from the index rows of the cards the
 * manager holds (each row keeps its latest contacts with who logged them: index-row.ts
 * `contactLog`); follow-ups and new cards count for the card's owner. Pure, the day and the clock
 * passed in.
 */
import type { CardIndexRow } from '../card-types.ts';
import { DAY_MS } from '../derive/ledger.ts';

export type ReviewRow = Pick<CardIndexRow, 'id' | 'name' | 'owner' | 'createdAt' | 'contactLog' | 'followUpLog'>;

export interface ReviewContact {
  cardId: string;
  customer: string;
  at: number;
  kind: string;
  outcome: string;
}

export interface RepDay {
  rep: string;
  contacts: ReviewContact[];
  promised: number;
  missed: { cardId: string; customer: string; due: number }[];
  newCards: { cardId: string; customer: string }[];
}

/** The day from `dayStart` (inclusive) to `dayStart + DAY_MS`, reviewed at `now`. Reps with nothing that day are left out. */
export function dailyReview(rows: readonly ReviewRow[], dayStart: number, now: number): RepDay[] {
  const dayEnd = dayStart + DAY_MS;
  const within = (time: number) => time >= dayStart && time < dayEnd;
  const reps = new Map<string, RepDay>();
  const repOf = (rep: string) => {
    let day = reps.get(rep);
    if (!day) reps.set(rep, (day = { rep, contacts: [], promised: 0, missed: [], newCards: [] }));
    return day;
  };
  for (const row of rows) {
    for (const [at, by, kind, outcome] of row.contactLog) {
      if (within(at)) repOf(by || row.owner).contacts.push({ cardId: row.id, customer: row.name, at, kind, outcome });
    }
    for (const [entryAt, due, answered] of row.followUpLog) {
      if (within(entryAt)) repOf(row.owner).promised++;
      const deadline = due + DAY_MS;
      if (within(due) && deadline < now && !(answered > 0 && answered <= deadline)) repOf(row.owner).missed.push({ cardId: row.id, customer: row.name, due });
    }
    if (within(row.createdAt)) repOf(row.owner).newCards.push({ cardId: row.id, customer: row.name });
  }
  for (const day of reps.values()) day.contacts.sort((a, b) => a.at - b.at);
  return [...reps.values()].sort((a, b) => a.rep.localeCompare(b.rep));
}
