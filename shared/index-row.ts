/**
 * Derives the index row the local store keeps per card (CardIndexRow) from a card snapshot.
 * Lists, search, sender matching and reminders read these rows only. Each derived value is a
 * small function so richer rules (ledger maths, ABC, cycle stage) can replace it in one place.
 */
import { isContact, type CardIndexRow, type CardView, type PersonRow } from './card-types.ts';
import { CLOSENESS_KEY } from './closeness.ts';
import { DAY_MS, summariseLedger } from './derive/ledger.ts';
import { flagsOfFields } from './reminders/cadence.ts';
import { termsOfFields, type PaymentTerms } from './derive/terms.ts';
import { stageFromOrders, type StageSettings } from './derive/stage.ts';
import { domainOf, isFreeMailDomain } from './email.ts';
import { unknownsOf } from './derive/unknowns.ts';
import { CONTACT_FIELDS } from './contact-fields.ts';
import { FIELDS } from './fields.ts';
import { pinyinSourceOf, pinyinTermsOf } from './pinyin.ts';
import { phoneTerms, searchTerms } from './search-terms.ts';
import { isAboutKey } from './search/where-matched.ts';

function text(view: CardView, key: string): string {
  const value = view.fields[key];
  return typeof value === 'string' ? value : '';
}

export function lastContactAt(view: CardView): number {
  let last = 0;
  for (const entry of view.timeline) if (isContact(entry) && entry.at > last) last = entry.at;
  return last;
}

/** The earliest follow-up still ahead or overdue (follow-ups are cleared by logging a later contact). */
export function nextFollowUp(view: CardView): number {
  const dates = openFollowUps(view, lastContactAt(view)).map((f) => f.followUp);
  return dates.length > 0 ? Math.min(...dates) : 0;
}

export function cardDomains(view: CardView): string[] {
  const listed = view.fields.domains;
  const domains = new Set<string>(Array.isArray(listed) ? listed.map((d) => d.toLowerCase()) : []);
  return [...domains].filter((domain) => domain && !isFreeMailDomain(domain));
}

/** Values computed across all cards that the row carries (the derived ABC class). */
export interface DerivedExtras {
  abcDerived?: string;
  /** Dormant / lost days for the cycle stage (defaults: 180 / 365). */
  stage?: StageSettings;
}

/** The card's trade terms that decide when orders are due (shared/derive/terms.ts). */
export function paymentTermsOf(view: CardView): PaymentTerms {
  return termsOfFields(view.fields);
}

/**
 * The version of the row's shape and rules. Rows of another version (an older extension, or a
 * server running other code) are rebuilt from the Yjs state instead of being trusted.
 */
export const INDEX_ROW_VERSION = 7;

const round = (value: number) => Math.round(value * 100) / 100;

