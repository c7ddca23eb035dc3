/** A field named as the card page shows it: its section, then its label ("Credit limit · Approved"). */
import { SECTIONS, type FieldDef } from '../../../shared/fields.ts';
import { labelOf, type Language } from '../../i18n/index.ts';

export function fieldName(language: Language, def: FieldDef): string {
  const section = SECTIONS.find((item) => item.key === def.section);
  return section ? `${labelOf(language, section.label)} · ${labelOf(language, def.label)}` : labelOf(language, def.label);
}
