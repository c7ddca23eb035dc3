/**
 * Reading one cell as the value a field expects, before the catalogue validates it:
 * Excel dates (Date cells, serial numbers) and written dates (2026/3/5, 2026年3月5日) become
 * 'YYYY-MM-DD'; numbers written with thousands separators, currency signs, 万 or % become
 * numbers; 是/否, yes/no become booleans; enum values may be written as their label in either
 * language; lists split on , ; 、 and spaces. What cannot be read is left as text, so the
 * catalogue's validation gives the reason.
 */
import type { FieldValue } from '../card-types.ts';
import type { FieldDef, FieldType } from '../fields.ts';
import type { Cell } from './types.ts';

const pad = (n: number) => String(n).padStart(2, '0');

function isoOfParts(year: number, month: number, day: number): string | undefined {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return `${year}-${pad(month)}-${pad(day)}`;
}

/** Excel's serial day number (1900 system, with its phantom 29 Feb 1900) as an ISO date. */
export function isoOfExcelSerial(serial: number): string | undefined {
  if (!Number.isFinite(serial) || serial < 1 || serial > 2_958_465) return undefined;
  const epoch = Date.UTC(1899, 11, 30);
  const date = new Date(epoch + Math.floor(serial) * 86_400_000);
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

/** exceljs gives date cells as UTC instants of the written day. */
export function isoOfDate(date: Date): string {
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

/** A written date as ISO; day-first or month-first forms are refused as ambiguous. */
export function isoOfText(text: string): string | undefined {
  const t = text.trim().normalize('NFKC');
  const ymd = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T].*)?$/.exec(t);
  if (ymd) return isoOfParts(Number(ymd[1]), Number(ymd[2]), Number(ymd[3]));
  const compact = /^(\d{4})(\d{2})(\d{2})$/.exec(t);
  if (compact) return isoOfParts(Number(compact[1]), Number(compact[2]), Number(compact[3]));
  return undefined;
}

/** A written number: "1,234.50", "￥1 234", "12.5万", "30%". NaN when it is not one. */
export function numberOfText(text: string): number {
  let t = text.trim().normalize('NFKC').replace(/[¥￥$€£]|RMB|CNY|USD|EUR|元/gi, '').replace(/[,\s']/g, '');
  let factor = 1;
  if (t.endsWith('%')) t = t.slice(0, -1);
  if (t.endsWith('万')) {
    factor = 10_000;
    t = t.slice(0, -1);
  } else if (t.endsWith('亿')) {
    factor = 100_000_000;
    t = t.slice(0, -1);
  }
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t)) return Number.NaN;
  return Number(t) * factor;
}

const YES = new Set(['是', '对', '有', 'y', 'yes', 'true', '1', '√', '✓', 'x', '重点']);
const NO = new Set(['否', '不', '无', '没有', 'n', 'no', 'false', '0', '']);

/** A number cell as text, without Excel's float noise or exponent (13800138000, not 1.38e10). */
export function textOfNumber(value: number): string {
  // String() writes integers below 1e21 without an exponent, and far faster than Intl.
  if (Number.isInteger(value) && Math.abs(value) < 1e21) return String(value);
  if (Number.isInteger(value)) return value.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 0 });
  return String(Math.round(value * 1e9) / 1e9);
}

export function cellText(cell: Cell): string {
  if (cell === null) return '';
  if (cell instanceof Date) return isoOfDate(cell);
  if (typeof cell === 'number') return textOfNumber(cell);
  return String(cell).trim();
}

function enumValue(def: FieldDef, text: string): string {
  const wanted = text.trim().toLowerCase();
  const option = def.options?.find((o) => o.value.toLowerCase() === wanted || o.label.en.toLowerCase() === wanted || o.label.zh === text.trim());
  return option ? option.value : text.trim();
}

/** The value for a field of `type` from a cell, before validation. */
export function valueForType(type: FieldType, cell: Cell, def?: FieldDef): FieldValue {
  if (cell === null) return null;
  switch (type) {
    case 'date':
      if (cell instanceof Date) return isoOfDate(cell);
      if (typeof cell === 'number') return isoOfExcelSerial(cell) ?? String(cell);
      return isoOfText(String(cell)) ?? String(cell).trim();
    case 'number':
    case 'money': {
      if (typeof cell === 'number') return cell;
      const text = cellText(cell);
      const number = numberOfText(text);
      return Number.isFinite(number) ? number : text;
    }
    case 'boolean': {
      if (typeof cell === 'boolean') return cell;
      const text = cellText(cell).toLowerCase();
      if (YES.has(text)) return true;
      if (NO.has(text)) return false;
      return text;
    }
    case 'list':
      return cellText(cell)
        .split(/[,;，；、\s]+/)
        .map((item) => item.trim())
        .filter(Boolean);
    case 'enum':
      return def ? enumValue(def, cellText(cell)) : cellText(cell);
    default:
      return cellText(cell);
  }
}
