/**
 * Corrections, as a bookkeeper's reversing entries: a timeline or ledger entry is never edited;
 * a correction is a new entry with `corrects: <old id>`, its author, reason and time. This module
 * owns the one rule every reader follows: which entries are in force and which were replaced.
 *
 * - An entry is replaced when a correction points at it; the correction is in force instead
 *   (and may itself be corrected later: a chain).
 * - Two corrections of the same entry (made offline on two devices) are both kept readable; the
 *   later one (by correction time, then id) is in force and replaces the earlier one too, so an
 *   amount is never counted twice.
 * - A correction whose target is missing (not a stored entry) counts as an ordinary entry.
 */
import type { SupersededEntry } from '../card-types.ts';

interface Correctable {
  id: string;
  by: string;
  corrects?: string;
  reason?: string;
  correctedAt?: number;
}

export interface Resolved<T> {
  /** The entries in force, in the order given. */
  current: T[];
  /** The replaced entries, each with the correction that replaced it. */
  superseded: SupersededEntry<T>[];
}

const later = (a: Correctable, b: Correctable): boolean => (a.correctedAt ?? 0) > (b.correctedAt ?? 0) || ((a.correctedAt ?? 0) === (b.correctedAt ?? 0) && a.id > b.id);

export function resolveCorrections<T extends Correctable>(entries: readonly T[]): Resolved<T> {
  const byId = new Map<string, T>();
  for (const entry of entries) byId.set(entry.id, entry);
  // For each corrected entry, the correction that replaces it (the latest of those naming it).
  const replacedBy = new Map<string, T>();
  const byTarget = new Map<string, T[]>();
  for (const entry of entries) {
    if (!entry.corrects || entry.corrects === entry.id || !byId.has(entry.corrects)) continue;
    const list = byTarget.get(entry.corrects) ?? [];
    list.push(entry);
    byTarget.set(entry.corrects, list);
  }
  for (const [target, corrections] of byTarget) {
    let winner = corrections[0]!;
    for (const c of corrections) if (later(c, winner)) winner = c;
    replacedBy.set(target, winner);
    for (const c of corrections) if (c !== winner && !replacedBy.has(c.id)) replacedBy.set(c.id, winner);
  }
  const current: T[] = [];
  const superseded: SupersededEntry<T>[] = [];
  for (const entry of entries) {
    const correction = replacedBy.get(entry.id);
    if (!correction) current.push(entry);
    else superseded.push({ entry, correctionId: correction.id, by: correction.by, at: correction.correctedAt ?? 0, reason: correction.reason ?? '' });
  }
  return { current, superseded };
}
