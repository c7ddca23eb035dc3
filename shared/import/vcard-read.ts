/**
 * A careful reader of vCard 2.1 / 3.0 / 4.0 (RFC 2426, RFC 6350) as Outlook, Google Contacts
 * and Apple Contacts export them: folded lines, grouped properties (item1.EMAIL), TYPE
 * parameters in every spelling (TYPE=WORK,VOICE · TYPE=work;TYPE=pref · bare WORK), escaped
 * commas and semicolons, quoted-printable values (Outlook's 2.1) in UTF-8, tel: URIs, and
 * embedded photos (skipped). Each person becomes a record: the company (ORG) is the card, or,
 * without one, the company of the email domain (never a free-mail one), or the person alone.
 * Errors point at the line where the person's BEGIN:VCARD stands.
 */
import type { FieldValue } from '../card-types.ts';
import { companyNameFromDomain, domainOf, isFreeMailDomain, isValidEmail, normalizeEmail } from '../email.ts';
import { fieldByKey, validateFieldValue } from '../fields.ts';
import { isoOfText } from './cell-values.ts';
import { importError, IMPORT_LIMITS, type ImportResult } from './errors.ts';
import type { ImportContact, ImportRecord, RowError } from './types.ts';

export interface VcardProperty {
  group: string;
  name: string;
  params: Record<string, string[]>;
  /** Types in lower case (work, home, cell, voice, fax, pref, internet…). */
  types: string[];
  value: string;
}

export interface Vcard {
  /** The line of BEGIN:VCARD (1-based). */
  line: number;
  version: string;
  properties: VcardProperty[];
}

/** Joins folded lines (a line starting with a space or tab continues the previous one). */
function unfold(text: string): { text: string; line: number }[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const out: { text: string; line: number }[] = [];
  lines.forEach((raw, i) => {
    const previous = out.at(-1);
    if ((raw.startsWith(' ') || raw.startsWith('\t')) && previous) {
      previous.text += raw.slice(1);
    } else if (previous && /ENCODING=QUOTED-PRINTABLE/i.test(previous.text.split(':')[0] ?? '') && previous.text.endsWith('=')) {
      // Quoted-printable soft line break: the value continues on the next line.
      previous.text = previous.text.slice(0, -1) + raw;
    } else {
      out.push({ text: raw, line: i + 1 });
    }
  });
  return out;
}

function decodeQuotedPrintable(value: string, charset: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (ch === '=' && /^[0-9A-Fa-f]{2}$/.test(value.slice(i + 1, i + 3))) {
      bytes.push(parseInt(value.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      for (const byte of new TextEncoder().encode(ch)) bytes.push(byte);
    }
  }
  try {
    return new TextDecoder(charset || 'utf-8').decode(new Uint8Array(bytes));
  } catch {
    return new TextDecoder('utf-8').decode(new Uint8Array(bytes));
  }
}

/** Splits on an unescaped separator. */
function splitUnescaped(value: string, separator: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (ch === '\\' && i + 1 < value.length) {
      current += ch + value[i + 1];
      i++;
    } else if (ch === separator) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts;
}

export function unescapeValue(value: string): string {
  return value.replace(/\\([\\,;:nN])/g, (_, ch: string) => (ch === 'n' || ch === 'N' ? '\n' : ch));
}

function parseProperty(line: string): VcardProperty | undefined {
  // The name and parameters end at the first colon outside double quotes.
  let colon = -1;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '"') quoted = !quoted;
    else if (line[i] === ':' && !quoted) {
      colon = i;
      break;
    }
  }
  if (colon < 0) return undefined;
  const head = line.slice(0, colon);
  let value = line.slice(colon + 1);
  const [nameWithGroup = '', ...rawParams] = head.split(';');
  const dot = nameWithGroup.lastIndexOf('.');
  const group = dot >= 0 ? nameWithGroup.slice(0, dot) : '';
  const name = (dot >= 0 ? nameWithGroup.slice(dot + 1) : nameWithGroup).toUpperCase();
  const params: Record<string, string[]> = {};
  const types: string[] = [];
  for (const raw of rawParams) {
    const eq = raw.indexOf('=');
    const key = (eq < 0 ? 'TYPE' : raw.slice(0, eq)).toUpperCase();
    const values = (eq < 0 ? raw : raw.slice(eq + 1)).replace(/^"|"$/g, '').split(',');
    (params[key] ??= []).push(...values);
    if (key === 'TYPE') types.push(...values.map((v) => v.toLowerCase()));
    if (key === 'PREF') types.push('pref');
  }
  if ((params.ENCODING ?? []).some((e) => e.toUpperCase() === 'QUOTED-PRINTABLE')) value = decodeQuotedPrintable(value, params.CHARSET?.[0] ?? 'utf-8');
  return { group, name, params, types, value };
}

