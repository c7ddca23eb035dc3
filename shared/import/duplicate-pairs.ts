/**
 * Pairs of existing cards that are probably one customer kept twice: the same 统一编号, a
 * person's email address on both, the same company email domain (never a free-mail one), or
 * the same name once the company form is set aside — written the same way, one name inside
 * the other (深圳华星电子有限公司 and 华星电子), or sounding the same in pinyin (华信贸易 and
 * "Huaxin Trading Co.", 华信 and 华新). Words every company has (公司, 有限, 贸易, Trading…) never
 * make a pair by themselves. The import's own matching (duplicates.ts) shares the normalisers.
 */
import { isFreeMailDomain } from '../email.ts';
import type { PinyinConverter } from '../pinyin.ts';
import { normaliseBusinessNumber, normaliseName } from './duplicates.ts';

export type PairReason = 'business-number' | 'email' | 'domain' | 'name' | 'pinyin';

/** What the finder reads of a card (an index row has all of it). */
export interface PairCandidate {
  id: string;
  name: string;
  emails: readonly string[];
  domains: readonly string[];
  businessNumber?: string;
}

export interface DuplicatePair {
  /** The two cards' ids, `a` < `b`. */
  a: string;
  b: string;
  /** Why they look alike, strongest first. */
  reasons: PairReason[];
}

const REASON_ORDER: readonly PairReason[] = ['business-number', 'email', 'domain', 'name', 'pinyin'];

/** Company forms, longest first so 股份有限公司 goes before 有限公司. */
const CJK_FORMS = ['股份有限公司', '有限责任公司', '集团有限公司', '有限公司', '分公司', '总公司', '公司', '集团', '商行'];
const LATIN_FORMS = new Set(['co', 'company', 'ltd', 'limited', 'inc', 'incorporated', 'llc', 'corp', 'corporation', 'gmbh', 'plc', 'group', 'the', 'and']);
/** Words that describe a trade, not one company: a name made only of these pairs with nothing. */
const CJK_COMMON = ['进出口', '贸易', '商贸', '电子', '科技', '国际', '实业', '发展', '工业', '机械', '有限', '公司', '集团', '股份', '责任', '技术', '信息', '网络', '电器', '服装', '食品', '建材', '化工', '物流', '控股', '投资', '管理', '咨询', '服务', '中国', '制造', '工贸', '百货', '文化', '传媒'];
const LATIN_COMMON = new Set(['trading', 'trade', 'electronics', 'electronic', 'technology', 'technologies', 'tech', 'international', 'industrial', 'industries', 'industry', 'import', 'export', 'holdings', 'holding', 'services', 'service', 'china', 'global', 'logistics', 'manufacturing', 'development', 'investment', 'consulting', 'management', 'food', 'foods']);

/** More cards than this sharing one key (a big group's domain) are a family, not duplicates. */
const MAX_GROUP = 12;
/** Shortest distinctive part that pairs: two Chinese characters, or four Latin letters. */
const MIN_CJK = 2;
const MIN_LATIN = 4;
/** Shortest name found inside another: 华星电子 in 深圳华星电子, but not a bare city (深圳) in every Shenzhen company. */
const MIN_INNER = 4;

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;

/** The name with company forms and punctuation taken off: 深圳华星电子有限公司 → 深圳华星电子. */
export function nameCore(name: string): string {
  let core = normaliseName(name);
  for (let changed = true; changed; ) {
    changed = false;
    for (const form of CJK_FORMS) {
      if (core.endsWith(form) && core.length > form.length) {
        core = core.slice(0, -form.length);
        changed = true;
      }
    }
  }
  if (CJK.test(core)) return core;
  const words = name.normalize('NFKC').toLowerCase().split(/[^a-z0-9]+/).filter((w) => w && !LATIN_FORMS.has(w));
  return words.join(' ');
}

/** What is left of a core once the trade words are gone: 华星电子 → 华星; "huaxin trading" → "huaxin". */
export function distinctivePart(core: string): string {
  if (CJK.test(core)) {
    let rest = core;
    for (const word of CJK_COMMON) rest = rest.split(word).join('');
    return rest;
  }
  return core.split(' ').filter((w) => !LATIN_COMMON.has(w)).join('');
}

