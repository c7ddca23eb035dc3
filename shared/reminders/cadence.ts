/**
 * How often a customer should be contacted (DOMAIN.md §3, §6): by ABC class (A 14, B 30, C 90
 * days by default), faster in the early stages of the customer cycle (prospects into deals, a
 * first deal into a second: 7 days; won back: 14 by default; a stranger, never contacted, follows
 * its class) and for customers flagged as
 * hesitating (7) or dissatisfied (3). The shortest of these applies; a cadence set on the card
 * itself overrides them all. Settings may be partial (saved by an older version): defaults fill in.
 */
import type { CardIndexRow } from '../card-types.ts';

export type Flag = 'hesitating' | 'dissatisfied';
export const FLAGS: readonly Flag[] = ['hesitating', 'dissatisfied'];

export interface CadenceSettings {
  /** Contact every N days, by ABC class. */
  cadenceDays: Record<'A' | 'B' | 'C', number>;
  /** By stage of the customer cycle (stages not listed follow the class). */
  stageCadenceDays?: Partial<Record<string, number>>;
  /** For flagged customers. */
  flagCadenceDays?: Partial<Record<Flag, number>>;
}

export const DEFAULT_STAGE_CADENCE: Readonly<Record<string, number>> = { prospect: 7, 'first-deal': 7, 'won-back': 14 };
export const DEFAULT_FLAG_CADENCE: Readonly<Record<Flag, number>> = { hesitating: 7, dissatisfied: 3 };

export type CadenceBasis = 'card' | 'class' | 'stage' | Flag;

export type CadenceRow = Pick<CardIndexRow, 'cadenceDays' | 'abc'> & Partial<Pick<CardIndexRow, 'stage' | 'flags'>>;

const valid = (days: unknown): days is number => typeof days === 'number' && Number.isFinite(days) && days >= 1 && days <= 3650;

/** The cadence in days that applies to a customer, and why. */
export function cadenceOf(row: CadenceRow, settings: CadenceSettings): { days: number; basis: CadenceBasis } {
  if (row.cadenceDays > 0) return { days: row.cadenceDays, basis: 'card' };
  let best: { days: number; basis: CadenceBasis } = { days: settings.cadenceDays[row.abc === 'A' || row.abc === 'B' ? row.abc : 'C'], basis: 'class' };
  const stageDays = row.stage ? (settings.stageCadenceDays ?? DEFAULT_STAGE_CADENCE)[row.stage] : undefined;
  if (valid(stageDays) && stageDays < best.days) best = { days: stageDays, basis: 'stage' };
  for (const flag of row.flags ?? []) {
    const days = (settings.flagCadenceDays ?? DEFAULT_FLAG_CADENCE)[flag as Flag] ?? DEFAULT_FLAG_CADENCE[flag as Flag];
    if (valid(days) && days < best.days) best = { days, basis: flag as Flag };
  }
  return best;
}

/** The flags set on a card's fields. */
export function flagsOfFields(fields: Readonly<Record<string, unknown>>): Flag[] {
  return FLAGS.filter((flag) => fields[flag] === true);
}
