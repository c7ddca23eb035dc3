/**
 * The one place where every named mutation is validated and applied to a card's Y.Doc.
 * `applyMutation` checks the input first (typed errors a user can read), then applies the
 * change together with its change record (shared/doc-layout.ts `history`) in ONE Yjs
 * transaction, so a change never lands without its record, nor a record without its change.
 */
import * as Y from 'yjs';
import { CONTACT_DIRECTIONS, type ChangeRecord, type ContactRole, type FieldValue, type LedgerKind, type TimelineKind } from './card-types.ts';
import { CARD_KEY, CONTACT_KEY, ROOT } from './doc-layout.ts';
import { domainOf, isFreeMailDomain, isValidDomain, isValidEmail, normalizeEmail } from './email.ts';
import { fail, ok, type AppError, type Result } from './errors.ts';
import { fieldByKey, validateFieldValue } from './fields.ts';
import { validateContactValue } from './contact-validate.ts';
import { cardMerge, cardMergeRetire, cardMergeUndo } from './merge/card-merge.ts';
import { needsReason } from './rights/card-structure.ts';
import type {
  CardCreate,
  CardSetField,
  ContactAdd,
  ContactSetField,
  CreditDecide,
  FieldRestore,
  LedgerAdd,
  LedgerCorrect,
  Mutation,
  MutationContext,
  NoteAdd,
  TimelineCorrect,
} from './mutations-types.ts';

/** Transactions made by mutations carry this origin, so observers can tell local writes. */
export const MUTATION_ORIGIN = 'local-mutation';

export const LIMITS = { name: 200, text: 20_000, short: 1_000, url: 2_048, reason: 1_000 } as const;

const ROLES: readonly ContactRole[] = ['owner', 'operator', 'legal-representative', 'purchasing', 'payment-contact', 'business-contact', 'other'];
const TIMELINE_KINDS: readonly TimelineKind[] = ['visit', 'call', 'email', 'meeting', 'message', 'letter', 'complaint', 'note', 'worth-sharing'];
const LEDGER_KINDS: readonly LedgerKind[] = ['order', 'payment', 'delivery', 'credit-decision'];

export function cardMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(ROOT.card);
}
export function contactsMap(doc: Y.Doc): Y.Map<Y.Map<unknown>> {
  return doc.getMap(ROOT.contacts);
}
export function timelineMap(doc: Y.Doc): Y.Map<Y.Map<unknown>> {
  return doc.getMap(ROOT.timeline);
}
export function ledgerMap(doc: Y.Doc): Y.Map<Y.Map<unknown>> {
  return doc.getMap(ROOT.ledger);
}
export function historyArray(doc: Y.Doc): Y.Array<ChangeRecord> {
  return doc.getArray(ROOT.history);
}

/** A card exists once its `card` map has a name (card-create always sets one). */
export function cardExists(doc: Y.Doc): boolean {
  return typeof cardMap(doc).get(CARD_KEY.name) === 'string';
}

function requireName(raw: string | undefined, field: string): Result<string> {
  const name = (raw ?? '').trim();
  if (!name) return fail('empty-name', 'A name is required', field);
  if (name.length > LIMITS.name) return fail('too-long', `The name is longer than ${LIMITS.name} characters`, field, { max: LIMITS.name });
  return ok(name);
}

function optionalEmail(raw: string | undefined, field: string): Result<string> {
  if (raw === undefined || raw.trim() === '') return ok('');
  if (!isValidEmail(raw)) return fail('invalid-email', `"${raw.slice(0, 80)}" is not a valid email address`, field);
  return ok(normalizeEmail(raw));
}

function optionalText(raw: string | undefined, field: string, max: number): Result<string> {
  if (raw === undefined) return ok('');
  if (typeof raw !== 'string') return fail('invalid-value', `${field} must be a text`, field);
  if (raw.length > max) return fail('too-long', `${field} is longer than ${max} characters`, field, { max });
  return ok(raw.trim());
}

