/**
 * Any other webmail: a message-header region that names the sender. Either an element whose
 * class/id says "from" / "sender" inside a header-like region, or a visible label such as
 * "From:" / "Von:" / "发件人:" followed by "Name <addr>". Quoted replies, blockquotes and page
 * footers are ignored, and an ordinary page with a mailto link gives null: without a header
 * region there is no open message.
 */
import type { SenderInfo } from '../../shared/card-types.ts';
import { emailIn, mailtoAddress, nameWithout, textOf, uniqueEmails, type PageLocation, type SenderDetector } from './detector.ts';

const IGNORED = 'blockquote, footer, [class*="quote" i], [id*="quote" i], [class*="signature" i], nav';
const FROM_ELEMENTS = '[class~="from" i], [id="from" i], [class*="sender" i], [id*="sender" i], [data-field="from"], [class*="header-from" i]';
const HEADER_REGION = '[class*="header" i], [id*="header" i], [role="banner"]';
const FROM_LABEL = /^\s*(from|von|de|da|van|od|от|发件人|寄件者|寄件人|差出人|보낸사람)\s*[:：]/i;
const TO_LABEL = /^\s*(to|cc|an|à|a|para|收件人|抄送|宛先)\s*[:：]/i;

function addressIn(element: Element): string {
  const mailto = element.querySelector('a[href^="mailto:"]');
  if (mailto) {
    const address = mailtoAddress(mailto);
    if (address) return address;
  }
  const titled = element.querySelector('[title*="@"]');
  return emailIn(titled?.getAttribute('title')) || emailIn(textOf(element));
}

function fromByClass(doc: Document): Element | null {
  for (const el of Array.from(doc.querySelectorAll(FROM_ELEMENTS))) {
    if (el.closest(IGNORED)) continue;
    if (!el.closest(HEADER_REGION) && !FROM_LABEL.test(textOf(el))) continue;
    if (addressIn(el)) return el;
  }
  return null;
}

function fromByLabel(doc: Document): Element | null {
  for (const el of Array.from(doc.querySelectorAll('div, p, span, td, li, dd'))) {
    if (el.closest(IGNORED)) continue;
    const text = textOf(el);
    if (text.length > 300 || !FROM_LABEL.test(text)) continue;
    if (addressIn(el)) return el;
  }
  return null;
}

export const genericSender: SenderDetector = {
  id: 'generic-sender',
  matches() {
    return true;
  },
  detect(doc: Document, location: PageLocation): SenderInfo | null {
    const from = fromByClass(doc) ?? fromByLabel(doc);
    if (!from) return null;
    const email = addressIn(from);
    if (!email) return null;
    const region = from.closest(HEADER_REGION) ?? from.parentElement;
    const recipients: string[] = [];
    for (const el of Array.from(region?.querySelectorAll('div, span, td, li') ?? [])) {
      if (el === from || el.contains(from) || from.contains(el) || el.closest(IGNORED)) continue;
      if (TO_LABEL.test(textOf(el))) recipients.push(...Array.from(el.querySelectorAll('a[href^="mailto:"]')).map(mailtoAddress), emailIn(textOf(el)));
    }
    const subject = (textOf(doc.querySelector('h1, h2, [class*="subject" i]')) || doc.title).slice(0, 1000);
    return { email, name: nameWithout(textOf(from), email), subject, recipients: uniqueEmails(recipients, [email]), url: location.href.slice(0, 2048), source: 'generic' };
  },
};