/** The part of a row that follows from the card alone, whatever the date. */
function timelessRow(view: CardView): Omit<CardIndexRow, TimedKey> {
  const name = text(view, 'name');
  // A person's other addresses (an import of a contact export keeps them) find the card too.
  const otherEmails = (c: CardView['contacts'][number]) => (typeof c.profile.otherEmails === 'string' ? c.profile.otherEmails.split(/[,;\s]+/) : []);
  const emails = [...new Set(view.contacts.flatMap((c) => [c.email, ...otherEmails(c)]).map((e) => e.toLowerCase()).filter((e) => e.includes('@')))];
  const domains = cardDomains(view);
  const first = view.contacts[0];
  const searchable = [
    name,
    text(view, 'tradeName'),
    text(view, 'shortName'),
    text(view, 'city'),
    text(view, 'cardNumber'),
    text(view, 'businessNumber'),
    text(view, 'phone'),
    ...domains,
    ...view.contacts.flatMap((c) => [c.name, c.email, c.phone]),
  ];
  const pinyinSource = pinyinSourceOf([name, text(view, 'tradeName'), text(view, 'shortName'), text(view, 'city'), ...view.contacts.map((c) => c.name)]);
  const phones = [text(view, 'phone'), text(view, 'fax'), ...view.contacts.flatMap((c) => [c.phone, typeof c.profile.mobile === 'string' ? c.profile.mobile : ''])];
  const lastContact = lastContactAt(view);
  // Receivables and which orders are open do not depend on the date (payments settle FIFO).
  const ledger = summariseLedger(view.ledger, paymentTermsOf(view), 0);
  const lastChange = view.history.length > 0 ? view.history[view.history.length - 1]!.at : 0;
  // No spread inside the literal: the fields after one are defined one by one, far slower.
  const { unknownCount, importantCount } = completeness(view);
  return {
    id: view.id,
    version: INDEX_ROW_VERSION,
    name,
    sortKey: name.toLowerCase(),
    emails,
    domains,
    terms: [...new Set([...searchTerms(searchable), ...phoneTerms(phones)])].join('\n'),
    pinyinSource,
    // Where the converter is loaded (the server, a rebuild) the terms come with the row (~75 µs
    // a card); elsewhere '' and the store fills them in after the write (shared/pinyin.ts).
    pinyin: pinyinTermsOf(pinyinSource),
    about: aboutTerms(view),
    primaryContact: first ? (first.email ? `${first.name} <${first.email}>` : first.name) : '',
    owner: text(view, 'owner'),
    mergedInto: text(view, 'mergedInto'),
    city: text(view, 'city'),
    address: text(view, 'address'),
    abcOverride: typeof view.fields.abcOverride === 'string' ? view.fields.abcOverride : '',
    stageOverride: typeof view.fields.stageOverride === 'string' ? view.fields.stageOverride : '',
    keyCustomer: view.fields.keyCustomer === true,
    cardNumber: text(view, 'cardNumber'),
    businessNumber: text(view, 'businessNumber'),
    industry: text(view, 'industry'),
    nature: text(view, 'nature'),
    tier: text(view, 'tier'),
    loyalty: text(view, 'loyalty'),
    tags: Array.isArray(view.fields.tags) ? [...view.fields.tags] : [],
    creditLimit: typeof view.fields.creditLimitApproved === 'number' ? view.fields.creditLimitApproved : 0,
    creditRating: text(view, 'creditRating'),
    unknownCount,
    importantCount,
    lastContact,
    receivables: ledger.receivables,
    orders: view.ledger.filter((e) => e.kind === 'order').map((e): [number, number] => [e.date, e.amount]).sort((a, b) => a[0] - b[0]),
    payments: view.ledger.filter((e) => e.kind === 'payment').map((e): [number, number] => [e.date, e.amount]).sort((a, b) => a[0] - b[0]),
    contacts: view.timeline.filter((e) => isContact(e)).map((e) => e.at).sort((a, b) => a - b),
    contactsByOthers: contactsByOthers(view),
    followUpLog: followUpLog(view),
    changeDays: changeDays(view),
    openOrders: ledger.openOrders.map((o) => ({ orderId: o.orderId, dueDate: o.dueDate, outstanding: o.outstanding })),
    approvals: approvalsOf(view),
    contactLog: contactLogOf(view),
    followUps: openFollowUps(view, lastContact),
    annual: annualOf(view),
    people: peopleOf(view),
    timelineCount: view.timeline.length,
    cadenceDays: typeof view.fields.cadenceDays === 'number' ? view.fields.cadenceDays : 0,
    flags: flagsOfFields(view.fields),
    plannedVisit: text(view, 'plannedVisit'),
    lastVisit: view.timeline.reduce((last, e) => (e.kind === 'visit' && e.at > last ? e.at : last), 0),
    createdAt: typeof view.fields.createdAt === 'number' ? view.fields.createdAt : 0,
    updatedAt: lastChange,
  };
}

type TimedKey = 'abc' | 'abcDerived' | 'purchases12m' | 'stage' | 'nextDue' | 'overdue' | 'asOf';

/**
 * Recomputes the fields that depend on the date and on the user's settings (12-month purchases,
 * cycle stage, overdue amount, next thing due, the class) from the row alone: no Y.Doc. Run on
 * every row a day changes and on rows received from the server.
 */
export function refreshRow(row: Omit<CardIndexRow, TimedKey> & Partial<Pick<CardIndexRow, 'abcDerived'>>, now: number, extras: DerivedExtras = {}): CardIndexRow {
  return { ...row, ...timedFields(row, now, extras) };
}

/** The date- and settings-dependent fields of a row (refreshRow). */
function timedFields(row: Omit<CardIndexRow, TimedKey> & Partial<Pick<CardIndexRow, 'abcDerived'>>, now: number, extras: DerivedExtras): Pick<CardIndexRow, TimedKey> {
  const since = now - 365 * DAY_MS;
  let purchases12m = 0;
  for (const [date, amount] of row.orders) if (date > since && date <= now) purchases12m += amount;
  purchases12m = round(purchases12m);
  let overdue = 0;
  for (const order of row.openOrders) if (order.dueDate < now) overdue += order.outstanding;
  const dueDates = [...row.followUps.map((f) => f.followUp), ...row.openOrders.map((o) => o.dueDate)].filter((t) => t > 0);
  // No purchases in 12 months is class C by definition; other classes are relative to all cards.
  const abcDerived = purchases12m <= 0 ? 'C' : (extras.abcDerived ?? row.abcDerived ?? '');
  const stage = row.stageOverride || stageFromOrders(row.orders.map(([date]) => date), row.lastContact > 0, now, extras.stage);
  return {
    abc: row.abcOverride || abcDerived,
    abcDerived,
    purchases12m,
    stage,
    nextDue: dueDates.length > 0 ? Math.min(...dueDates) : 0,
    overdue: round(overdue),
    asOf: now,
  };
}

