/**
 * How deep each customer's relationship goes (DOMAIN.md §8: "keep the relationship the company's,
 * not one rep's — more than one close contact for important customers"): how many of a
 * customer's people are close, whom to deepen next and why, the A customers with no close
 * contact or only one (the desk's list), and the people whose silence is cooling. Pure: index
 * rows (their `people`, CardIndexRow) and the clock in, plain lists out (no UI strings).
 */
import type { CardIndexRow, PersonRow } from '../card-types.ts';
import { coolingOf, type Cooling } from './cooling.ts';

/** An important customer should have at least this many close people. */
export const CLOSE_PEOPLE_WANTED = 2;

export type DepthRow = Pick<CardIndexRow, 'id' | 'name' | 'owner' | 'abc' | 'people'>;

export function closePeople(row: { people?: readonly PersonRow[] }): PersonRow[] {
  return (row.people ?? []).filter((person) => person.closeness === 'close');
}

const INFLUENCE_ORDER = ['decides', 'influences', 'uses', '', 'none'];
const LEVEL_ORDER = ['friendly', 'known', '', 'far'];
const rank = (order: readonly string[], value: string) => (order.includes(value) ? order.indexOf(value) : order.length);

export interface DeepenSuggestion {
  personId: string;
  person: string;
  /** Why this person: their influence and current level ('' when not set). */
  influence: string;
  level: string;
  /** They reached us lately (in the last 180 days): an opening to build on. */
  reachesUs: boolean;
  /** How many close people the customer has now. */
  close: number;
}

const HALF_YEAR = 180 * 86_400_000;

/**
 * The person to deepen next: not close yet, with the most say in decisions, then already the
 * nearest, then the one who reached us last, then the one contacted last. Undefined when the
 * customer has no one else to deepen.
 */
export function deepenCandidate(row: { people?: readonly PersonRow[] }, now: number): DeepenSuggestion | undefined {
  const people = row.people ?? [];
  const close = closePeople(row).length;
  const last = (person: PersonRow) => person.contacts[person.contacts.length - 1] ?? 0;
  const best = people
    .filter((person) => person.closeness !== 'close')
    .sort((a, b) => rank(INFLUENCE_ORDER, a.influence) - rank(INFLUENCE_ORDER, b.influence) || rank(LEVEL_ORDER, a.closeness) - rank(LEVEL_ORDER, b.closeness) || b.lastInbound - a.lastInbound || last(b) - last(a) || a.name.localeCompare(b.name))[0];
  if (!best) return undefined;
  return { personId: best.id, person: best.name, influence: best.influence, level: best.closeness, reachesUs: best.lastInbound > 0 && now - best.lastInbound <= HALF_YEAR, close };
}

/** A customer whose relationship rests on too few close people. */
export interface ThinRelationship {
  cardId: string;
  name: string;
  owner: string;
  abc: string;
  close: number;
  closeNames: string[];
  people: number;
  deepen?: DeepenSuggestion;
}

/** Customers of the given classes (A by default) with fewer than CLOSE_PEOPLE_WANTED close people, fewest first. */
export function thinRelationships(rows: readonly DepthRow[], now: number, classes: readonly string[] = ['A']): ThinRelationship[] {
  const out: ThinRelationship[] = [];
  for (const row of rows) {
    if (!classes.includes(row.abc)) continue;
    const close = closePeople(row);
    if (close.length >= CLOSE_PEOPLE_WANTED) continue;
    const deepen = deepenCandidate(row, now);
    out.push({ cardId: row.id, name: row.name, owner: row.owner, abc: row.abc, close: close.length, closeNames: close.map((p) => p.name), people: (row.people ?? []).length, ...(deepen ? { deepen } : {}) });
  }
  return out.sort((a, b) => a.close - b.close || a.abc.localeCompare(b.abc) || a.name.localeCompare(b.name));
}

export interface CoolingPerson extends Cooling {
  cardId: string;
  customer: string;
  owner: string;
  abc: string;
  personId: string;
  person: string;
  closeness: string;
}

/** The people whose silence is much longer than their own usual interval, longest overdue first. */
export function coolingPeople(rows: readonly DepthRow[], now: number): CoolingPerson[] {
  const out: CoolingPerson[] = [];
  for (const row of rows) {
    for (const person of row.people ?? []) {
      const cooling = coolingOf(person.contacts, now);
      if (!cooling?.cooling) continue;
      out.push({ ...cooling, cardId: row.id, customer: row.name, owner: row.owner, abc: row.abc, personId: person.id, person: person.name, closeness: person.closeness });
    }
  }
  return out.sort((a, b) => b.silentDays / b.usualDays - a.silentDays / a.usualDays || a.customer.localeCompare(b.customer));
}
