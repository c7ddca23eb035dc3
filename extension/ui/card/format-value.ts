/** How a stored value reads on screen, in the UI language: enum labels, yes/no, money, dates. */
import type { FieldValue } from '../../../shared/card-types.ts';
import type { FieldType, Label } from '../../../shared/fields.ts';
import { formatMoney, labelOf, type Language } from '../../i18n/index.ts';

export interface Displayable {
  type: FieldType;
  options?: { value: string; label: Label }[];
}

export function formatValue(language: Language, def: Displayable, value: FieldValue | undefined, yesNo: [string, string]): string {
  if (value === undefined || value === null || value === '') return '';
  if (Array.isArray(value)) return value.join(', ');
  if (typeof value === 'boolean') return value ? yesNo[0] : yesNo[1];
  if (def.type === 'money' && typeof value === 'number') return formatMoney(language, value);
  if (def.type === 'enum') {
    const option = def.options?.find((o) => o.value === value);
    return option ? labelOf(language, option.label) : String(value);
  }
  return String(value);
}

/** A value as an editor's input text. */
export function toInputText(value: FieldValue | undefined): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.join(', ');
  return String(value);
}

/** An editor's text back to a value of the field's type (validation happens in the mutation). */
export function fromInputText(type: FieldType, text: string): FieldValue {
  if (text.trim() === '') return null;
  if (type === 'list') return text.split(/[,，;；\s]+/).map((item) => item.trim()).filter(Boolean);
  if (type === 'boolean') return text === 'true';
  return text;
}
