/**
 * Pinyin search terms for Chinese names (华信贸易 → huaxinmaoyi, hxmy), kept in the index row's
 * `pinyin` field beside the texts they came from (`pinyinSource`). The converter (pinyin-pro) is
 * loaded where most rows are built (the server, the extension's worker); a row built where it is
 * not (a page: the side panel stays small) is stored with `pinyin` empty and the store fills in
 * those cards' terms just after (store/index-upkeep.ts), keeping those of unchanged names. The query side needs
 * no dictionary: a Latin query word matches these terms by prefix like any other word, so
 * `huaxin`, `hxmy`, `xinmao` find 华信贸易, and a character typed before pinyin (`华xin`) matches
 * the mixed terms (华xinmaoyi) by prefix (search-terms.ts queryTerms).
 */

export type PinyinConverter = (text: string) => string[];

let converter: PinyinConverter | undefined;
let loading: Promise<void> | undefined;

const CJK_RUN = /[\u3400-\u9fff\uf900-\ufaff]+/g;
/** Longest run of characters turned into suffix terms (names are short; notes are not pinyinised). */
const MAX_RUN = 16;

export function setPinyinConverter(next: PinyinConverter | undefined): void {
  converter = next;
}

export function pinyinLoaded(): boolean {
  return converter !== undefined;
}

/** Loads pinyin-pro once in this context. */
export function ensurePinyin(): Promise<void> {
  if (converter) return Promise.resolve();
  loading ??= import('./pinyin-convert.ts').then((mod) => {
    converter ??= mod.toSyllables;
  });
  return loading;
}

/** The texts of a card worth pinyin terms (those with Chinese characters), one per line. */
export function pinyinSourceOf(texts: readonly string[]): string {
  const out = new Set<string>();
  for (const text of texts) {
    const runs = text.normalize('NFKC').match(CJK_RUN);
    if (runs) for (const run of runs) out.add(run.slice(0, MAX_RUN));
  }
  return [...out].join('\n');
}

/**
 * The pinyin terms of a source (pinyinSourceOf): for every character of every run, the full
 * pinyin and the initials from that character to the run's end. '' when no converter is loaded.
 * About 75 µs a card for a new name; runs seen before are remembered.
 */
export function pinyinTermsOf(source: string, convert: PinyinConverter | undefined = converter): string {
  if (!source || !convert) return '';
  const out = new Set<string>();
  for (const run of source.split('\n')) for (const term of runTerms(run, convert)) out.add(term);
  return [...out].join('\n');
}

/** Runs repeat across cards (cities, company words): their terms are remembered. */
const memo = new Map<string, string[]>();
const MEMO_MAX = 20_000;

function runTerms(run: string, convert: PinyinConverter): string[] {
  const known = convert === converter ? memo.get(run) : undefined;
  if (known) return known;
  const chars = Array.from(run);
  const converted = convert(run);
  const aligned = converted.length === chars.length;
  const syllables = converted.filter((s) => /^[a-zü]+$/.test(s)).map((s) => s.replace(/ü/g, 'v'));
  const terms: string[] = [];
  for (let i = 0; i < syllables.length; i++) {
    const rest = syllables.slice(i);
    const full = rest.join('');
    const initials = rest.map((s) => s[0]).join('');
    if (full.length >= 2) terms.push(full.slice(0, 60));
    if (initials.length >= 2) terms.push(initials);
    // Mixed: a character and the pinyin after it (华xinmaoyi), for queries typed half in pinyin.
    if (aligned && syllables.length === chars.length && i + 1 < chars.length) terms.push(`${chars[i]!}${syllables.slice(i + 1).join('').slice(0, 60)}`);
  }
  if (convert === converter) {
    if (memo.size >= MEMO_MAX) memo.clear();
    memo.set(run, terms);
  }
  return terms;
}
