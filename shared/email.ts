/**
 * Email addresses and domains: parsing, normalising, and the free-mail list. A free-mail domain
 * (gmail.com, qq.com, 163.com, …) says nothing about which company a sender works for, so it
 * never matches a card by domain and never becomes a card's company domain.
 */

const EMAIL_PATTERN = /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;

const FREE_MAIL = new Set([
  'gmail.com', 'googlemail.com', 'outlook.com', 'hotmail.com', 'live.com', 'msn.com', 'yahoo.com',
  'yahoo.co.jp', 'yahoo.co.uk', 'ymail.com', 'icloud.com', 'me.com', 'mac.com', 'aol.com', 'proton.me',
  'protonmail.com', 'gmx.de', 'gmx.net', 'web.de', 'mail.ru', 'yandex.ru', 'yandex.com', 'zoho.com',
  'qq.com', 'foxmail.com', '163.com', '126.com', 'yeah.net', 'sina.com', 'sina.cn', 'sohu.com',
  '139.com', '189.cn', 'aliyun.com', 'naver.com', 'daum.net', 'hanmail.net', 'rediffmail.com',
]);

export function normalizeEmail(raw: string): string {
  return raw.trim().toLowerCase();
}

export function isValidEmail(raw: string): boolean {
  const email = normalizeEmail(raw);
  return email.length <= 254 && EMAIL_PATTERN.test(email);
}

/** The domain part of an address, lower-cased; '' if there is none. */
export function domainOf(email: string): string {
  const at = email.lastIndexOf('@');
  return at < 0 ? '' : normalizeEmail(email.slice(at + 1));
}

export function isFreeMailDomain(domain: string): boolean {
  return FREE_MAIL.has(domain.toLowerCase());
}

const DOMAIN_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;

export function isValidDomain(raw: string): boolean {
  return DOMAIN_PATTERN.test(raw.trim().toLowerCase());
}

/** A company name guessed from a domain: "nordlicht-optik.de" -> "Nordlicht Optik". */
export function companyNameFromDomain(domain: string): string {
  const labels = domain.toLowerCase().split('.');
  const generic = new Set(['com', 'net', 'org', 'co', 'cn', 'de', 'uk', 'jp', 'in', 'io', 'www', 'mail']);
  const main = labels.find((label) => !generic.has(label)) ?? labels[0] ?? '';
  return main
    .split(/[-_]/)
    .filter(Boolean)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');
}