function optionalTime(raw: number | undefined, field: string): Result<number | undefined> {
  if (raw === undefined) return ok(undefined);
  if (!Number.isFinite(raw) || raw < 0) return fail('invalid-date', `${field} is not a valid date`, field);
  return ok(raw);
}

function optionalUrl(raw: string | undefined, field: string): Result<string> {
  const text = optionalText(raw, field, LIMITS.url);
  if (!text.ok || text.value === '') return text;
  if (!/^https?:\/\//i.test(text.value)) return fail('invalid-value', `${field} must be a web address (http or https)`, field);
  return text;
}

function reasonOf(raw: string | undefined): Result<string | undefined> {
  if (raw === undefined || raw.trim() === '') return ok(undefined);
  if (raw.length > LIMITS.reason) return fail('too-long', `The reason is longer than ${LIMITS.reason} characters`, 'reason', { max: LIMITS.reason });
  return ok(raw.trim());
}

function record(doc: Y.Doc, ctx: MutationContext, mutation: string, target: string, from: FieldValue, to: FieldValue, reason?: string): void {
  const entry: ChangeRecord = { at: ctx.now, by: ctx.actor, mutation, target, from, to };
  if (reason) entry.reason = reason;
  historyArray(doc).push([entry]);
}

function asFieldValue(value: unknown): FieldValue {
  if (value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value === null) return value;
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return null;
}

function setMapFields(map: Y.Map<unknown>, values: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined && value !== '') map.set(key, value);
  }
}

function validateCardCreate(m: CardCreate): Result<{ name: string; domains: string[]; contact?: { name: string; email: string; role: ContactRole }; fields: Record<string, FieldValue> }> {
  const name = requireName(m.name, 'name');
  if (!name.ok) return name;
  const domains = new Set<string>();
  for (const raw of m.domains ?? []) {
    const domain = raw.trim().toLowerCase();
    if (!domain) continue;
    if (!isValidDomain(domain)) return fail('invalid-domain', `"${raw.slice(0, 80)}" is not a valid domain`, 'domains');
    if (!isFreeMailDomain(domain)) domains.add(domain);
  }
  let contact: { name: string; email: string; role: ContactRole } | undefined;
  if (m.contact) {
    const contactName = requireName(m.contact.name, 'contact.name');
    if (!contactName.ok) return contactName;
    const email = optionalEmail(m.contact.email, 'contact.email');
    if (!email.ok) return email;
    const role = m.contact.role ?? 'business-contact';
    if (!ROLES.includes(role)) return fail('invalid-value', `Unknown role "${role}"`, 'contact.role');
    contact = { name: contactName.value, email: email.value, role };
    const domain = domainOf(email.value);
    if (m.domains === undefined && domain && !isFreeMailDomain(domain)) domains.add(domain);
  }
  const fields: Record<string, FieldValue> = {};
  for (const [key, value] of Object.entries(m.fields ?? {})) {
    const def = fieldByKey(key);
    if (!def || key === CARD_KEY.name || key === CARD_KEY.domains) return fail('unknown-field', `Unknown field "${key}"`, key);
    const valid = validateFieldValue(def, value);
    if (!valid.ok) return valid;
    fields[key] = valid.value;
  }
  const value: { name: string; domains: string[]; contact?: { name: string; email: string; role: ContactRole }; fields: Record<string, FieldValue> } = {
    name: name.value,
    domains: [...domains],
    fields,
  };
  if (contact) value.contact = contact;
  return ok(value);
}

