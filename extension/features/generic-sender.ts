/**
 * Any other webmail: a message-header region that names the sender. Either an element whose
 * class/id says "from" / "sender" inside a header-like region, or a label — "From:" / "Von:" /
 * "发件人：" — with its value: a table row (th/td, td/td), a dt/dd pair, an inline label element,
 * or "From: Name <addr>" text (header-fields.ts). The address may be in a mailto link, a title
 * attribute, a compose link (`?compose&to=addr`) or the text; the name comes only from the
 * sender's own value, never from a region holding other labels, and is '' rather than a guess.
 * Quoted replies, blockquotes and page footers are ignored, and an ordinary page with a mailto
 * link gives null: without a header there is no open message.
 */
import type { SenderInfo } from '../../shared/card-types.ts';
import { emailIn, mailtoAddress, textOf, uniqueEmails, type PageLocation, type SenderDetector } from './detector.ts';
import { addressesOf, fieldOf, FROM_LABEL, fromFields, nameOf, TO_LABEL, toFields, type HeaderField } from './header-fields.ts';

const IGNORED = 'blockquote, footer, [class*="quote" i], [id*="quote" i], [class*="signature" i], nav';
const FROM_ELEMENTS = '[class~="from" i], [id="from" i], [class*="sender" i], [id*="sender" i], [data-field="from"], [class*="header-from" i]';
const HEADER_REGION = '[class*="header" i], [id*="header" i], [role="banner"]';

function* byClass(doc: Document): Generator<HeaderField> {
  for (const el of Array.from(doc.querySelectorAll(FROM_ELEMENTS))) {
    if (el.closest(IGNORED)) continue;
    if (!el.closest(HEADER_REGION) && !FROM_LABEL.test(textOf(el))) continue;
    yield fieldOf(el);
  }
}

/**
 * The first From field that holds an address, with that address. Fields inside a header-like
 * region come first, so a table in the message body ("From: Shanghai") never outranks the header.
 */
function findFrom(doc: Document): { field: HeaderField; email: string } | null {
  const fields = [...byClass(doc), ...fromFields(doc, IGNORED)];
  const inHeader = (field: HeaderField) => field.at.closest(HEADER_REGION) !== null;
  for (const field of [...fields.filter(inHeader), ...fields.filter((field) => !inHeader(field))]) {
    const email = addressesOf(field)[0];
    if (email) return { field, email };
  }
  return null;
}

function recipientsNear(at: Element): string[] {
  const region = at.closest(HEADER_REGION) ?? at.closest('table, dl') ?? at.parentElement;
  if (!region) return [];
  const recipients = toFields(region, IGNORED).flatMap(addressesOf);
  for (const el of Array.from(region.querySelectorAll('div, span, td, li'))) {
    if (el.contains(at) || at.contains(el) || el.closest(IGNORED)) continue;
    if (TO_LABEL.test(textOf(el))) recipients.push(...Array.from(el.querySelectorAll('a[href^="mailto:"]')).map(mailtoAddress), emailIn(textOf(el)));
  }
  return recipients;
}

export const genericSender: SenderDetector = {
  id: 'generic-sender',
  matches() {
    return true;
  },
  detect(doc: Document, location: PageLocation): SenderInfo | null {
    const found = findFrom(doc);
    if (!found) return null;
    const { field, email } = found;
    const subject = (textOf(doc.querySelector('h1, h2, [class*="subject" i]')) || doc.title).slice(0, 1000);
    return { email, name: nameOf(field, email), subject, recipients: uniqueEmails(recipientsNear(field.at), [email]), url: location.href.slice(0, 2048), source: 'generic' };
  },
};
