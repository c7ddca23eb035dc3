/**
 * "What we still don't know": the important fields of a card and of its people that are empty,
 * so a rep knows what to ask on the next visit.
 */
import type { CardView } from '../card-types.ts';
import { CONTACT_FIELDS } from '../contact-fields.ts';
import { FIELDS, type Label } from '../fields.ts';

export interface Unknown {
  /** '' for the card itself, else the person's id. */
  contactId: string;
  contactName: string;
  key: string;
  label: Label;
}

function empty(value: unknown): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
}

export function unknownsOf(card: CardView): Unknown[] {
  const out: Unknown[] = [];
  for (const field of FIELDS) if (field.important && empty(card.fields[field.key])) out.push({ contactId: '', contactName: '', key: field.key, label: field.label });
  for (const person of card.contacts) {
    const values: Record<string, unknown> = { ...person.profile, name: person.name, email: person.email, phone: person.phone, role: person.role };
    for (const field of CONTACT_FIELDS) {
      if (field.important && empty(values[field.key])) out.push({ contactId: person.id, contactName: person.name, key: field.key, label: field.label });
    }
  }
  return out;
}