function cardCreate(doc: Y.Doc, m: CardCreate, ctx: MutationContext, cardId: string): Result<{ cardId: string }> {
  if (cardExists(doc)) return fail('invalid-value', 'This card already exists', 'cardId');
  const valid = validateCardCreate(m);
  if (!valid.ok) return valid;
  const { name, domains, contact, fields } = valid.value;
  doc.transact(() => {
    const card = cardMap(doc);
    card.set(CARD_KEY.name, name);
    card.set(CARD_KEY.domains, domains);
    card.set(CARD_KEY.owner, typeof fields.owner === 'string' && fields.owner ? fields.owner : ctx.actor);
    card.set(CARD_KEY.createdAt, ctx.now);
    card.set(CARD_KEY.createdBy, ctx.actor);
    for (const [key, value] of Object.entries(fields)) if (value !== null && key !== CARD_KEY.owner) card.set(key, value);
    record(doc, ctx, 'card-create', CARD_KEY.name, null, name);
    if (contact) {
      const id = ctx.newId();
      const person = new Y.Map<unknown>();
      contactsMap(doc).set(id, person);
      setMapFields(person, { [CONTACT_KEY.name]: contact.name, [CONTACT_KEY.email]: contact.email, [CONTACT_KEY.role]: contact.role, [CONTACT_KEY.createdAt]: ctx.now });
      record(doc, ctx, 'contact-add', `contact:${id}`, null, contact.email ? `${contact.name} <${contact.email}>` : contact.name);
    }
  }, MUTATION_ORIGIN);
  return ok({ cardId });
}

function requireCard(doc: Y.Doc, cardId: string): AppError | undefined {
  return cardExists(doc) ? undefined : fail('unknown-card', `No customer card with id "${cardId.slice(0, 64)}"`, 'cardId');
}

function cardSetField(doc: Y.Doc, m: CardSetField, ctx: MutationContext, mutationName: string = m.type): Result<{ cardId: string }> {
  const def = fieldByKey(m.field);
  if (!def) return fail('unknown-field', `Unknown field "${String(m.field).slice(0, 64)}"`, 'field');
  const valid = validateFieldValue(def, m.value);
  if (!valid.ok) return valid;
  if (m.field === CARD_KEY.name && (valid.value === null || valid.value === '')) return fail('empty-name', 'A card needs a trade name', 'name');
  if (m.field === CARD_KEY.domains && Array.isArray(valid.value)) {
    const bad = valid.value.find((domain) => !isValidDomain(domain));
    if (bad !== undefined) return fail('invalid-domain', `"${bad.slice(0, 80)}" is not a valid domain`, 'domains');
  }
  const reason = reasonOf(m.reason);
  if (!reason.ok) return reason;
  if (needsReason(def.key, ctx.reasonFields) && !reason.value) return fail('reason-required', `Changing "${def.label.en}" needs a reason`, m.field);
  const card = cardMap(doc);
  const before = asFieldValue(card.get(m.field));
  const after = Array.isArray(valid.value) && m.field === CARD_KEY.domains ? valid.value.map((d) => d.toLowerCase()) : valid.value;
  if (JSON.stringify(before) === JSON.stringify(after)) return ok({ cardId: m.cardId });
  doc.transact(() => {
    if (after === null || after === '') card.delete(m.field);
    else card.set(m.field, after);
    record(doc, ctx, mutationName, m.field, before, after, reason.value);
  }, MUTATION_ORIGIN);
  return ok({ cardId: m.cardId });
}

/** Keys a contact-add sets from its own arguments, never from `profile`. */
const CONTACT_BASE_KEYS = { name: 1, email: 1, role: 1, phone: 1, createdAt: 1 } as const;

function contactAdd(doc: Y.Doc, m: ContactAdd, ctx: MutationContext): Result<{ cardId: string }> {
  const name = requireName(m.name, 'name');
  if (!name.ok) return name;
  const email = optionalEmail(m.email, 'email');
  if (!email.ok) return email;
  const role = m.role ?? 'other';
  if (!ROLES.includes(role)) return fail('invalid-value', `Unknown role "${String(role).slice(0, 40)}"`, 'role');
  const phone = optionalText(m.phone, 'phone', 50);
  if (!phone.ok) return phone;
  const profile: Record<string, FieldValue> = {};
  for (const [key, value] of Object.entries(m.profile ?? {})) {
    if (key in CONTACT_BASE_KEYS) return fail('invalid-value', `"${key}" is set by its own argument`, key);
    const valid = validateContactValue(key, value);
    if (!valid.ok) return valid;
    if (valid.value !== null && valid.value !== '') profile[key] = valid.value;
  }
  const id = ctx.newId();
  doc.transact(() => {
    const person = new Y.Map<unknown>();
    contactsMap(doc).set(id, person);
    setMapFields(person, { ...profile, name: name.value, email: email.value, role, phone: phone.value, createdAt: ctx.now });
    record(doc, ctx, m.type, `contact:${id}`, null, email.value ? `${name.value} <${email.value}>` : name.value);
  }, MUTATION_ORIGIN);
  return ok({ cardId: m.cardId });
}

