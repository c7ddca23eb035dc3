/**
 * The UI's two languages. `translate` looks a key up in the chosen language and fills {params};
 * `resolveLanguage` follows the browser unless the user chose a language in the settings.
 */
import type { AppError } from '../../shared/errors.ts';
import type { Label } from '../../shared/fields.ts';
import { en, type MessageKey } from './en.ts';
import { zhCN } from './zh-CN.ts';
import { LOCAL_ACTOR } from '../store/local-actor.ts';

export type Language = 'en' | 'zh-CN';
export type LanguageSetting = Language | 'auto';
export type { MessageKey };

const dictionaries: Record<Language, Record<MessageKey, string>> = { en, 'zh-CN': zhCN };

export function resolveLanguage(setting: LanguageSetting | undefined, browserLanguage: string): Language {
  if (setting === 'en' || setting === 'zh-CN') return setting;
  return browserLanguage.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

export function translate(language: Language, key: MessageKey, params: Record<string, string | number> = {}): string {
  // A key neither language has (a cast from data) shows as itself: never an exception in a render.
  const template = dictionaries[language][key] ?? en[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}

export function errorMessage(language: Language, error: AppError): string {
  return translate(language, `errors.${error.code}` as MessageKey, error.params ?? {});
}

export function labelOf(language: Language, label: Label): string {
  return language === 'zh-CN' ? label.zh : label.en;
}

/**
 * An owner or author as a person reads it: the device's own user before sign-in (records name
 * LOCAL_ACTOR) as "you", nobody as a dash.
 */
export function personName(language: Language, name: string): string {
  if (!name) return '—';
  if (name === LOCAL_ACTOR) return language === 'zh-CN' ? '我' : 'you';
  return name;
}

// Formatters are made once per language: making one costs ~0.1 ms, and the register formats
// thousands of dates and amounts per render.
const dateFormats = new Map<Language, Intl.DateTimeFormat>();
const moneyFormats = new Map<Language, Intl.NumberFormat>();

export function formatDate(language: Language, epochMs: number): string {
  let format = dateFormats.get(language);
  if (!format) dateFormats.set(language, (format = new Intl.DateTimeFormat(language, { year: 'numeric', month: 'short', day: 'numeric' })));
  return format.format(new Date(epochMs));
}

export function formatMoney(language: Language, amount: number): string {
  let format = moneyFormats.get(language);
  if (!format) moneyFormats.set(language, (format = new Intl.NumberFormat(language, { maximumFractionDigits: 2 })));
  return format.format(amount);
}

/** "3 days ago" / "3天前", in the UI language. */
export function formatRelative(language: Language, epochMs: number, now: number): string {
  const days = Math.round((epochMs - now) / 86_400_000);
  return new Intl.RelativeTimeFormat(language, { numeric: 'auto' }).format(days, 'day');
}
