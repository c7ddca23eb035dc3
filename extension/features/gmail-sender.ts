/**
 * Gmail: the sender of the message being read. A thread's messages are `div.adn`; collapsed ones
 * stay in the DOM, so scope to the LAST expanded one. Sender: `span.gD[email]` in its header
 * (fallback `td.gF span[email]`); recipients: `span.g2[email]` (the user's own address is among
 * them, never the sender); the body `div.a3s` holds quoted addresses and is never read for the
 * sender. Subject: `h2.hP`. (WEBMAIL.md: InboxSDK gmail-message-view, gmail.js selectors.)
 */
import type { SenderInfo } from '../../shared/card-types.ts';
import { isEmail, textOf, uniqueEmails, type PageLocation, type SenderDetector } from './detector.ts';

const BODY = 'div.a3s, .gmail_quote, blockquote';

function isExpanded(message: Element): boolean {
  if (message.querySelector('.h7, [aria-expanded="true"]')) return true;
  if (message.querySelector('.kv, [aria-expanded="false"]')) return false;
  return message.querySelector('div.a3s') !== null;
}

function headerElements(message: Element, selector: string): Element[] {
  return Array.from(message.querySelectorAll(selector)).filter((el) => el.closest(BODY) === null);
}

function senderOf(message: Element): { email: string; name: string } | null {
  const candidates = [...headerElements(message, 'span.gD[email]'), ...headerElements(message, 'td.gF span[email]')];
  for (const el of candidates) {
    const email = (el.getAttribute('email') ?? '').trim().toLowerCase();
    if (!isEmail(email)) continue;
    const name = (el.getAttribute('name') ?? textOf(el)).trim().slice(0, 200);
    return { email, name: name && !isEmail(name) ? name : '' };
  }
  return null;
}

export const gmailSender: SenderDetector = {
  id: 'gmail-sender',
  matches(location: PageLocation, doc: Document) {
    return location.hostname === 'mail.google.com' || doc.querySelector('div.adn[data-message-id], div.adn[data-legacy-message-id]') !== null;
  },
  detect(doc: Document, location: PageLocation): SenderInfo | null {
    const messages = Array.from(doc.querySelectorAll('div.adn')).filter(isExpanded);
    const message = messages[messages.length - 1];
    if (!message) return null;
    const sender = senderOf(message);
    if (!sender) return null;
    const recipients = uniqueEmails(
      headerElements(message, 'span.g2[email]').map((el) => el.getAttribute('email') ?? ''),
      [sender.email],
    );
    const subject = textOf(doc.querySelector('h2.hP')).slice(0, 1000);
    return { email: sender.email, name: sender.name, subject, recipients, url: location.href.slice(0, 2048), source: 'gmail' };
  },
};
