/**
 * Duplicates of imported records among existing cards: the same 统一编号 (business number),
 * a person's email address already on a card, the company's email domain (never a free-mail
 * one), or the same trade name written the same way (case, spaces, full-width forms and
 * company-form suffixes aside). Each record gets its strongest match, in that order.
 */
import { isFreeMailDomain } from '../email.ts';
import type { DuplicateMatch, ExistingCard, ImportRecord, MatchKey } from './types.ts';

export function normaliseBusinessNumber(value: string): string {
  return value.normalize('NFKC').replace(/[\s-]/g, '').toUpperCase();
}

/** A trade name as compared: "深圳华星电子有限公司" and "深圳 华星电子 有限公司" match; so do "ACME Inc." and "Acme Inc". */
export function normaliseName(value: string): string {
  return value
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s.,·'"()（）&-]/g, '');
}

export interface DuplicateIndex {
  byNumber: Map<string, ExistingCard>;
  byEmail: Map<string, ExistingCard>;
  byDomain: Map<string, ExistingCard>;
  byName: Map<string, ExistingCard>;
}

export function indexExisting(cards: readonly ExistingCard[]): DuplicateIndex {
  const index: DuplicateIndex = { byNumber: new Map(), byEmail: new Map(), byDomain: new Map(), byName: new Map() };
  const first = <K>(map: Map<K, ExistingCard>, key: K, card: ExistingCard) => {
    if (!map.has(key)) map.set(key, card);
  };
  for (const card of cards) {
    if (card.businessNumber) first(index.byNumber, normaliseBusinessNumber(card.businessNumber), card);
    for (const email of card.emails) first(index.byEmail, email.toLowerCase(), card);
    for (const domain of card.domains) if (!isFreeMailDomain(domain)) first(index.byDomain, domain.toLowerCase(), card);
    const name = normaliseName(card.name);
    if (name) first(index.byName, name, card);
  }
  return index;
}

function matchOf(record: ImportRecord, index: DuplicateIndex): { card: ExistingCard; by: MatchKey } | undefined {
  const number = record.fields.businessNumber;
  if (typeof number === 'string' && number) {
    const card = index.byNumber.get(normaliseBusinessNumber(number));
    if (card) return { card, by: 'business-number' };
  }
  for (const contact of record.contacts) {
    const card = contact.email ? index.byEmail.get(contact.email) : undefined;
    if (card) return { card, by: 'email' };
  }
  const domains = Array.isArray(record.fields.domains) ? record.fields.domains : [];
  for (const domain of domains) {
    const card = isFreeMailDomain(domain) ? undefined : index.byDomain.get(domain);
    if (card) return { card, by: 'domain' };
  }
  const name = typeof record.fields.name === 'string' ? index.byName.get(normaliseName(record.fields.name)) : undefined;
  return name ? { card: name, by: 'name' } : undefined;
}

/** Each record's strongest match among `existing`, in record order. */
export function findDuplicates(records: readonly ImportRecord[], existing: readonly ExistingCard[] | DuplicateIndex): DuplicateMatch[] {
  const index = Array.isArray(existing) ? indexExisting(existing) : (existing as DuplicateIndex);
  const matches: DuplicateMatch[] = [];
  for (const record of records) {
    const match = matchOf(record, index);
    if (match) matches.push({ row: record.row, cardId: match.card.id, cardName: match.card.name, by: match.by });
  }
  return matches;
}
