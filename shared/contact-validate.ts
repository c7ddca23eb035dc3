/**
 * Validation of one field of a person on a card (contact-set-field). The base keys (name,
 * email, role, phone) have their own rules; profile keys (Mackay 66 and personal details) are
 * checked against the contact catalogue when it knows them, else as short safe texts.
 */
import type { ContactRole, FieldValue } from './card-types.ts';
import { isValidEmail, normalizeEmail } from './email.ts';
import { contactFieldByKey } from './contact-fields.ts';
import { validateClosenessValue } from './closeness.ts';
import { fail, ok, type Result } from './errors.ts';
import { isValidIsoDate } from './fields.ts';

const ROLES: readonly ContactRole[] = ['owner', 'operator', 'legal-representative', 'purchasing', 'payment-contact', 'business-contact', 'other'];
const KEY_PATTERN = /^[a-zA-Z][a-zA-Z0-9_.-]{0,63}$/;
const MAX_TEXT = 5_000;

export function validateContactValue(field: string, value: FieldValue): Result<FieldValue> {
  if (typeof field !== 'string' || !KEY_PATTERN.test(field)) return fail('unknown-field', `Unknown field "${String(field).slice(0, 64)}"`, 'field');
  if (field === 'name') {
    const name = typeof value === 'string' ? value.trim() : '';
    if (!name) return fail('empty-name', 'A person needs a name', 'name');
    if (name.length > 200) return fail('too-long', 'The name is longer than 200 characters', 'name', { max: 200 });
    return ok(name);
  }
  if (value === null) return ok(null);
  if (field === 'email') {
    if (typeof value !== 'string') return fail('invalid-email', 'Not a valid email address', 'email');
    if (value.trim() === '') return ok(null);
    if (!isValidEmail(value)) return fail('invalid-email', `"${value.slice(0, 80)}" is not a valid email address`, 'email');
    return ok(normalizeEmail(value));
  }
  if (field === 'role') {
    if (typeof value !== 'string' || !ROLES.includes(value as ContactRole)) return fail('invalid-value', `Unknown role "${String(value).slice(0, 40)}"`, 'role');
    return ok(value);
  }
  const closeness = validateClosenessValue(field, value);
  if (closeness) return closeness;
  const def = contactFieldByKey(field);
  if (def?.type === 'boolean') {
    if (typeof value === 'boolean') return ok(value);
    if (value === 'true' || value === 'false') return ok(value === 'true');
    return fail('invalid-value', `${def.label.en} is yes or no`, field);
  }
  if (def?.type === 'date') {
    if (typeof value !== 'string' || (value.trim() !== '' && !isValidIsoDate(value.trim()))) return fail('invalid-date', 'Dates are written as YYYY-MM-DD', field);
    return ok(value.trim() === '' ? null : value.trim());
  }
  if (typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) return ok(value);
  if (typeof value === 'string') {
    if (value.length > MAX_TEXT) return fail('too-long', `The text is longer than ${MAX_TEXT} characters`, field, { max: MAX_TEXT });
    return ok(value.trim());
  }
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return ok(value);
  return fail('invalid-value', 'This value cannot be stored', field);
}