export function buildIndexRow(view: CardView, now: number, extras: DerivedExtras = {}): CardIndexRow {
  // The row is new here: completed in place (two copies of ~50 fields were ~10% of building a card).
  const row = timelessRow(view);
  row.updatedAt = Math.max(row.updatedAt, now > 0 && row.updatedAt === 0 ? now : 0);
  return Object.assign(row, timedFields(row, now, extras));
}

/** Follow-ups not answered by a later contact (the due list applies its own day-based rule too). */
function openFollowUps(view: CardView, lastContact: number): CardIndexRow['followUps'] {
  return view.timeline
    .filter((entry) => entry.followUp !== undefined && entry.followUp > 0 && !(lastContact > entry.at && lastContact >= entry.followUp))
    .map((entry) => ({ entryId: entry.id, at: entry.at, followUp: entry.followUp!, text: entry.text.slice(0, 120), by: entry.by }));
}

/** Longest text of one entry or field indexed for "who knows about X", and most terms per card. */
const ABOUT_TEXT = 2_000;
const ABOUT_TERMS = 1_000;

/** The texts searched by "who knows about X": non-sensitive profile fields and timeline texts. */
export function aboutTexts(view: CardView): string[] {
  const texts: string[] = [];
  for (const person of view.contacts) {
    for (const [key, value] of Object.entries(person.profile)) {
      if (!isAboutKey(key)) continue;
      if (typeof value === 'string') texts.push(value.slice(0, ABOUT_TEXT));
      else if (Array.isArray(value)) texts.push(value.join(' ').slice(0, ABOUT_TEXT));
    }
  }
  for (const entry of view.timeline) {
    for (const value of [entry.text, entry.handling, entry.outcome, entry.subject]) if (value) texts.push(value.slice(0, ABOUT_TEXT));
  }
  return texts;
}

function aboutTerms(view: CardView): string {
  return searchTerms(aboutTexts(view)).slice(0, ABOUT_TERMS).join('\n');
}

const IMPORTANT_COUNT = FIELDS.filter((f) => f.important).length;
const IMPORTANT_CONTACT_COUNT = CONTACT_FIELDS.filter((f) => f.important).length;

function completeness(view: CardView): { unknownCount: number; importantCount: number } {
  return { unknownCount: unknownsOf(view).length, importantCount: IMPORTANT_COUNT + IMPORTANT_CONTACT_COUNT * view.contacts.length };
}

function contactsByOthers(view: CardView): [number, string][] {
  const owner = text(view, 'owner');
  return view.timeline
    .filter((e) => owner && isContact(e) && e.by && e.by !== owner)
    .map((e): [number, string] => [e.at, e.by])
    .sort((a, b) => a[0] - b[0]);
}

/** Every follow-up promised, with the first contact logged after it was promised (0: none yet). */
function followUpLog(view: CardView): CardIndexRow['followUpLog'] {
  const contacts = view.timeline.filter((e) => isContact(e)).map((e) => e.at).sort((a, b) => a - b);
  return view.timeline
    .filter((e) => e.followUp !== undefined && e.followUp > 0)
    .map((e): [number, number, number] => [e.at, e.followUp!, contacts.find((at) => at > e.at) ?? 0])
    .sort((a, b) => a[0] - b[0]);
}

const KEPT_CHANGE_DAYS = 120;

function changeDays(view: CardView): number[] {
  const days = new Set<number>();
  for (const record of view.history) days.add(Math.floor(record.at / DAY_MS) * DAY_MS);
  return [...days].sort((a, b) => a - b).slice(-KEPT_CHANGE_DAYS);
}

/** The latest contacts kept per person in the row: enough for their rhythm (relationship/cooling.ts). */
export const PERSON_CONTACTS_KEPT = 24;