function contactSetField(doc: Y.Doc, m: ContactSetField, ctx: MutationContext, mutationName: string = m.type): Result<{ cardId: string }> {
  const person = contactsMap(doc).get(m.contactId);
  if (!(person instanceof Y.Map)) return fail('unknown-contact', 'This person is not on the card', 'contactId');
  const valid = validateContactValue(m.field, m.value);
  if (!valid.ok) return valid;
  const reason = reasonOf(m.reason);
  if (!reason.ok) return reason;
  const before = asFieldValue(person.get(m.field));
  const after = valid.value;
  if (JSON.stringify(before) === JSON.stringify(after)) return ok({ cardId: m.cardId });
  doc.transact(() => {
    if (after === null || after === '') person.delete(m.field);
    else person.set(m.field, after);
    record(doc, ctx, mutationName, `contact:${m.contactId}.${m.field}`, before, after, reason.value);
  }, MUTATION_ORIGIN);
  return ok({ cardId: m.cardId });
}

function noteAdd(doc: Y.Doc, m: NoteAdd, ctx: MutationContext): Result<{ cardId: string }> {
  const kind = m.kind ?? 'note';
  if (!TIMELINE_KINDS.includes(kind)) return fail('invalid-value', `Unknown entry kind "${String(kind).slice(0, 40)}"`, 'kind');
  const text = optionalText(m.text, 'text', LIMITS.text);
  if (!text.ok) return text;
  if (!text.value && !m.subject) return fail('invalid-value', 'The note is empty', 'text');
  const at = optionalTime(m.at, 'at');
  if (!at.ok) return at;
  const followUp = optionalTime(m.followUp, 'followUp');
  if (!followUp.ok) return followUp;
  const sourceUrl = optionalUrl(m.sourceUrl, 'sourceUrl');
  if (!sourceUrl.ok) return sourceUrl;
  const texts: Record<string, string> = {};
  for (const key of ['sourceTitle', 'subject', 'handling', 'outcome'] as const) {
    const value = optionalText(m[key], key, key === 'handling' || key === 'outcome' ? LIMITS.text : LIMITS.short);
    if (!value.ok) return value;
    texts[key] = value.value;
  }
  if (m.contactId !== undefined && !(contactsMap(doc).get(m.contactId) instanceof Y.Map)) return fail('unknown-contact', 'This person is not on the card', 'contactId');
  if (m.contact !== undefined && typeof m.contact !== 'boolean') return fail('invalid-value', 'Whether a note is a contact is yes or no', 'contact');
  if (m.direction !== undefined && !CONTACT_DIRECTIONS.includes(m.direction)) return fail('invalid-value', 'A contact is from them (in) or from us (out)', 'direction');
  const id = ctx.newId();
  doc.transact(() => {
    const entry = new Y.Map<unknown>();
    timelineMap(doc).set(id, entry);
    setMapFields(entry, { kind, at: at.value ?? ctx.now, by: ctx.actor, text: text.value, contactId: m.contactId, followUp: followUp.value, sourceUrl: sourceUrl.value, ...texts, contact: m.contact === true && kind === 'note' ? true : undefined, direction: m.direction });
    record(doc, ctx, m.type, `timeline:${id}`, null, kind);
  }, MUTATION_ORIGIN);
  return ok({ cardId: m.cardId });
}

