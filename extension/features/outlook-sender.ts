/**
 * Outlook on the web: the sender of the message in the reading pane. No stable attribute holds
 * the address: read the From element's `title` / `aria-label` (which contain "@"), a mailto link
 * inside the header, or "Name <addr>" text — never the body, whose quoted reply holds other
 * people's addresses. aria-label texts are localised ("Von", "发件人"), so labels are never
 * matched by their words; only the address pattern is.
 */
import type { SenderInfo } from '../../shared/card-types.ts';
import { emailIn, mailtoAddress, nameWithout, textOf, uniqueEmails, type PageLocation, type SenderDetector } from './detector.ts';

const PANE = '#ReadingPaneContainerId, [data-automationid="ReadingPaneContainer"]';
const HEADER = '[data-automationid="MessageHeader"]';
const FROM = '[data-testid="message-header-from-button"], [data-automationid="From"]';
const BODY = '[role="document"], #divRplyFwdMsg, blockquote';

function addressOf(element: Element): string {
  for (const attribute of ['title', 'aria-label', 'data-email']) {
    const email = emailIn(element.getAttribute(attribute));
    if (email) return email;
  }
  for (const node of Array.from(element.querySelectorAll('[title], [aria-label]'))) {
    const email = emailIn(node.getAttribute('title')) || emailIn(node.getAttribute('aria-label'));
    if (email) return email;
  }
  const mailto = element.querySelector('a[href^="mailto:"]');
  if (mailto) return mailtoAddress(mailto);
  return emailIn(textOf(element));
}

function senderName(from: Element, email: string): string {
  const visible = nameWithout(textOf(from), email);
  if (visible) return visible;
  return nameWithout(from.getAttribute('aria-label') ?? '', email);
}

export const outlookSender: SenderDetector = {
  id: 'outlook-sender',
  matches(location: PageLocation, doc: Document) {
    return /^outlook\.(office|office365|live)\.com$/.test(location.hostname) || doc.querySelector(PANE) !== null;
  },
  detect(doc: Document, location: PageLocation): SenderInfo | null {
    const pane = doc.querySelector(PANE);
    if (!pane) return null;
    const header = pane.querySelector(HEADER) ?? pane;
    const froms = Array.from(header.querySelectorAll(FROM)).filter((el) => el.closest(BODY) === null);
    for (const from of froms) {
      const email = addressOf(from);
      if (!email) continue;
      const recipientNodes = Array.from(header.querySelectorAll('[title*="@"], [aria-label*="@"], a[href^="mailto:"]')).filter(
        (el) => el.closest(BODY) === null && el.closest(FROM) === null,
      );
      const recipients = uniqueEmails(
        recipientNodes.map((el) => (el.tagName === 'A' ? mailtoAddress(el) : emailIn(el.getAttribute('title')) || emailIn(el.getAttribute('aria-label')))),
        [email],
      );
      const subjectEl = pane.querySelector('[data-automationid="SubjectLine"], [role="heading"]');
      const subject = (textOf(subjectEl) || doc.title).slice(0, 1000);
      return { email, name: senderName(from, email), subject, recipients, url: location.href.slice(0, 2048), source: 'outlook' };
    }
    return null;
  },
};
