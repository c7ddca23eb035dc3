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
  if (!mapping.includes('name') && !mapping.includes('contact.email') && !mapping.includes('contact.name')) {
    return importError('no-name-column', 'No column is mapped to the customer name (客户名称 / Company)');
  }
  return { ok: true, value: mapping };
}

function error(errors: RowError[], row: number, column: string, cell: Cell | string, code: string, reason: string): void {
  errors.push({ row, column, value: typeof cell === 'string' ? cell : cellText(cell), code, reason });
}

/** The mapped cells of one row as a record, or its errors. */
function recordOfRow(row: number, cells: readonly Cell[], headers: readonly string[], mapping: Mapping, errors: RowError[]): ImportRecord | undefined {
  const before = errors.length;
  const fields: Record<string, FieldValue> = {};
  const contact: ImportContact = { name: '', email: '', phone: '', profile: {} };
  let note = '';
  mapping.forEach((target, i) => {
    const cell = cells[i] ?? null;
    const column = headers[i] ?? '';
    if (!target || cell === null) return;
    if (target === NOTE_TARGET) {
      const text = cellText(cell);
      if (text.length > LIMITS.text) error(errors, row, column, text.slice(0, 80), 'too-long', `The note is longer than ${LIMITS.text} characters`);
      else note = note ? `${note}\n${text}` : text;
      return;
    }
    if (target.startsWith('contact.')) {
      const key = target.slice('contact.'.length);
      if (key === 'name') contact.name = cellText(cell);
      else if (key === 'email') {
        const email = cellText(cell);
        if (!isValidEmail(email)) error(errors, row, column, cell, 'invalid-email', `"${email.slice(0, 80)}" is not a valid email address`);
        else contact.email = normalizeEmail(email);
      } else if (key === 'role') {
        const role = ROLE_WORDS[cellText(cell).toLowerCase()] ?? ROLE_WORDS[cellText(cell)];
        if (!role) error(errors, row, column, cell, 'invalid-value', `Unknown role "${cellText(cell).slice(0, 40)}"`);
        else contact.profile.role = role;
      } else if (key === 'phone' || key === 'mobile' || key === 'homePhone') {
        const valid = validateFieldValue(fieldByKey('phone')!, cellText(cell));
        if (!valid.ok) error(errors, row, column, cell, valid.code, valid.message.replace('Phone', 'A phone number'));
        else if (key === 'phone') contact.phone = String(valid.value ?? '');
        else contact.profile[key] = valid.value;
      } else {
        const def = contactFieldByKey(key);
        const valid = validateContactValue(key, valueForType(def?.type ?? 'text', cell));
        if (!valid.ok) error(errors, row, column, cell, valid.code, valid.message);
        else if (valid.value !== null) contact.profile[key] = valid.value;
      }
      return;
    }
    const def = fieldByKey(target);
    if (!def) return;
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
  if (!name && hasContact) {
    // No company named: the company of the person's domain, else the person as a customer.
    const domain = domainOf(contact.email);
    name = domain && !isFreeMailDomain(domain) ? companyNameFromDomain(domain) : contact.name;
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
  const record: ImportRecord = { row, fields, contacts: hasContact ? [contact] : [] };
  if (note) record.note = note;
  return record;
}

export function recordsFromSheet(sheet: RawSheet, mapping: Mapping): RecordsResult {
  const records: ImportRecord[] = [];
  const errors: RowError[] = [];
  for (const { row, cells } of sheet.rows) {
    const record = recordOfRow(row, cells, sheet.headers, mapping, errors);
    if (record) records.push(record);
  }
  return { records, errors, total: sheet.rows.length };
}
