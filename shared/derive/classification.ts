/**
 * A derived class next to the hand-set override that wins over it (DOMAIN.md §3–4): the card
 * shows both, and the reason comes from the override's change record.
 */
import type { CardView } from '../card-types.ts';

export interface ClassValue {
  derived: string;
  override?: string;
  reason?: string;
  effective: string;
}

export function withOverride(card: CardView, overrideKey: string, derived: string): ClassValue {
  const value = card.fields[overrideKey];
  if (typeof value !== 'string' || value === '') return { derived, effective: derived };
  const record = [...card.history].reverse().find((r) => r.target === overrideKey && r.to === value);
  const result: ClassValue = { derived, override: value, effective: value };
  if (record?.reason) result.reason = record.reason;
  return result;
}