/** Every vCard in a text, with its properties (photos and other binaries dropped). */
export function parseVcards(text: string): Vcard[] {
  const cards: Vcard[] = [];
  let current: Vcard | undefined;
  for (const { text: line, line: number } of unfold(text)) {
    if (!line.trim()) continue;
    const upper = line.trim().toUpperCase();
    if (upper === 'BEGIN:VCARD') {
      current = { line: number, version: '', properties: [] };
      continue;
    }
    if (upper === 'END:VCARD') {
      if (current) cards.push(current);
      current = undefined;
      continue;
    }
    if (!current) continue;
    const property = parseProperty(line);
    if (!property) continue;
    if (property.name === 'VERSION') current.version = property.value.trim();
    else if (property.name !== 'PHOTO' && property.name !== 'LOGO' && property.name !== 'SOUND' && property.name !== 'KEY') current.properties.push(property);
  }
  return cards;
}

const first = (card: Vcard, name: string) => card.properties.filter((p) => p.name === name);

/** The preferred property of a kind: pref first, then the given type, then the first. */
function pick(props: VcardProperty[], type?: string): VcardProperty | undefined {
  return props.find((p) => p.types.includes('pref') && (!type || p.types.includes(type))) ?? (type ? props.find((p) => p.types.includes(type)) : undefined) ?? props[0];
}

function telValue(p: VcardProperty): string {
  return unescapeValue(p.value).replace(/^tel:/i, '').trim();
}

const CJK = /[\u3400-\u9fff]/;

function personName(card: Vcard): string {
  const fn = first(card, 'FN')[0];
  if (fn && unescapeValue(fn.value).trim()) return unescapeValue(fn.value).trim();
  const n = first(card, 'N')[0];
  if (!n) return '';
  const [family = '', given = '', middle = '', prefix = '', suffix = ''] = splitUnescaped(n.value, ';').map((part) => unescapeValue(part).trim());
  if (CJK.test(family + given)) return `${family}${given}`;
  return [prefix, given, middle, family, suffix].filter(Boolean).join(' ');
}

export interface VcardRecords {
  records: ImportRecord[];
  errors: RowError[];
  total: number;
}

