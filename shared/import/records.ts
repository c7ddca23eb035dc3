/**
 * From a sheet and its mapping to records in the catalogue's terms: each cell read as its
 * field's type (cell-values.ts) and validated by the field catalogue, exactly as a typed-in
 * change would be. A row with any invalid cell is refused whole and listed with its row number
 * as the sheet shows it, the column's header, the value and the reason; no row is half-imported.
 */
import type { ContactRole, FieldValue } from '../card-types.ts';
import { contactFieldByKey } from '../contact-fields.ts';
import { validateContactValue } from '../contact-validate.ts';
import { companyNameFromDomain, domainOf, isFreeMailDomain, isValidDomain, isValidEmail, normalizeEmail } from '../email.ts';
import { fieldByKey, validateFieldValue } from '../fields.ts';
import { cellText, valueForType } from './cell-values.ts';
import { isKnownTarget, NOTE_TARGET } from './headers.ts';
import { importError, type ImportResult } from './errors.ts';
import type { Cell, ImportContact, ImportRecord, Mapping, RawSheet, RowError } from './types.ts';

const ROLE_WORDS: Record<string, ContactRole> = {
  owner: 'owner', 所有者: 'owner', 老板: 'owner', 业主: 'owner',
  operator: 'operator', 经营者: 'operator',
  'legal-representative': 'legal-representative', 法人: 'legal-representative', 法定代表人: 'legal-representative',
  purchasing: 'purchasing', 采购: 'purchasing', buyer: 'purchasing',
  'payment-contact': 'payment-contact', 付款接洽: 'payment-contact', 财务: 'payment-contact', accounts: 'payment-contact',
  'business-contact': 'business-contact', 业务接洽: 'business-contact', 业务: 'business-contact',
  other: 'other', 其他: 'other',
};

/** As in shared/mutations.ts (not imported: the parse worker stays free of Yjs). */
const LIMITS = { name: 200, text: 20_000 } as const;

export interface RecordsResult {
  records: ImportRecord[];
  errors: RowError[];
  /** Rows read (accepted + refused). */
  total: number;
}

export function checkMapping(mapping: Mapping, headers: readonly string[]): ImportResult<Mapping> {
  const bad = mapping.find((target) => !isKnownTarget(target));
  if (bad !== undefined) return importError('bad-mapping', `Unknown target "${bad.slice(0, 40)}" in the mapping`);
  if (mapping.length > headers.length) return importError('bad-mapping', 'The mapping has more columns than the file');
  if (!mapping.includes('name') && !mapping.includes('contact.email') && !mapping.includes('contact.name') && !mapping.some((target) => target === 'contact.givenName' || target === 'contact.familyName')) {
    return importError('no-name-column', 'No column is mapped to the customer name (客户名称 / Company)');
  }
  return { ok: true, value: mapping };
}

function error(errors: RowError[], row: number, column: string, cell: Cell | string, code: string, reason: string): void {
  errors.push({ row, column, value: typeof cell === 'string' ? cell : cellText(cell), code, reason });
}

/** Several values in one cell: Google joins them with " ::: ", other tools with ";" or a newline. */
const splitValues = (text: string) => text.split(/\s*:::\s*|\s*[;\n]\s*/).map((part) => part.trim()).filter(Boolean);

/** "1.38001E+10": Excel wrote the number in its exponent form and the digits are lost. */
const EXPONENT = /^[+-]?\d+(\.\d+)?e[+-]?\d+$/i;
/**
 * A phone or an id whose digits Excel no longer has: written in exponent form in a CSV, or a
 * number cell past 15 digits (Excel keeps 15; an 18-digit 统一编号 typed as a number is gone).
 */
function digitsLost(cell: Cell, text: string): boolean {
  if (typeof cell === 'number') return Math.abs(cell) >= 1e15;
  return EXPONENT.test(text.trim());
}
const DIGITS_LOST = (text: string) => `"${text.slice(0, 40)}" has lost digits: Excel stored it as a number (exponent form, or more than 15 digits). Format the column as text in Excel, type the value again and save the file`;

/** Fields that hold digits to keep as written (phones and ids), never as a number. */
const DIGIT_FIELDS = new Set(['phone', 'fax', 'businessNumber', 'cardNumber', 'bankAccount']);

/** A person's name from its parts: 王 + 芳 → 王芳; Sarah + Johnson → Sarah Johnson. */
function nameOfParts(given: string, middle: string, family: string): string {
  if (/[\u3400-\u9fff]/.test(family + given)) return `${family}${given}`.trim();
  return [given, middle, family].filter(Boolean).join(' ');
}