function distinctiveEnough(part: string): boolean {
  return CJK.test(part) ? Array.from(part).length >= MIN_CJK : part.length >= MIN_LATIN;
}

/** The toneless pinyin of a distinctive Chinese part (华信 → huaxin), or the Latin part itself. */
function soundOf(part: string, convert: PinyinConverter | undefined): string {
  if (!CJK.test(part)) return part;
  if (!convert) return '';
  const syllables = convert(part);
  return syllables.every((s) => /^[a-zü]+$/.test(s)) ? syllables.join('').replace(/ü/g, 'v') : '';
}

/**
 * Every pair of `cards` that look like one customer, strongest reason first, then by name.
 * `convert` (pinyin-pro's, shared/pinyin-convert.ts) enables the pinyin comparison.
 */
export function findDuplicatePairs(cards: readonly PairCandidate[], convert?: PinyinConverter): DuplicatePair[] {
  const pairs = new Map<string, DuplicatePair>();
  const add = (x: string, y: string, reason: PairReason) => {
    if (x === y) return;
    const [a, b] = x < y ? [x, y] : [y, x];
    const key = `${a}\u0000${b}`;
    const pair = pairs.get(key) ?? { a, b, reasons: [] };
    if (!pair.reasons.includes(reason)) pair.reasons.push(reason);
    pairs.set(key, pair);
  };
  const groups = new Map<string, string[]>();
  const group = (key: string, id: string) => {
    const list = groups.get(key) ?? [];
    if (!list.includes(id)) list.push(id);
    groups.set(key, list);
  };
  const cores = new Map<string, string[]>();
  for (const card of cards) {
    if (card.businessNumber) {
      const number = normaliseBusinessNumber(card.businessNumber);
      if (number.length >= 6) group(`business-number\u0000${number}`, card.id);
    }
    for (const email of card.emails) if (email.includes('@')) group(`email\u0000${email.toLowerCase()}`, card.id);
    for (const domain of card.domains) if (domain && !isFreeMailDomain(domain)) group(`domain\u0000${domain.toLowerCase()}`, card.id);
    const core = nameCore(card.name);
    const part = distinctivePart(core);
    if (!distinctiveEnough(part)) continue;
    group(`name\u0000${core}`, card.id);
    const sound = soundOf(part, convert);
    if (sound.length >= MIN_LATIN) group(`pinyin\u0000${sound}`, card.id);
    const list = cores.get(core) ?? [];
    list.push(card.id);
    cores.set(core, list);
  }
  for (const [key, ids] of groups) {
    if (ids.length < 2 || ids.length > MAX_GROUP) continue;
    const reason = key.slice(0, key.indexOf('\u0000')) as PairReason;
    for (let i = 0; i < ids.length; i++) for (let j = i + 1; j < ids.length; j++) add(ids[i]!, ids[j]!, reason);
  }
  // One Chinese name inside another (a city or a trade word before or after): 华星电子 in 深圳华星电子.
  for (const [core, ids] of cores) {
    if (!CJK.test(core)) continue;
    const chars = Array.from(core);
    for (let start = 0; start < chars.length; start++) {
      for (let end = start + MIN_INNER; end <= chars.length; end++) {
        if (end - start === chars.length) continue;
        const inner = cores.get(chars.slice(start, end).join(''));
        if (!inner || inner.length > MAX_GROUP) continue;
        for (const x of ids) for (const y of inner) add(x, y, 'name');
      }
    }
  }
  const order = (p: DuplicatePair) => Math.min(...p.reasons.map((r) => REASON_ORDER.indexOf(r)));
  const list = [...pairs.values()];
  for (const pair of list) pair.reasons.sort((x, y) => REASON_ORDER.indexOf(x) - REASON_ORDER.indexOf(y));
  const names = new Map(cards.map((card) => [card.id, card.name]));
  return list.sort((x, y) => order(x) - order(y) || (names.get(x.a) ?? '').localeCompare(names.get(y.a) ?? '') || x.a.localeCompare(y.a));
}
