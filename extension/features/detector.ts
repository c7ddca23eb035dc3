/**
 * What every webmail sender detector provides, and the small DOM helpers they share.
 * Detectors read an injected Document (so fixtures test them), use textContent and attributes
 * only, and return null rather than a guess: no card is better than the wrong card.
 */
import type { SenderInfo } from '../../shared/card-types.ts';

export interface PageLocation {
  hostname: string;
  href: string;
}

export interface SenderDetector {
  /** The feature's id, also its file name. */
  id: string;
  /** Whether this detector is responsible for the page (hostname, or the webmail's DOM signature). */
  matches(location: PageLocation, doc: Document): boolean;
  detect(doc: Document, location: PageLocation): SenderInfo | null;
}

const EMAIL_IN_TEXT = /[a-z0-9._%+'-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}/i;
const STRICT_EMAIL = /^[a-z0-9._%+'-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}$/i;

/** The first address in a text, lower-cased; '' if none. */
export function emailIn(text: string | null | undefined): string {
  const match = text ? EMAIL_IN_TEXT.exec(text) : null;
  return match ? match[0].toLowerCase() : '';
}

export function isEmail(text: string | null | undefined): boolean {
  return !!text && STRICT_EMAIL.test(text.trim());
}

export function textOf(element: Element | null | undefined): string {
  return (element?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** "Martin Keller <m.keller@x.de>" -> "Martin Keller"; strips a leading "From:"-style label. */
export function nameWithout(text: string, email: string): string {
  return text
    .replace(/<[^>]*>/g, ' ')
    .replace(email, ' ')
    .replace(/^[^:：]{1,12}[:：]\s*/, '')
    .replace(/[<>()"“”]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 200);
}

export function mailtoAddress(anchor: Element): string {
  const href = anchor.getAttribute('href') ?? '';
  const address = decodeURIComponent(href.replace(/^mailto:/i, '').split('?')[0] ?? '');
  return isEmail(address) ? address.toLowerCase() : '';
}

/** True if the element sits in a quoted part of a message (a reply's quote, a forwarded header). */
export function inQuote(element: Element, quoteSelector: string): boolean {
  return element.closest(quoteSelector) !== null;
}

export function uniqueEmails(list: string[], except: string[] = []): string[] {
  const skip = new Set(except.map((e) => e.toLowerCase()));
  return [...new Set(list.map((e) => e.toLowerCase()).filter((e) => isEmail(e) && !skip.has(e)))].slice(0, 100);
}
