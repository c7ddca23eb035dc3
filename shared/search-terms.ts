/**
 * The search tokeniser, shared by the index builder and the query side so they always agree.
 * Latin text: lower-cased words (a query word matches a term by prefix). Emails: the whole
 * address, its local part and its domain's labels. Digits: runs of 3+ digits (phones).
 * Chinese / Japanese / Korean runs: every single character and every bigram, so any substring
 * query of Chinese text is the intersection of its bigrams (or its one character).
 * Phones also give their digits run together and every tail of those from four digits, so
 * "13812345678", "+86 138 1234 5678" and "5678" all find "+86 138-1234-5678".
 */

const CJK = /[\u3400-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af]/;
const CJK_RUN = /[\u3400-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af]+/g;
const EMAIL = /[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}/g;
const WORD = /[a-z0-9\u00c0-\u024f]+/g;
const MIXED = /([\u3400-\u9fff])([a-z]+)/g;

function cjkGrams(run: string, out: Set<string>): void {
  const chars = Array.from(run);
  for (let i = 0; i < chars.length; i++) {
    out.add(chars[i]!);
    if (i + 1 < chars.length) out.add(chars[i]! + chars[i + 1]!);
  }
}

/** Every term a card's texts contribute to the `terms` index. */
export function searchTerms(texts: readonly string[]): string[] {
  const out = new Set<string>();
  for (const raw of texts) {
    if (!raw) continue;
    const text = raw.toLowerCase().normalize('NFKC');
    // Emails only in words with an '@' (the pattern backtracks quadratically over long runs of letters).
    const emails = text.includes('@') ? text.split(/\s+/).filter((w) => w.includes('@') && w.length <= 320).flatMap((w) => w.match(EMAIL) ?? []) : [];
    for (const email of emails) {
      out.add(email);
      const [local = '', domain = ''] = email.split('@');
      out.add(local);
      out.add(domain);
    }
    for (const word of text.match(WORD) ?? []) {
      if (/^\d+$/.test(word) && word.length < 3) continue;
      out.add(word);
    }
    for (const run of text.match(CJK_RUN) ?? []) cjkGrams(run, out);
  }
  return [...out].filter((term) => term.length > 0 && term.length <= 100);
}

/** A phone's digits run together and each of their tails of 4+ digits. */
export function phoneTerms(phones: readonly string[]): string[] {
  const out = new Set<string>();
  for (const phone of phones) {
    const digits = phone.replace(/\D/g, '').slice(0, 20);
    for (let i = 0; i + 4 <= digits.length; i++) out.add(digits.slice(i));
  }
  return [...out];
}

export interface QueryTerm {
  term: string;
  /** Latin words match by prefix; CJK grams and whole emails match exactly. */
  prefix: boolean;
}

/** The terms a query must all match. An empty list means "no query". */
export function queryTerms(query: string): QueryTerm[] {
  const text = query.toLowerCase().normalize('NFKC').trim();
  const out: QueryTerm[] = [];
  const seen = new Set<string>();
  const add = (term: string, prefix: boolean) => {
    if (!term || seen.has(term)) return;
    seen.add(term);
    out.push({ term, prefix });
  };
  const rest = text.replace(EMAIL, (email) => {
    add(email, true);
    return ' ';
  });
  // Numbers under three digits are not indexed (searchTerms): a query's own are dropped when it
  // has other terms ("Packed 0 Ltd"), and kept as prefixes when they are all it has ("07").
  const shortNumbers: string[] = [];
  for (const word of rest.match(WORD) ?? []) {
    if (/^\d+$/.test(word) && word.length < 3) shortNumbers.push(word);
    else add(word, true);
  }
  // A character followed by pinyin (华xin): one prefix term matching the rows' mixed pinyin terms.
  for (const mixed of rest.matchAll(MIXED)) add(`${mixed[1]!}${mixed[2]!}`, true);
  for (const run of rest.match(CJK_RUN) ?? []) {
    const chars = Array.from(run);
    if (chars.length === 1) add(chars[0]!, false);
    for (let i = 0; i + 1 < chars.length; i++) add(chars[i]! + chars[i + 1]!, false);
  }
  if (out.length === 0) for (const word of shortNumbers) add(word, true);
  return out;
}

export function hasCjk(text: string): boolean {
  return CJK.test(text);
}