export interface RecordOptions {
  /** Keep the text of unmapped columns as a note on the card ("Header: value" per line). */
  keepUnmapped?: boolean;
}

/** The mapped cells of one row as a record, or its errors. */
function recordOfRow(row: number, cells: readonly Cell[], headers: readonly string[], mapping: Mapping, errors: RowError[], options: RecordOptions): ImportRecord | undefined {
  const before = errors.length;
  const fields: Record<string, FieldValue> = {};
  const contact: ImportContact = { name: '', email: '', phone: '', profile: {} };
  const otherEmails: string[] = [];
  const otherPhones: string[] = [];
  const nameParts: Record<string, string> = {};
  const joined: Record<string, string[]> = {};
  const notes: string[] = [];
  const kept: string[] = [];
  const phoneOf = (column: string, cell: Cell, text: string): string | undefined => {
    if (digitsLost(cell, text)) {
      error(errors, row, column, cell, 'digits-lost', DIGITS_LOST(text));
      return undefined;
    }
    const valid = validateFieldValue(fieldByKey('phone')!, text);
    if (!valid.ok) {
      error(errors, row, column, cell, valid.code, valid.message.replace('Phone', 'A phone number'));
      return undefined;
    }
    return String(valid.value ?? '');
  };
  mapping.forEach((target, i) => {
    const cell = cells[i] ?? null;
    const column = headers[i] ?? '';
    if (cell === null) return;
    if (!target) {
      if (options.keepUnmapped && cellText(cell)) kept.push(`${column || `#${i + 1}`}: ${cellText(cell)}`);
      return;
    }
    if (target === NOTE_TARGET) {
      const text = cellText(cell);
      if (text.length > LIMITS.text) error(errors, row, column, text.slice(0, 80), 'too-long', `The note is longer than ${LIMITS.text} characters`);
      else if (text) notes.push(text);
      return;
    }
    if (target === 'address' || target === 'contact.homeAddress') {
      const text = cellText(cell);
      if (text) (joined[target] ??= []).push(text.replace(/\s*\n\s*/g, ', '));
      return;
    }
    if (target.startsWith('contact.')) {
      const key = target.slice('contact.'.length);
      if (key === 'name') contact.name = cellText(cell);
      else if (key === 'givenName' || key === 'middleName' || key === 'familyName') nameParts[key] = cellText(cell);
      else if (key === 'email') {
        for (const email of splitValues(cellText(cell))) {
          if (!isValidEmail(email)) error(errors, row, column, email, 'invalid-email', `"${email.slice(0, 80)}" is not a valid email address`);
          else if (!contact.email) contact.email = normalizeEmail(email);
          else if (normalizeEmail(email) !== contact.email && !otherEmails.includes(normalizeEmail(email))) otherEmails.push(normalizeEmail(email));
        }
      } else if (key === 'role') {
        const role = ROLE_WORDS[cellText(cell).toLowerCase()] ?? ROLE_WORDS[cellText(cell)];
        if (!role) error(errors, row, column, cell, 'invalid-value', `Unknown role "${cellText(cell).slice(0, 40)}"`);
        else contact.profile.role = role;
      } else if (key === 'phone' || key === 'mobile' || key === 'homePhone') {
        for (const text of splitValues(cellText(cell))) {
          const phone = phoneOf(column, cell, text);
          if (phone === undefined || phone === '') continue;
          const held = key === 'phone' ? contact.phone : contact.profile[key];
          if (!held) {
            if (key === 'phone') contact.phone = phone;
            else contact.profile[key] = phone;
          } else if (held !== phone && !otherPhones.includes(phone)) otherPhones.push(phone);
        }
      } else {
        const def = contactFieldByKey(key);
        const valid = validateContactValue(key, valueForType(def?.type ?? 'text', cell));
        if (!valid.ok) error(errors, row, column, cell, valid.code, valid.message);
        else if (valid.value !== null && valid.value !== '') contact.profile[key] = valid.value;
      }
      return;
    }
    const def = fieldByKey(target);
    if (!def) return;
    if (DIGIT_FIELDS.has(target) && digitsLost(cell, cellText(cell))) {
      error(errors, row, column, cell, 'digits-lost', DIGITS_LOST(cellText(cell)));
      return;
    }
    const valid = validateFieldValue(def, valueForType(def.type, cell, def));
    if (!valid.ok) {
      error(errors, row, column, cell, valid.code, valid.message);
      return;
    }
    if (target === 'domains' && Array.isArray(valid.value)) {
      const domains = valid.value.map((d) => d.toLowerCase().replace(/^@/, ''));
      const bad = domains.find((d) => !isValidDomain(d));
      if (bad !== undefined) error(errors, row, column, cell, 'invalid-domain', `"${bad.slice(0, 80)}" is not a valid domain`);
      else fields.domains = domains.filter((d) => !isFreeMailDomain(d));
      return;
    }
    if (valid.value !== null) fields[target] = valid.value;
  });
  if (joined.address) {
    const valid = validateFieldValue(fieldByKey('address')!, joined.address.join(', '));
    if (!valid.ok) error(errors, row, headers[mapping.indexOf('address')] ?? '', joined.address.join(', ').slice(0, 80), valid.code, valid.message);
    else if (valid.value !== null) fields.address = valid.value;
  }
  if (joined['contact.homeAddress']) contact.profile.homeAddress = joined['contact.homeAddress'].join(', ').slice(0, 5_000);
  if (!contact.name) contact.name = nameOfParts(nameParts.givenName ?? '', nameParts.middleName ?? '', nameParts.familyName ?? '');
  // A work address is the person's address; a free-mail one (个人邮箱 before 企业邮箱) is kept as another.
  const work = otherEmails.findIndex((email) => !isFreeMailDomain(domainOf(email)));
  if (contact.email && isFreeMailDomain(domainOf(contact.email)) && work >= 0) [contact.email, otherEmails[work]] = [otherEmails[work]!, contact.email];
  if (otherEmails.length > 0) contact.profile.otherEmails = otherEmails.join(', ');
  if (otherPhones.length > 0) contact.profile.otherPhones = otherPhones.join(', ');
  const note = [...notes, ...kept].join('\n');
  if (note.length > LIMITS.text) error(errors, row, '', note.slice(0, 80), 'too-long', `The note is longer than ${LIMITS.text} characters`);

  // A person with an address but no name is named by the address; without either, a phone of
  // theirs is the company's phone (a list of customers with "手机" and no contact column).
  if (!contact.name && contact.email) contact.name = contact.email;
  if (!contact.name && !contact.email) {
    const mobile = contact.profile.mobile;
    if (typeof mobile === 'string' && fields.phone === undefined) fields.phone = mobile;
    if (contact.phone && fields.phone === undefined) fields.phone = contact.phone;
  }
  if (contact.name.length > LIMITS.name) error(errors, row, headers[mapping.indexOf('contact.name')] ?? '', contact.name.slice(0, 80), 'too-long', `The name is longer than ${LIMITS.name} characters`);
  const hasContact = contact.name !== '';

  let name = typeof fields.name === 'string' ? fields.name : '';
  let nameFrom: ImportRecord['nameFrom'] = 'company';
  if (!name && hasContact) {
    // No company named: the company of the person's domain, else the person as a customer.
    const domain = domainOf(contact.email);
    name = domain && !isFreeMailDomain(domain) ? companyNameFromDomain(domain) : contact.name;
    nameFrom = domain && !isFreeMailDomain(domain) ? 'domain' : 'person';
    if (!domain || isFreeMailDomain(domain)) fields.nature = fields.nature ?? 'individual';
  }
  if (!name) error(errors, row, headers[mapping.indexOf('name')] ?? '', '', 'empty-name', 'No customer name in this row');
  if (errors.length > before) return undefined;
  fields.name = name;
  const domain = domainOf(contact.email);
  if (domain && !isFreeMailDomain(domain)) {
    const domains = Array.isArray(fields.domains) ? fields.domains : [];
    if (!domains.includes(domain)) fields.domains = [...domains, domain];
  }
  const record: ImportRecord = { row, fields, contacts: hasContact ? [contact] : [], nameFrom };
  if (note) record.note = note;
  return record;
}

export function recordsFromSheet(sheet: RawSheet, mapping: Mapping, options: RecordOptions = {}): RecordsResult {
  const records: ImportRecord[] = [];
  const errors: RowError[] = [];
  for (const { row, cells } of sheet.rows) {
    const record = recordOfRow(row, cells, sheet.headers, mapping, errors, options);
    if (record) records.push(record);
  }
  return { records, errors, total: sheet.rows.length };
}
