/**
 * Derives the index row the local store keeps per card (CardIndexRow) from a card snapshot.
 * Lists, search, sender matching and reminders read these rows only. Each derived value is a
 * small function so richer rules (ledger maths, ABC, cycle stage) can replace it in one place.
 */
import { CONTACT_KINDS, type CardIndexRow, type CardView } from './card-types.ts';
import { withOverride } from './derive/classification.ts';
import { summariseLedger } from './derive/ledger.ts';
import { deriveStage, type StageSettings } from './derive/stage.ts';
import { domainOf, isFreeMailDomain } from './email.ts';
import { searchTerms } from './search-terms.ts';

function text(view: CardView, key: string): string {
  const value = view.fields[key];
  return typeof value === 'string' ? value : '';
}

export function lastContactAt(view: CardView): number {
  let last = 0;
  for (const entry of view.timeline) if (CONTACT_KINDS.includes(entry.kind) && entry.at > last) last = entry.at;
  return last;
}

/** The earliest follow-up still ahead or overdue (follow-ups are cleared by logging a later contact). */
export function nextFollowUp(view: CardView): number {
  const lastContact = lastContactAt(view);
  let next = 0;
  for (const entry of view.timeline) {
    if (entry.followUp === undefined || entry.followUp <= 0) continue;
    if (lastContact > entry.at && lastContact >= entry.followUp) continue;
    if (next === 0 || entry.followUp < next) next = entry.followUp;
  }
  return next;
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

export function paymentTermsOf(view: CardView): number | undefined {
  const terms = view.fields.paymentTermsDays;
  return typeof terms === 'number' ? terms : undefined;
}

export function buildIndexRow(view: CardView, now: number, extras: DerivedExtras = {}): CardIndexRow {
  const name = text(view, 'name');
  const emails = [...new Set(view.contacts.map((c) => c.email.toLowerCase()).filter(Boolean))];
  const domains = cardDomains(view);
  const first = view.contacts[0];
  const searchable = [
    name,
    text(view, 'tradeName'),
    text(view, 'shortName'),
    text(view, 'city'),
    text(view, 'cardNumber'),
    text(view, 'phone'),
    ...domains,
    ...view.contacts.flatMap((c) => [c.name, c.email, c.phone]),
  ];
  const followUp = nextFollowUp(view);
  const ledger = summariseLedger(view.ledger, paymentTermsOf(view), now);
  const firstPaymentDue = ledger.openOrders.length > 0 ? Math.min(...ledger.openOrders.map((o) => o.dueDate)) : 0;
  const candidates = [followUp, firstPaymentDue].filter((t) => t > 0);
  // No purchases in 12 months is class C by definition; other classes are relative to all cards.
  const abcDerived = extras.abcDerived || (ledger.purchases12m <= 0 ? 'C' : '');
  const abcOverride = typeof view.fields.abcOverride === 'string' ? view.fields.abcOverride : '';
  const lastChange = view.history.length > 0 ? view.history[view.history.length - 1]!.at : 0;
  return {
    id: view.id,
    name,
    sortKey: name.toLowerCase(),
    emails,
    domains,
    terms: searchTerms(searchable),
    primaryContact: first ? (first.email ? `${first.name} <${first.email}>` : first.name) : '',
    owner: text(view, 'owner'),
    city: text(view, 'city'),
    abc: abcOverride || abcDerived,
    abcDerived,
    abcOverride,
    purchases12m: ledger.purchases12m,
    stage: withOverride(view, 'stageOverride', deriveStage(view.ledger, view.timeline, now, extras.stage)).effective,
    keyCustomer: view.fields.keyCustomer === true,
    lastContact: lastContactAt(view),
    nextDue: candidates.length > 0 ? Math.min(...candidates) : 0,
    receivables: ledger.receivables,
    overdue: ledger.overdueAmount,
    timelineCount: view.timeline.length,
    annualDates: annualDatesOf(view),
    cadenceDays: typeof view.fields.cadenceDays === 'number' ? view.fields.cadenceDays : 0,
    createdAt: typeof view.fields.createdAt === 'number' ? view.fields.createdAt : 0,
    updatedAt: Math.max(lastChange, now > 0 && lastChange === 0 ? now : 0),
  };
}

export function annualDatesOf(view: CardView): string[] {
  const dates = view.contacts.flatMap((c) => [c.profile.birthDate, c.profile.weddingAnniversary]);
  return [...new Set(dates.filter((d): d is string => typeof d === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(d)).map((d) => d.slice(5)))];
}

/** A contact email's company domain, if it is not free-mail. */
export function companyDomainOf(email: string): string {
  const domain = domainOf(email);
  return domain && !isFreeMailDomain(domain) ? domain : '';
}