function ledgerAdd(doc: Y.Doc, m: LedgerAdd, ctx: MutationContext): Result<{ cardId: string }> {
  if (!LEDGER_KINDS.includes(m.kind)) return fail('invalid-value', `Unknown ledger entry kind "${String(m.kind).slice(0, 40)}"`, 'kind');
  if (m.kind === 'credit-decision') return fail('invalid-value', 'A credit decision is made with credit-decide', 'kind');
  if (m.pending !== undefined && (m.pending !== true || m.kind !== 'order')) return fail('invalid-value', 'Only an order is submitted for approval', 'pending');
  if (typeof m.amount !== 'number' || !Number.isFinite(m.amount) || m.amount < 0 || m.amount > 1e13) return fail('invalid-amount', 'The amount must be a number of zero or more', 'amount');
  const date = optionalTime(m.date, 'date');
  if (!date.ok || date.value === undefined) return fail('invalid-date', 'A valid date is required', 'date');
  const dueDate = optionalTime(m.dueDate, 'dueDate');
  if (!dueDate.ok) return dueDate;
  const products = optionalText(m.products, 'products', LIMITS.short);
  if (!products.ok) return products;
  const note = optionalText(m.note, 'note', LIMITS.short);
  if (!note.ok) return note;
  if (m.instalments !== undefined && (m.kind !== 'order' || !Number.isInteger(m.instalments) || m.instalments < 1 || m.instalments > 120)) return fail('invalid-value', 'Instalments are a whole number from 1 to 120, on orders', 'instalments');
  if (dueDate.value !== undefined && dueDate.value < date.value - 86_400_000) return fail('invalid-date', 'An order cannot be due before it was made', 'dueDate');
  const id = ctx.newId();
  doc.transact(() => {
    const entry = new Y.Map<unknown>();
    ledgerMap(doc).set(id, entry);
    setMapFields(entry, { kind: m.kind, date: date.value, amount: Math.round(m.amount * 100) / 100, products: products.value, dueDate: dueDate.value, instalments: m.instalments !== undefined && m.instalments > 1 ? m.instalments : undefined, note: note.value, pending: m.pending === true ? true : undefined, by: ctx.actor });
    record(doc, ctx, m.type, `ledger:${id}`, null, m.amount);
  }, MUTATION_ORIGIN);
  return ok({ cardId: m.cardId });
}

/** A decision on an order submitted for approval: a new `credit-decision` entry naming it (entries are never edited). */
function creditDecide(doc: Y.Doc, m: CreditDecide, ctx: MutationContext): Result<{ cardId: string }> {
  const order = typeof m.orderId === 'string' ? ledgerMap(doc).get(m.orderId) : undefined;
  if (!(order instanceof Y.Map) || order.get('kind') !== 'order' || order.get('pending') !== true) return fail('unknown-entry', 'This order is not waiting for approval', 'orderId');
  for (const other of ledgerMap(doc).values()) {
    if (other instanceof Y.Map && other.get('kind') === 'credit-decision' && other.get('decides') === m.orderId) return fail('already-corrected', 'This order was already decided', 'orderId');
  }
  if (typeof m.approve !== 'boolean') return fail('invalid-value', 'Approve or decline', 'approve');
  const reason = reasonOf(typeof m.reason === 'string' ? m.reason : undefined);
  if (!reason.ok) return reason;
  if (!m.approve && !reason.value) return fail('reason-required', 'Declining an order needs a reason', 'reason');
  const decision = m.approve ? 'approved' : 'declined';
  const id = ctx.newId();
  doc.transact(() => {
    const entry = new Y.Map<unknown>();
    ledgerMap(doc).set(id, entry);
    setMapFields(entry, { kind: 'credit-decision', date: ctx.now, amount: 0, decides: m.orderId, decision, reason: reason.value, by: ctx.actor });
    record(doc, ctx, m.type, `ledger:${id}`, null, decision, reason.value);
  }, MUTATION_ORIGIN);
  return ok({ cardId: m.cardId });
}

/** The plain values of a stored entry, without its correction keys (a correction copies them). */
function entryValues(entry: Y.Map<unknown>): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [key, value] of entry.entries()) if (!CORRECTION_KEYS.includes(key) && key !== 'by') values[key] = value;
  return values;
}

