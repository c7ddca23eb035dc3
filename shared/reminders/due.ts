/**
 * What is due for a rep (DOMAIN.md §6): customers drifting past their contact cadence (by ABC
 * class, or the card's own), contacts' birthdays and wedding anniversaries, follow-ups promised
 * on timeline entries, payments coming due and overdue receivables. Pure: cards, classes,
 * snoozes and the clock come in; a list of items with their context goes out (no UI strings).
 * A card never contacted is due one cadence after it was created. Logging a visit, call, email,
 * meeting, message or letter restarts the clock, and so does a note logged as a contact (the
 * panel's quick note unless marked "not a contact"); a complaint or "worth sharing" entry does not.
 * For A and B customers whose relationship rests on fewer than two close people, a suggestion
 * whom to deepen, due with the next contact (never on the badge: a suggestion, not a duty); for
 * each person whose silence is much longer than their own usual interval, "cooling"
 * (shared/relationship/).
 */
import { isContact, type CardIndexRow, type CardView } from '../card-types.ts';
import { buildIndexRow } from '../index-row.ts';
import type { NoteAdd } from '../mutations-types.ts';
import { cadenceOf, type CadenceRow, type CadenceSettings } from './cadence.ts';
import { visitDue } from './visits.ts';
import { daysBetween, nextYearly, startOfDay, type ZoneOffset } from './dates.ts';
import { coolingOf } from '../relationship/cooling.ts';
import { CLOSE_PEOPLE_WANTED, deepenCandidate } from '../relationship/depth.ts';

export type DueKind = 'cadence' | 'birthday' | 'anniversary' | 'follow-up' | 'payment-due' | 'overdue-payment' | 'visit-planned' | 'visit-unreported' | 'deepen' | 'cooling';

/** Kinds that suggest rather than remind of a duty: listed, never counted on the badge. */
export const SUGGESTION_KINDS: readonly DueKind[] = ['deepen'];
export type Bucket = 'overdue' | 'today' | 'this-week';

export interface ReminderSettings extends CadenceSettings {
  /** How far ahead dates show ("this week"). */
  horizonDays: number;
  zoneOffset: ZoneOffset;
}

export const DEFAULT_REMINDERS: ReminderSettings = { cadenceDays: { A: 14, B: 30, C: 90 }, horizonDays: 7, zoneOffset: 0 };

/** itemId -> snoozed until (epoch ms). */
export type Snoozes = Record<string, number>;

