/**
 * vCard 4.0 (RFC 6350) of the people on chosen cards: FN, N, ORG (the card's trade name),
 * TITLE, EMAIL, TEL (work, cell), BDAY, ADR (home). Text values escaped (\ , ; newline), lines
 * folded at 75 octets without splitting a UTF-8 character, CRLF line ends. Sensitive profile
 * keys (confidential topics …) are never written.
 */
import type { CardView, ContactView } from '../card-types.ts';

export function escapeVcardText(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/,/g, '\\,').replace(/;/g, '\\;').replace(/\r?\n/g, '\\n');
}

/** Folds a content line at 75 octets (continuation lines start with a space). */
export function foldLine(line: string): string {
  const encoder = new TextEncoder();
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const size = encoder.encode(ch).length;
    const limit = parts.length === 0 ? 75 : 74;
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
    }
    current += ch;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

const CJK = /[\u3400-\u9fff]/;

function nameParts(name: string): [string, string] {
  if (CJK.test(name) && !name.includes(' ')) return [name.slice(0, 1), name.slice(1)];
  const words = name.trim().split(/\s+/);
  if (words.length < 2) return [name.trim(), ''];
  return [words.at(-1)!, words.slice(0, -1).join(' ')];
}

const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');

export function personVcard(card: CardView, person: ContactView): string {
  const [family, given] = nameParts(person.name);
  const lines = ['BEGIN:VCARD', 'VERSION:4.0', `FN:${escapeVcardText(person.name)}`, `N:${escapeVcardText(family)};${escapeVcardText(given)};;;`, `ORG:${escapeVcardText(String(card.fields.name ?? ''))}`];
  const title = text(person.profile.title);
  if (title) lines.push(`TITLE:${escapeVcardText(title)}`);
  if (person.email) lines.push(`EMAIL;TYPE=work:${escapeVcardText(person.email)}`);
  if (person.phone) lines.push(`TEL;VALUE=text;TYPE="work,voice":${escapeVcardText(person.phone)}`);
  const mobile = text(person.profile.mobile);
  if (mobile) lines.push(`TEL;VALUE=text;TYPE=cell:${escapeVcardText(mobile)}`);
  const birth = text(person.profile.birthDate);
  if (/^\d{4}-\d{2}-\d{2}$/.test(birth)) lines.push(`BDAY:${birth.replace(/-/g, '')}`);
  const home = text(person.profile.homeAddress);
  if (home) lines.push(`ADR;TYPE=home:;;${escapeVcardText(home)};;;;`);
  const website = text(card.fields.website);
  if (website) lines.push(`URL:${website}`);
  lines.push('END:VCARD');
  return lines.map(foldLine).join('\r\n');
}

/** Every person of the cards, one vCard each. */
export function cardsToVcards(cards: readonly CardView[]): string {
  return cards.flatMap((card) => card.contacts.map((person) => personVcard(card, person))).join('\r\n') + '\r\n';
}
