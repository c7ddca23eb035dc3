/**
 * The one module that loads pinyin-pro (its dictionary is ~143 KB gzipped): loaded on demand by
 * shared/pinyin.ts (`ensurePinyin`), so a page that never builds a row with a new Chinese name
 * (the side panel, usually) never loads it.
 */
import { pinyin } from 'pinyin-pro';

/** One toneless syllable per character of `text` (a non-Chinese character stays as it is). */
export function toSyllables(text: string): string[] {
  return pinyin(text, { toneType: 'none', type: 'array', v: true, nonZh: 'consecutive' }).map((s) => s.toLowerCase());
}
