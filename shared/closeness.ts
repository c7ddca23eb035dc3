/**
 * How close the relationship with each person is (远近, DOMAIN.md §8), kept on the person: a
 * level (far, known, friendly, close) that the rep sets by hand or accepts as suggested from
 * the six signs of closeness and from the contacts logged with that person (recent, frequent,
 * two-way: they reach us as well as we them); the signs seen;
 * the person's influence on decisions; whether they receive mail and SMS. Each change is a
 * contact-set-field with its change record, so the records are the level's dated history.
 * Owns these person keys and their validation (contact-validate.ts asks here first).
 */
import type { CardView, ChangeRecord, ContactDirection, FieldValue } from './card-types.ts';
import { isContact } from './card-types.ts';
import { fail, ok, type Result } from './errors.ts';
import { coolingOf, type Cooling } from './relationship/cooling.ts';

export const CLOSENESS_LEVELS = ['far', 'known', 'friendly', 'close'] as const;
export type ClosenessLevel = (typeof CLOSENESS_LEVELS)[number];

/** The six signs that a contact is close (DOMAIN.md §8), in its order. */
export const CLOSENESS_SIGNS = ['news-first', 'follows-our-matters', 'helps-in-difficulty', 'wants-to-meet', 'asks-our-view', 'talks-openly'] as const;

export const INFLUENCE = ['decides', 'influences', 'uses', 'none'] as const;

/** The person keys this module owns. */
export const CLOSENESS_KEY = { level: 'closeness', signs: 'closenessSigns', influence: 'influence', mailOptIn: 'mailOptIn', smsOptIn: 'smsOptIn' } as const;
export const CLOSENESS_KEYS: readonly string[] = Object.values(CLOSENESS_KEY);

const DAY = 86_400_000;

/** The value checked for one of the closeness keys, or undefined when `key` is not one of them. */
export function validateClosenessValue(key: string, value: FieldValue): Result<FieldValue> | undefined {
  if (!CLOSENESS_KEYS.includes(key)) return undefined;
  if (value === null || value === '') return ok(null);
  switch (key) {
    case CLOSENESS_KEY.level:
      return typeof value === 'string' && (CLOSENESS_LEVELS as readonly string[]).includes(value) ? ok(value) : fail('invalid-value', 'Closeness is far, known, friendly or close', key);
    case CLOSENESS_KEY.influence:
      return typeof value === 'string' && (INFLUENCE as readonly string[]).includes(value) ? ok(value) : fail('invalid-value', 'Influence is decides, influences, uses or none', key);
    case CLOSENESS_KEY.signs: {
      if (!Array.isArray(value) || !value.every((sign) => (CLOSENESS_SIGNS as readonly string[]).includes(sign))) return fail('invalid-value', 'Only the six signs of closeness can be noted', key);
      return ok(CLOSENESS_SIGNS.filter((sign) => value.includes(sign)));
    }
    default:
      return typeof value === 'boolean' ? ok(value) : fail('invalid-value', 'This is yes or no', key);
  }
}

export interface ClosenessSuggestion {
  level: ClosenessLevel;
  /**
   * Signs seen (0–6), plus one for a contact with them in the last 30 days, one for 3 or more in
   * 90 days and one for two-way contact in 180 days (they reached us, and we them).
   */
  score: number;
  signs: number;
  recent: boolean;
  frequent: boolean;
  twoWay: boolean;
}

/** A contact logged with the person: when, and who reached out (unknown on older entries: counted as ours). */
export interface PersonContact {
  at: number;
  direction?: ContactDirection;
}

/** The level the signs and the contacts logged with the person suggest. */
export function suggestCloseness(signs: readonly string[], contacts: readonly PersonContact[], now: number): ClosenessSuggestion {
  const seen = CLOSENESS_SIGNS.filter((sign) => signs.includes(sign)).length;
  const within = (days: number) => contacts.filter((c) => c.at <= now && now - c.at <= days * DAY);
  const recent = within(30).length > 0;
  const frequent = within(90).length >= 3;
  const halfYear = within(180);
  const twoWay = halfYear.some((c) => c.direction === 'in') && halfYear.some((c) => c.direction !== 'in');
  const score = seen + (recent ? 1 : 0) + (frequent ? 1 : 0) + (twoWay ? 1 : 0);
  const level: ClosenessLevel = score >= 6 ? 'close' : score >= 4 ? 'friendly' : score >= 2 ? 'known' : 'far';
  return { level, score, signs: seen, recent, frequent, twoWay };
}

export interface PersonCloseness {
  level?: ClosenessLevel;
  /** When the level was set and by whom (its latest change record). */
  since?: number;
  setBy?: string;
  signs: string[];
  influence?: string;
  mailOptIn: boolean;
  smsOptIn: boolean;
  suggestion: ClosenessSuggestion;
  /** Contacts logged with the person (timeline entries naming them), newest first. */
  contacts: number[];
  /** Of those, the ones where they reached us. */
  inbound: number;
  /** Their rhythm of contact and whether the silence since is cooling (relationship/cooling.ts). */
  cooling?: Cooling;
  /** Every change of the level, newest first. */
  history: ChangeRecord[];
}

/** A person's closeness as the card holds it, with the suggestion and the level's history. */
export function closenessOf(card: CardView, contactId: string, now: number): PersonCloseness | undefined {
  const person = card.contacts.find((c) => c.id === contactId);
  if (!person) return undefined;
  const p = person.profile;
  const signs = Array.isArray(p[CLOSENESS_KEY.signs]) ? (p[CLOSENESS_KEY.signs] as string[]) : [];
  const logged = card.timeline.filter((e) => e.contactId === contactId && isContact(e)).map((e): PersonContact => (e.direction ? { at: e.at, direction: e.direction } : { at: e.at }));
  const contacts = logged.map((c) => c.at).sort((a, b) => b - a);
  const target = `contact:${contactId}.${CLOSENESS_KEY.level}`;
  const history = card.history.filter((r) => r.target === target).reverse();
  const level = typeof p[CLOSENESS_KEY.level] === 'string' && (CLOSENESS_LEVELS as readonly string[]).includes(p[CLOSENESS_KEY.level] as string) ? (p[CLOSENESS_KEY.level] as ClosenessLevel) : undefined;
  const result: PersonCloseness = { signs, mailOptIn: p[CLOSENESS_KEY.mailOptIn] === true, smsOptIn: p[CLOSENESS_KEY.smsOptIn] === true, suggestion: suggestCloseness(signs, logged, now), contacts, inbound: logged.filter((c) => c.direction === 'in').length, history };
  const cooling = coolingOf(contacts, now);
  if (cooling) result.cooling = cooling;
  if (level) {
    result.level = level;
    if (history[0]) {
      result.since = history[0].at;
      result.setBy = history[0].by;
    }
  }
  if (typeof p[CLOSENESS_KEY.influence] === 'string') result.influence = p[CLOSENESS_KEY.influence] as string;
  return result;
}
