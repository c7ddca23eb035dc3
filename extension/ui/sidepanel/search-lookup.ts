/**
 * What a search may ask the server's "whose customer is this?" lookup: only what the lookup from
 * an open email asks — a whole email address, or a whole company domain (never a free-mail one).
 * A name, a prefix or any other text stays on this device, so searching tells no more about a
 * colleague's customers than reading mail from them would.
 */
import { domainOf, isFreeMailDomain, isValidDomain, isValidEmail, normalizeEmail } from '../../../shared/email.ts';

export function lookupKeyOfQuery(query: string): { email: string; domain: string } | undefined {
  const text = normalizeEmail(query);
  if (isValidEmail(text)) {
    const domain = domainOf(text);
    return { email: text, domain: isFreeMailDomain(domain) ? '' : domain };
  }
  // "@acme.cn" and "www.acme.cn" are the company's domain as people type it.
  const domain = text.replace(/^@/, '').replace(/^www\./, '');
  if (isValidDomain(domain) && !isFreeMailDomain(domain)) return { email: '', domain };
  return undefined;
}