/** Each person's closeness, influence and contacts logged with them. */
function peopleOf(view: CardView): PersonRow[] {
  return view.contacts.map((person) => {
    const theirs = view.timeline.filter((e) => e.contactId === person.id && isContact(e));
    const closeness = person.profile[CLOSENESS_KEY.level];
    const influence = person.profile[CLOSENESS_KEY.influence];
    return {
      id: person.id,
      name: person.name,
      closeness: typeof closeness === 'string' ? closeness : '',
      influence: typeof influence === 'string' ? influence : '',
      contacts: theirs.map((e) => e.at).sort((a, b) => a - b).slice(-PERSON_CONTACTS_KEPT),
      lastInbound: theirs.reduce((last, e) => (e.direction === 'in' && e.at > last ? e.at : last), 0),
    };
  });
}

/** The people's birthdays and wedding anniversaries as entered (YYYY-MM-DD). */
function annualOf(view: CardView): CardIndexRow['annual'] {
  const out: CardIndexRow['annual'] = [];
  for (const person of view.contacts) {
    for (const [kind, key] of [['birthday', 'birthDate'], ['anniversary', 'weddingAnniversary']] as const) {
      const date = person.profile[key];
      if (typeof date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(date)) out.push({ personId: person.id, person: person.name, kind, date });
    }
  }
  return out;
}

/** A contact email's company domain, if it is not free-mail. */
export function companyDomainOf(email: string): string {
  const domain = domainOf(email);
  return domain && !isFreeMailDomain(domain) ? domain : '';
}

const rowTextDecoder = new TextDecoder('utf-8', { fatal: true });

/**
 * A row the server sent (JSON, as text or as its UTF-8 bytes from a DOCS frame), if it is one
 * this code can trust as is: same card, same row version, the expected shapes. Anything else
 * (bytes that are not UTF-8 included) is undefined and the device builds the row itself.
 */
export function parseServerRow(json: string | Uint8Array, cardId: string): CardIndexRow | undefined {
  let value: unknown;
  try {
    value = JSON.parse(typeof json === 'string' ? json : rowTextDecoder.decode(json));
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  const row = value as Record<string, unknown>;
  if (row.id !== cardId || row.version !== INDEX_ROW_VERSION || typeof row.name !== 'string' || typeof row.sortKey !== 'string') return undefined;
  if (typeof row.terms !== 'string' || (row.mergedInto !== undefined && typeof row.mergedInto !== 'string')) return undefined;
  if (typeof row.pinyinSource !== 'string' || typeof row.pinyin !== 'string' || typeof row.about !== 'string') return undefined;
  for (const key of ['emails', 'domains', 'orders', 'openOrders', 'approvals', 'contactLog', 'followUps', 'annual', 'payments', 'contacts', 'followUpLog', 'changeDays', 'tags', 'contactsByOthers', 'flags'] as const) if (!Array.isArray(row[key])) return undefined;
  for (const key of ['lastContact', 'receivables', 'createdAt', 'cadenceDays', 'updatedAt', 'timelineCount'] as const) if (typeof row[key] !== 'number') return undefined;
  return value as CardIndexRow;
}

/** The orders submitted for approval, as the inbox and the rep's decisions list read them (shared/derive/credit-approval.ts). */
function approvalsOf(view: CardView): CardIndexRow['approvals'] {
  return (view.creditApprovals ?? []).map((a) => ({
    orderId: a.order.id,
    amount: a.order.amount,
    date: a.order.date,
    by: a.order.by,
    status: a.status,
    decidedBy: a.decision?.by ?? '',
    decidedAt: a.decision?.at ?? 0,
    reason: (a.decision?.reason ?? '').slice(0, CONTACT_LOG_TEXT),
  }));
}

const CONTACT_LOG_TEXT = 120;
const CONTACT_LOG_SIZE = 60;

/** The latest contacts, each as [when, who logged it, kind, outcome] (the daily review: shared/analysis/daily-review.ts). */
function contactLogOf(view: CardView): CardIndexRow['contactLog'] {
  return view.timeline
    .filter((e) => isContact(e))
    .slice(0, CONTACT_LOG_SIZE)
    .map((e): [number, string, string, string] => [e.at, e.by, e.kind, (e.outcome ?? '').slice(0, CONTACT_LOG_TEXT)])
    .sort((a, b) => a[0] - b[0]);
}

/** A row's search terms as a list, its pinyin terms included (both are stored joined by '\n'). */
export function termsOf(row: Pick<CardIndexRow, 'terms'> & Partial<Pick<CardIndexRow, 'pinyin'>>): string[] {
  const terms = row.terms ? row.terms.split('\n') : [];
  return row.pinyin ? terms.concat(row.pinyin.split('\n')) : terms;
}

/** A row's "who knows about X" terms as a list. */
export function aboutTermsOf(row: Pick<CardIndexRow, 'about'>): string[] {
  return row.about ? row.about.split('\n') : [];
}
