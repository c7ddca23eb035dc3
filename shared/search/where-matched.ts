/**
 * "Who knows about X": where on a card a query matched — a person's profile field ("李娜 ·
 * hobbies: golf") or a timeline entry — with a short excerpt. Reads only what the index row's
 * `about` terms were built from (index-row.ts aboutTexts): never a sensitive field, so a topic
 * never to raise can neither match nor be shown.
 */
import type { CardView, TimelineKind } from '../card-types.ts';
import { CONTACT_FIELDS, contactFieldByKey } from '../contact-fields.ts';
import { CLOSENESS_KEYS } from '../closeness.ts';
import type { Label } from '../fields.ts';
import { queryTerms, searchTerms, type QueryTerm } from '../search-terms.ts';

export type WhereMatched =
  | { kind: 'profile'; contactId: string; person: string; field: string; label: Label; excerpt: string }
  | { kind: 'timeline'; entryId: string; entryKind: TimelineKind; at: number; by: string; excerpt: string };

const NOT_ABOUT = new Set(['name', 'email', 'phone', 'role', 'mobile', 'homePhone', 'birthDate', 'weddingAnniversary', 'married', 'objectsToOthersPaying']);
const SENSITIVE = new Set(CONTACT_FIELDS.filter((f) => f.sensitive).map((f) => f.key));
const EXCERPT = 80;

/** Whether a profile key is searched by "who knows about X" (never a sensitive one). */
export function isAboutKey(key: string): boolean {
  return !NOT_ABOUT.has(key) && !CLOSENESS_KEYS.includes(key) && !SENSITIVE.has(key) && contactFieldByKey(key)?.sensitive !== true;
}

function matchesAll(text: string, terms: readonly QueryTerm[]): boolean {
  const own = searchTerms([text]);
  return terms.every((q) => (q.prefix ? own.some((t) => t.startsWith(q.term)) : own.includes(q.term)));
}

/** A window of the text around the first query term found in it. */
export function excerptOf(text: string, terms: readonly QueryTerm[]): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const lower = flat.toLowerCase();
  const at = Math.max(0, Math.min(...terms.map((q) => lower.indexOf(q.term)).filter((i) => i >= 0), flat.length));
  const start = Math.max(0, Math.min(at - 20, flat.length - EXCERPT));
  const piece = flat.slice(start, start + EXCERPT);
  return `${start > 0 ? '…' : ''}${piece}${start + EXCERPT < flat.length ? '…' : ''}`;
}

/** Every place on the card the query matches (people's profiles first, then the timeline, newest first). */
export function whereMatched(view: CardView, query: string, max = 3): WhereMatched[] {
  const terms = queryTerms(query);
  if (terms.length === 0) return [];
  const out: WhereMatched[] = [];
  for (const person of view.contacts) {
    for (const [key, value] of Object.entries(person.profile)) {
      if (!isAboutKey(key)) continue;
      const text = typeof value === 'string' ? value : Array.isArray(value) ? value.join(' ') : '';
      if (!text || !matchesAll(text, terms)) continue;
      const label = contactFieldByKey(key)?.label ?? { en: key, zh: key };
      out.push({ kind: 'profile', contactId: person.id, person: person.name, field: key, label, excerpt: excerptOf(text, terms) });
      if (out.length >= max) return out;
    }
  }
  for (const entry of view.timeline) {
    const text = [entry.subject, entry.text, entry.handling, entry.outcome].filter(Boolean).join(' · ');
    if (!text || !matchesAll(text, terms)) continue;
    out.push({ kind: 'timeline', entryId: entry.id, entryKind: entry.kind, at: entry.at, by: entry.by, excerpt: excerptOf(text, terms) });
    if (out.length >= max) return out;
  }
  return out;
}
