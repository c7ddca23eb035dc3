/**
 * The search tokeniser, shared by the index builder and the query side so they always agree.
 * Latin text: lower-cased words (a query word matches a term by prefix). Emails: the whole
 * address, its local part and its domain's labels. Digits: runs of 3+ digits (phones).
 * Chinese / Japanese / Korean runs: every single character and every bigram, so any substring
 * query of Chinese text is the intersection of its bigrams (or its one character).
 */

const CJK = /[\u3400-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af]/;
const CJK_RUN = /[\u3400-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af]+/g;
const EMAIL = /[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}/g;
const WORD = /[a-z0-9\u00c0-\u024f]+/g;

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
    for (const email of text.match(EMAIL) ?? []) {
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
