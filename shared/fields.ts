/**
 * The field catalogue: every base-data field of a card (DOMAIN.md §2), with its section, type,
 * labels in both languages and validation. The UI renders sections from this list and the
 * `card-set-field` mutation validates against it: adding a field is one entry here.
 *
 * (Foundation stub: the complete catalogue is built in the complete-card issue.)
 */
import type { FieldValue } from './card-types.ts';
import { fail, ok, type Result } from './errors.ts';

export type FieldType = 'text' | 'longtext' | 'number' | 'money' | 'date' | 'enum' | 'email' | 'url' | 'phone' | 'list' | 'boolean';

export interface Label {
  en: string;
  zh: string;
}

export interface FieldDef {
  key: string;
  section: string;
  type: FieldType;
  label: Label;
  /** enum: allowed values with their labels. */
  options?: { value: string; label: Label }[];
  /** A change is refused without a reason (approved credit limit, rating, owner, overrides). */
  controlled?: boolean;
  /** Listed in "what we still don't know" when empty. */
  important?: boolean;
  /** Left out of exports and prints unless the user includes it. */
  sensitive?: boolean;
  /** Maximum length for text. */
  max?: number;
}

export interface SectionDef {
  key: string;
  label: Label;
}

export const SECTIONS: SectionDef[] = [{ key: 'identity', label: { en: 'Identity', zh: '基本信息' } }];

export const FIELDS: FieldDef[] = [
  { key: 'name', section: 'identity', type: 'text', label: { en: 'Trade name', zh: '商号' }, important: true, max: 200 },
  { key: 'domains', section: 'identity', type: 'list', label: { en: 'Email domains', zh: '邮箱域名' }, important: true },
  { key: 'category', section: 'identity', type: 'text', label: { en: 'Category', zh: '类别' }, max: 100 },
  { key: 'city', section: 'identity', type: 'text', label: { en: 'County / city', zh: '县市别' }, important: true, max: 100 },
  { key: 'address', section: 'identity', type: 'longtext', label: { en: 'Address', zh: '地址' }, important: true, max: 500 },
  { key: 'phone', section: 'identity', type: 'phone', label: { en: 'Phone', zh: '电话' }, important: true, max: 50 },
  { key: 'website', section: 'identity', type: 'url', label: { en: 'Website', zh: '网址' }, max: 300 },
  { key: 'owner', section: 'relationship', type: 'text', label: { en: 'Owner (rep)', zh: '负责业务员' }, controlled: true, max: 100 },
];

const byKey = new Map(FIELDS.map((field) => [field.key, field]));

export function fieldByKey(key: string): FieldDef | undefined {
  return byKey.get(key);
}

/** Validates and normalises a value for a field; null clears the field. */
export function validateFieldValue(def: FieldDef, value: FieldValue): Result<FieldValue> {
  if (value === null) return ok(null);
  if (def.type === 'list') {
    if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
      return fail('invalid-value', `${def.label.en} must be a list of texts`, def.key);
    }
    return ok(value.map((item) => item.trim()).filter((item) => item.length > 0));
  }
  if (typeof value !== 'string') return fail('invalid-value', `${def.label.en} must be a text`, def.key);
  const text = value.trim();
  if (def.max !== undefined && text.length > def.max) {
    return fail('too-long', `${def.label.en} is longer than ${def.max} characters`, def.key, { max: def.max });
  }
  return ok(text);
}