export interface DueItem {
  id: string;
  cardId: string;
  kind: DueKind;
  dueAt: number;
  bucket: Bucket;
  /** Days overdue (positive) or until due (negative, e.g. -3 = in three days). */
  daysOverdue: number;
  params: Record<string, string | number>;
  context: { cardName: string; lastNotes: string[]; familyNames: string[]; caresAbout: string[] };
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

export function lastContactOf(card: CardView): number {
  return card.timeline.filter((e) => isContact(e)).reduce((max, e) => Math.max(max, e.at), 0);
}

export function contextOf(card: CardView): DueItem['context'] {
  return {
    cardName: text(card.fields.name),
    lastNotes: card.timeline.slice(0, 2).map((e) => e.text).filter(Boolean),
    familyNames: card.contacts.flatMap((c) => [text(c.profile.spouseName), text(c.profile.childrenNames)]).filter(Boolean),
    caresAbout: card.contacts.flatMap((c) => [text(c.profile.caresAbout), text(c.profile.hobbies)]).filter(Boolean),
  };
}

/** A due item, or undefined when it is snoozed or beyond the horizon. */
function makeItem(cardId: string, kind: DueKind, source: string, dueAt: number, params: Record<string, string | number>, context: DueItem['context'], now: number, settings: ReminderSettings, snoozes: Snoozes): DueItem | undefined {
  const offset = settings.zoneOffset;
  const day = new Date(startOfDay(dueAt, offset) + offset * 60_000).toISOString().slice(0, 10);
  const id = `${kind}:${cardId}:${source}:${day}`;
  if ((snoozes[id] ?? 0) > now) return undefined;
  const daysOverdue = daysBetween(dueAt, now, offset);
  if (daysOverdue < -settings.horizonDays) return undefined;
  const bucket: Bucket = daysOverdue > 0 ? 'overdue' : daysOverdue === 0 ? 'today' : 'this-week';
  return { id, cardId, kind, dueAt, bucket, daysOverdue, params, context };
}

/** The cadence item of a card from its last contact (or creation) and its cadence (class, stage, flags, own: cadence.ts). */
export function cadenceItem(
  card: CadenceRow & { id: string; name: string; lastContact: number; createdAt: number },
  now: number,
  settings: ReminderSettings = DEFAULT_REMINDERS,
  snoozes: Snoozes = {},
): DueItem | undefined {
  const cadence = cadenceOf(card, settings);
  const since = card.lastContact || card.createdAt;
  if (!card.name || since <= 0) return undefined;
  return makeItem(card.id, 'cadence', 'contact', since + cadence.days * 86_400_000, { days: cadence.days, basis: cadence.basis }, { cardName: card.name, lastNotes: [], familyNames: [], caresAbout: [] }, now, settings, snoozes);
}

export function sortDue(items: DueItem[]): DueItem[] {
  const order: Record<Bucket, number> = { overdue: 0, today: 1, 'this-week': 2 };
  return items.sort((a, b) => order[a.bucket] - order[b.bucket] || b.daysOverdue - a.daysOverdue || a.dueAt - b.dueAt);
}

/** What the due rules read of a card: all of it is in the card's index row. */
export type DueSource = Pick<CardIndexRow, 'id' | 'name' | 'lastContact' | 'createdAt' | 'cadenceDays' | 'abc' | 'annual' | 'followUps' | 'openOrders'> & Partial<Pick<CardIndexRow, 'stage' | 'flags' | 'owner' | 'plannedVisit' | 'lastVisit' | 'unknownCount' | 'people'>>;

const NO_CONTEXT: DueItem['context'] = { cardName: '', lastNotes: [], familyNames: [], caresAbout: [] };

/** The due items of cards from their index rows alone; each item's context holds only the card's name. */
export function dueItemsOfRows(rows: readonly DueSource[], now: number, settings: ReminderSettings = DEFAULT_REMINDERS, snoozes: Snoozes = {}, options: { cadence?: boolean } = {}): DueItem[] {
  const items: DueItem[] = [];
  const offset = settings.zoneOffset;
  for (const row of rows) {
    if (!row.name) continue;
    const context = { ...NO_CONTEXT, cardName: row.name };
    const push = (kind: DueKind, source: string, dueAt: number, params: Record<string, string | number>) => {
      const item = makeItem(row.id, kind, source, dueAt, params, context, now, settings, snoozes);
      if (item) items.push(item);
    };
    if (options.cadence !== false) {
      const item = cadenceItem(row, now, settings, snoozes);
      if (item) items.push(item);
    }
    for (const date of row.annual) {
      const next = nextYearly(date.date, now, offset);
      if (next !== undefined) push(date.kind, date.personId, next, { person: date.person });
    }
    const last = row.lastContact;
    for (const entry of row.followUps) {
      if (last > entry.at && last >= startOfDay(entry.followUp, offset)) continue;
      push('follow-up', entry.entryId, entry.followUp, { text: entry.text });
    }
    for (const order of row.openOrders) {
      push(order.dueDate < startOfDay(now, offset) ? 'overdue-payment' : 'payment-due', order.orderId, order.dueDate, { amount: order.outstanding });
    }
    const visit = visitDue({ ...row, owner: row.owner ?? '' }, now, offset);
    if (visit) push(visit.kind, 'visit', visit.day, { unknown: visit.unknown });
    if (row.abc === 'A' || row.abc === 'B') {
      const deepen = deepenCandidate(row, now);
      if (deepen && deepen.close < CLOSE_PEOPLE_WANTED) {
        // With the next contact the cadence asks for (its date stays put, so a snooze holds).
        const next = (row.lastContact || row.createdAt) + cadenceOf(row, settings).days * 86_400_000;
        push('deepen', deepen.personId, next, { personId: deepen.personId, person: deepen.person, influence: deepen.influence, level: deepen.level, close: deepen.close });
      }
    }
    for (const person of row.people ?? []) {
      const cooling = coolingOf(person.contacts, now);
      if (cooling?.cooling) push('cooling', person.id, cooling.coolingFrom, { personId: person.id, person: person.name, usual: cooling.usualDays, silent: cooling.silentDays });
    }
  }
  return sortDue(items);
}

/** The due items of full cards (classes from `abcByCard`, else C), each with the card's context. */
export function dueItems(
  cards: readonly CardView[],
  abcByCard: ReadonlyMap<string, string>,
  now: number,
  settings: ReminderSettings = DEFAULT_REMINDERS,
  snoozes: Snoozes = {},
  options: { cadence?: boolean } = {},
): DueItem[] {
  const contexts = new Map(cards.map((card) => [card.id, contextOf(card)]));
  const rows = cards.map((card) => ({ ...buildIndexRow(card, now), abc: abcByCard.get(card.id) ?? 'C' }));
  return dueItemsOfRows(rows, now, settings, snoozes, options).map((item) => ({ ...item, context: contexts.get(item.cardId)! }));
}

/** The toolbar badge: what is overdue or due today (suggestions aside). */
export function badgeCount(items: readonly DueItem[]): number {
  return items.filter((item) => item.bucket !== 'this-week' && !SUGGESTION_KINDS.includes(item.kind)).length;
}

/**
 * "Done" on a reminder logs a contact (a call, with the caller's words; a visit for a planned
 * visit), which restarts the cadence clock and clears the follow-ups it answers.
 */
export function doneMutation(item: DueItem, now: number, text: string): NoteAdd {
  // A planned visit is done by a visit, which also reports it.
  const kind = item.kind === 'visit-planned' || item.kind === 'visit-unreported' ? 'visit' : 'call';
  // Deepening or warming a relationship is done by a call with that person, which we made.
  const personId = item.kind === 'deepen' || item.kind === 'cooling' ? item.params.personId : undefined;
  return { type: 'note-add', cardId: item.cardId, kind, at: now, text, ...(typeof personId === 'string' && personId ? { contactId: personId, direction: 'out' as const } : {}) };
}

export function snooze(snoozes: Snoozes, itemId: string, until: number): Snoozes {
  return { ...snoozes, [itemId]: until };
}