const CORRECTION_KEYS = ['corrects', 'reason', 'correctedAt'];

/** The entry to correct: stored, and not already replaced by another correction. */
function correctable(map: Y.Map<Y.Map<unknown>>, entryId: string): Result<Y.Map<unknown>> {
  const entry = typeof entryId === 'string' ? map.get(entryId) : undefined;
  if (!(entry instanceof Y.Map)) return fail('unknown-entry', 'This entry is not on the card', 'entryId');
  for (const other of map.values()) {
    if (other instanceof Y.Map && other.get('corrects') === entryId) return fail('already-corrected', 'This entry was already corrected: correct the correction instead', 'entryId');
  }
  return ok(entry);
}

function requiredReason(raw: string | undefined): Result<string> {
  const reason = reasonOf(typeof raw === 'string' ? raw : undefined);
  if (!reason.ok) return reason;
  if (!reason.value) return fail('reason-required', 'A correction needs a reason', 'reason');
  return ok(reason.value);
}

/**
 * Writes the correction: a new entry (the old one's values with `changes`), pointing at the old
 * one, naming the actor, the reason and the time, with its change record. The old entry's map
 * is never touched (the server refuses any edit of a stored entry).
 */
function writeCorrection(doc: Y.Doc, root: Y.Map<Y.Map<unknown>>, rootName: string, old: Y.Map<unknown>, oldId: string, changes: Record<string, unknown>, reason: string, ctx: MutationContext, mutation: string, shown: string): AppError | undefined {
  const before = entryValues(old);
  const after = { ...before, ...Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) };
  if (JSON.stringify(Object.entries(after).sort()) === JSON.stringify(Object.entries(before).sort())) return fail('invalid-value', 'The correction changes nothing', shown);
  const id = ctx.newId();
  doc.transact(() => {
    const entry = new Y.Map<unknown>();
    root.set(id, entry);
    setMapFields(entry, { ...after, by: ctx.actor, corrects: oldId, reason, correctedAt: ctx.now });
    record(doc, ctx, mutation, `${rootName}:${id}`, asFieldValue(before[shown]), asFieldValue(after[shown]), reason);
  }, MUTATION_ORIGIN);
  return undefined;
}

function ledgerCorrect(doc: Y.Doc, m: LedgerCorrect, ctx: MutationContext): Result<{ cardId: string }> {
  const old = correctable(ledgerMap(doc), m.entryId);
  if (!old.ok) return old;
  const reason = requiredReason(m.reason);
  if (!reason.ok) return reason;
  if (m.amount !== undefined && (typeof m.amount !== 'number' || !Number.isFinite(m.amount) || m.amount < 0 || m.amount > 1e13)) return fail('invalid-amount', 'The amount must be a number of zero or more', 'amount');
  const date = optionalTime(m.date, 'date');
  if (!date.ok) return date;
  const dueDate = optionalTime(m.dueDate, 'dueDate');
  if (!dueDate.ok) return dueDate;
  const products = m.products === undefined ? ok(undefined) : optionalText(m.products, 'products', LIMITS.short);
  if (!products.ok) return products;
  const note = m.note === undefined ? ok(undefined) : optionalText(m.note, 'note', LIMITS.short);
  if (!note.ok) return note;
  const changes = { amount: m.amount === undefined ? undefined : Math.round(m.amount * 100) / 100, date: date.value, dueDate: dueDate.value, products: products.value, note: note.value };
  const written = writeCorrection(doc, ledgerMap(doc), ROOT.ledger, old.value, m.entryId, changes, reason.value, ctx, m.type, m.amount !== undefined ? 'amount' : Object.keys(changes).find((k) => changes[k as keyof typeof changes] !== undefined) ?? 'amount');
  return written ?? ok({ cardId: m.cardId });
}