function recordOfCard(card: Vcard, errors: RowError[]): ImportRecord | undefined {
  const before = errors.length;
  const row = card.line;
  const fail = (column: string, value: string, code: string, reason: string) => errors.push({ row, column, value: value.slice(0, 200), code, reason });
  const contact: ImportContact = { name: personName(card), email: '', phone: '', profile: {} };
  const fields: Record<string, FieldValue> = {};

  const emails = first(card, 'EMAIL');
  const email = pick(emails, 'work');
  if (email) {
    const address = unescapeValue(email.value).replace(/^mailto:/i, '').trim();
    if (isValidEmail(address)) contact.email = normalizeEmail(address);
    else fail('EMAIL', address, 'invalid-email', `"${address.slice(0, 80)}" is not a valid email address`);
  }
  const tels = first(card, 'TEL');
  const mobile = tels.find((t) => t.types.includes('cell'));
  const work = tels.find((t) => t !== mobile && !t.types.includes('fax') && !t.types.includes('home')) ?? tels.find((t) => t !== mobile && !t.types.includes('fax'));
  const phoneDef = fieldByKey('phone')!;
  for (const [tel, key] of [[work, 'phone'], [mobile, 'mobile']] as const) {
    if (!tel) continue;
    const valid = validateFieldValue(phoneDef, telValue(tel));
    if (!valid.ok) fail('TEL', telValue(tel), valid.code, valid.message);
    else if (key === 'phone') contact.phone = String(valid.value ?? '');
    else contact.profile.mobile = valid.value;
  }
  const title = first(card, 'TITLE')[0];
  if (title && unescapeValue(title.value).trim()) contact.profile.title = unescapeValue(title.value).trim().slice(0, 200);
  const bday = first(card, 'BDAY')[0];
  if (bday) {
    const iso = isoOfText(bday.value.trim().slice(0, 10));
    if (iso) contact.profile.birthDate = iso;
  }
  const adrs = first(card, 'ADR');
  const home = adrs.find((a) => a.types.includes('home'));
  const office = adrs.find((a) => a !== home) ;
  const address = (p: VcardProperty) => {
    const [pobox = '', extended = '', street = '', locality = '', region = '', code = '', country = ''] = splitUnescaped(p.value, ';').map((part) => unescapeValue(part).replace(/\n/g, ' ').trim());
    return { text: [pobox, extended, street, locality, region, code, country].filter(Boolean).join(', '), locality };
  };
  if (home) contact.profile.homeAddress = address(home).text.slice(0, 500);

  const org = first(card, 'ORG')[0];
  const company = org ? unescapeValue(splitUnescaped(org.value, ';')[0] ?? '').trim() : '';
  const domain = domainOf(contact.email);
  const companyDomain = domain && !isFreeMailDomain(domain) ? domain : '';
  if (company) fields.name = company.slice(0, 200);
  else if (companyDomain) fields.name = companyNameFromDomain(companyDomain);
  else if (contact.name) {
    fields.name = contact.name.slice(0, 200);
    fields.nature = 'individual';
  }
  if (companyDomain) fields.domains = [companyDomain];
  // The office address, website and phone describe the company only when there is one.
  if (company || companyDomain) {
    if (office) {
      const { text, locality } = address(office);
      if (text) fields.address = text.slice(0, 500);
      if (locality) fields.city = locality.slice(0, 100);
    }
    const url = first(card, 'URL')[0];
    if (url) {
      const valid = validateFieldValue(fieldByKey('website')!, unescapeValue(url.value).trim());
      if (valid.ok && valid.value) fields.website = valid.value;
    }
  }
  const note = first(card, 'NOTE')[0];
  if (!contact.name) contact.name = contact.email;
  if (!fields.name) fail('FN', '', 'empty-name', 'This vCard names neither a person nor a company');
  if (errors.length > before) return undefined;
  const record: ImportRecord = { row, fields, contacts: contact.name ? [contact] : [] };
  const noteText = note ? unescapeValue(note.value).trim() : '';
  if (noteText) record.note = `${contact.name}: ${noteText}`.slice(0, 20_000);
  return record;
}

export function recordsFromVcardText(text: string): ImportResult<VcardRecords> {
  const cards = parseVcards(text);
  if (cards.length === 0) return importError('no-vcards', 'The file holds no vCard (BEGIN:VCARD … END:VCARD)');
  if (cards.length > IMPORT_LIMITS.maxRows) return importError('too-many-rows', `The file holds ${cards.length} vCards; at most ${IMPORT_LIMITS.maxRows} can be imported at once`, { rows: cards.length, max: IMPORT_LIMITS.maxRows });
  const errors: RowError[] = [];
  const records: ImportRecord[] = [];
  for (const card of cards) {
    const record = recordOfCard(card, errors);
    if (record) records.push(record);
  }
  return { ok: true, value: { records, errors, total: cards.length } };
}
