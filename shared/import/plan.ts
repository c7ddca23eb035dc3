/**
 * What an import does with its records, decided before anything is written: rows of the same
 * company within the file become one card with all its people; a record that matches an
 * existing card is skipped, fills that card's empty fields only (each change recorded in the
 * card's history with the reason "import <file>"), or creates a card anyway, as the user chose
 * per row or for all. New cards are CardSeeds made of the named mutations, so they are
 * validated, recorded and synced like cards typed in.
 */
import type { CardView, ContactRole, FieldValue } from '../card-types.ts';
import type { CardSeed, CardStep } from '../mutations-types.ts';
import { normaliseBusinessNumber, normaliseName } from './duplicates.ts';
import type { DuplicateChoice, DuplicateMatch, ImportContact, ImportPlan, ImportRecord } from './types.ts';

export const importReason = (fileName: string) => `import ${fileName}`.slice(0, 1_000);

const isEmpty = (value: FieldValue | undefined) => value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);

function sameContact(a: ImportContact, b: { name: string; email: string }): boolean {
  return a.email ? a.email === b.email.toLowerCase() : a.name === b.name;
}

/**
 * Rows of the same customer become one record: the same 统一编号; else the same company name;
 * else, for a person without a company, the same email domain — joining the customer whose
 * rows name that domain's company, if one does (a sheet of people: Outlook, Google, WeCom…).
 * The record has its first row's values, the later rows' values where the first left a field
 * empty, and every distinct person; it keeps its first row's number and lists all its rows.
 */
export function groupRecords(records: readonly ImportRecord[]): ImportRecord[] {
  const domainsOf = (record: ImportRecord) => (Array.isArray(record.fields.domains) ? record.fields.domains : []);
  const nameKey = (record: ImportRecord) => `@${normaliseName(String(record.fields.name ?? ''))}`;
  // The customer a company domain belongs to, from the rows that name their company.
  // A company written with its 统一编号 on one row and without on the next is one customer.
  const byDomain = new Map<string, string>();
  const byName = new Map<string, string>();
  for (const record of records) {
    if (record.nameFrom === 'domain' || record.nameFrom === 'person') continue;
    const number = record.fields.businessNumber;
    const key = typeof number === 'string' && number ? `#${normaliseBusinessNumber(number)}` : nameKey(record);
    if (!byName.has(nameKey(record))) byName.set(nameKey(record), key);
    for (const domain of domainsOf(record)) if (!byDomain.has(domain)) byDomain.set(domain, key);
  }
  const byKey = new Map<string, ImportRecord>();
  const out: ImportRecord[] = [];
  for (const record of records) {
    const number = record.fields.businessNumber;
    let key: string;
    let by: ImportRecord['groupedBy'];
    if (typeof number === 'string' && number) [key, by] = [`#${normaliseBusinessNumber(number)}`, 'business-number'];
    else if (record.nameFrom === 'domain') [key, by] = [byDomain.get(domainsOf(record)[0] ?? '') ?? `~${domainsOf(record)[0]}`, 'domain'];
    else [key, by] = [record.nameFrom === 'person' ? nameKey(record) : (byName.get(nameKey(record)) ?? nameKey(record)), 'company'];
    const held = byKey.get(key);
    if (!held) {
      const copy: ImportRecord = { ...record, fields: { ...record.fields }, contacts: [...record.contacts], rows: [record.row] };
      byKey.set(key, copy);
      out.push(copy);
      continue;
    }
    held.rows = [...(held.rows ?? [held.row]), record.row];
    if (!held.groupedBy || by === 'domain') held.groupedBy = by;
    for (const [field, value] of Object.entries(record.fields)) {
      if (field === 'name' && record.nameFrom === 'domain') continue;
      if (field === 'domains' && Array.isArray(value)) {
        const domains = new Set(Array.isArray(held.fields.domains) ? held.fields.domains : []);
        for (const domain of value) domains.add(domain);
        held.fields.domains = [...domains];
      } else if (isEmpty(held.fields[field])) held.fields[field] = value;
    }
    // A customer first seen through a person's domain takes the company's name when a row gives it.
    if (held.nameFrom === 'domain' && record.nameFrom === 'company') {
      held.fields.name = record.fields.name!;
      held.nameFrom = 'company';
    }
    for (const contact of record.contacts) if (!held.contacts.some((c) => sameContact(contact, c))) held.contacts.push(contact);
    if (record.note) held.note = held.note ? `${held.note}\n${record.note}` : record.note;
  }
  return out;
}

function contactStep(contact: ImportContact): CardStep {
  const { role, ...profile } = contact.profile;
  const step: CardStep = { type: 'contact-add', name: contact.name, role: (typeof role === 'string' ? role : 'business-contact') as ContactRole };
  if (contact.email) step.email = contact.email;
  if (contact.phone) step.phone = contact.phone;
  if (Object.keys(profile).length > 0) step.profile = profile;
  return step;
}

/** The named mutations that create a record's card. */
export function seedOfRecord(record: ImportRecord, at?: number): CardSeed {
  const { name, domains, ...fields } = record.fields;
  const steps: CardStep[] = record.contacts.map(contactStep);
  if (record.note) steps.push({ type: 'note-add', kind: 'note', text: record.note, ...(at !== undefined ? { at } : {}) });
  const seed: CardSeed = {
    create: { type: 'card-create', name: String(name ?? ''), domains: Array.isArray(domains) ? domains : [], fields },
    steps,
  };
  if (at !== undefined) seed.at = at;
  return seed;
}

/** The named mutations that fill an existing card's empty fields from a record. */
export function fillSteps(view: CardView, record: ImportRecord, reason: string): CardStep[] {
  const steps: CardStep[] = [];
  for (const [field, value] of Object.entries(record.fields)) {
    if (field === 'name' || isEmpty(value) || !isEmpty(view.fields[field])) continue;
    steps.push({ type: 'card-set-field', field, value, reason });
  }
  for (const contact of record.contacts) {
    if (view.contacts.some((held) => sameContact(contact, held))) continue;
    steps.push(contactStep(contact));
  }
  if (record.note) steps.push({ type: 'note-add', kind: 'note', text: record.note });
  return steps;
}

export interface PlanChoices {
  /** The choice for rows without their own. */
  all: DuplicateChoice;
  /** Per row (the record's row number). */
  rows?: Record<number, DuplicateChoice>;
}

export function buildPlan(fileName: string, records: readonly ImportRecord[], matches: readonly DuplicateMatch[], choices: PlanChoices): ImportPlan {
  const matchOf = new Map(matches.map((m) => [m.row, m]));
  const plan: ImportPlan = { fileName, reason: importReason(fileName), creates: [], fills: [], skipped: [] };
  for (const record of records) {
    const match = matchOf.get(record.row);
    const choice = match ? (choices.rows?.[record.row] ?? choices.all) : 'create';
    if (!match || choice === 'create') plan.creates.push(record);
    else if (choice === 'fill') plan.fills.push({ cardId: match.cardId, record });
    else plan.skipped.push(record.row);
  }
  return plan;
}