function timelineCorrect(doc: Y.Doc, m: TimelineCorrect, ctx: MutationContext): Result<{ cardId: string }> {
  const old = correctable(timelineMap(doc), m.entryId);
  if (!old.ok) return old;
  const reason = requiredReason(m.reason);
  if (!reason.ok) return reason;
  if (m.kind !== undefined && !TIMELINE_KINDS.includes(m.kind)) return fail('invalid-value', `Unknown entry kind "${String(m.kind).slice(0, 40)}"`, 'kind');
  const at = optionalTime(m.at, 'at');
  if (!at.ok) return at;
  const followUp = optionalTime(m.followUp, 'followUp');
  if (!followUp.ok) return followUp;
  const texts: Record<string, string | undefined> = {};
  for (const key of ['text', 'outcome', 'handling', 'subject'] as const) {
    if (m[key] === undefined) continue;
    const value = optionalText(m[key], key, key === 'subject' ? LIMITS.short : LIMITS.text);
    if (!value.ok) return value;
    texts[key] = value.value;
  }
  if (texts.text === '') return fail('invalid-value', 'The note is empty', 'text');
  const changes = { kind: m.kind, at: at.value, followUp: followUp.value, ...texts };
  const written = writeCorrection(doc, timelineMap(doc), ROOT.timeline, old.value, m.entryId, changes, reason.value, ctx, m.type, texts.text !== undefined ? 'text' : Object.keys(changes).find((k) => changes[k as keyof typeof changes] !== undefined) ?? 'text');
  return written ?? ok({ cardId: m.cardId });
}

/** Restoring an earlier value is itself a new, recorded change of that field. */
function fieldRestore(doc: Y.Doc, m: FieldRestore, ctx: MutationContext): Result<{ cardId: string }> {
  const reason = m.reason ?? 'restore';
  const contactTarget = /^contact:([^.]+)\.(.+)$/.exec(m.target);
  if (contactTarget) {
    const change: ContactSetField = { type: 'contact-set-field', cardId: m.cardId, contactId: contactTarget[1]!, field: contactTarget[2]!, value: m.value, reason };
    return contactSetField(doc, change, ctx, m.type);
  }
  return cardSetField(doc, { type: 'card-set-field', cardId: m.cardId, field: m.target, value: m.value, reason }, ctx, m.type);
}

/**
 * Validates and applies one mutation to a card's Y.Doc. For card-create, `cardId` is the new
 * card's id (the caller chooses it: a random UUID); for the others it is the doc's card id.
 */
export function applyMutation(doc: Y.Doc, mutation: Mutation, ctx: MutationContext, cardId: string): Result<{ cardId: string }> {
  if (mutation === null || typeof mutation !== 'object') return fail('invalid-value', 'Not a mutation');
  if (mutation.type === 'card-create') return cardCreate(doc, mutation, ctx, cardId);
  const missing = requireCard(doc, cardId);
  if (missing) return missing;
  switch (mutation.type) {
    case 'card-set-field':
      return cardSetField(doc, mutation, ctx);
    case 'contact-add':
      return contactAdd(doc, mutation, ctx);
    case 'contact-set-field':
      return contactSetField(doc, mutation, ctx);
    case 'note-add':
      return noteAdd(doc, mutation, ctx);
    case 'ledger-add':
      return ledgerAdd(doc, mutation, ctx);
    case 'field-restore':
      return fieldRestore(doc, mutation, ctx);
    case 'ledger-correct':
      return ledgerCorrect(doc, mutation, ctx);
    case 'timeline-correct':
      return timelineCorrect(doc, mutation, ctx);
    case 'card-merge':
      return cardMerge(doc, mutation, ctx, MUTATION_ORIGIN);
    case 'card-merge-retire':
      return cardMergeRetire(doc, mutation, ctx, MUTATION_ORIGIN);
    case 'card-merge-undo':
      return cardMergeUndo(doc, mutation, ctx, MUTATION_ORIGIN);
    case 'credit-decide':
      return creditDecide(doc, mutation, ctx);
    default:
      return fail('invalid-value', `Unknown mutation "${String((mutation as { type?: unknown }).type).slice(0, 40)}"`);
  }
}
