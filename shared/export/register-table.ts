/**
 * The register as a table for export: one line per customer with the catalogue's fields (those
 * any exported card has), the first person's name, email, phones and title, and the register's
 * own columns (ABC class, stage, last contact, receivables). Headers are the fields' labels in
 * the user's language, which the importer recognises, so an export imports back into the same
 * cards. Sensitive fields (bank account …) are left out unless the user includes them.
 */
import type { CardIndexRow, CardView, FieldValue } from '../card-types.ts';
import { FIELDS, type FieldDef, type Label } from '../fields.ts';
import type { OutCell } from './csv-write.ts';

export type ExportLanguage = 'en' | 'zh-CN';

export interface ExportOptions {
  language: ExportLanguage;
  includeSensitive: boolean;
}

/** What the register's own columns take from a card's index row. */
export type RegisterFacts = Pick<CardIndexRow, 'abc' | 'lastContact' | 'receivables'>;

export interface ExportColumn {
  key: string;
  label: Label;
  type: 'text' | 'number' | 'date';
  sensitive: boolean;
  value: (card: CardView, facts: RegisterFacts | undefined) => OutCell;
}

const yesNo = (language: ExportLanguage, value: boolean) => (language === 'zh-CN' ? (value ? '是' : '否') : value ? 'yes' : 'no');

function fieldCell(def: FieldDef, value: FieldValue | undefined, language: ExportLanguage): OutCell {
  if (value === undefined || value === null) return null;
  if (Array.isArray(value)) return value.join(', ');
  if (typeof value === 'boolean') return yesNo(language, value);
  if (def.type === 'enum') {
    const option = def.options?.find((o) => o.value === value);
    return option ? (language === 'zh-CN' ? option.label.zh : option.label.en) : String(value);
  }
  return value;
}

const columnType = (def: FieldDef): ExportColumn['type'] => (def.type === 'number' || def.type === 'money' ? 'number' : def.type === 'date' ? 'date' : 'text');

const isoDay = (epochMs: number) => (epochMs > 0 ? new Date(epochMs).toISOString().slice(0, 10) : null);

export function exportColumns(language: ExportLanguage): ExportColumn[] {
  const fieldColumns: ExportColumn[] = FIELDS.map((def) => ({
    key: def.key,
    label: def.label,
    type: columnType(def),
    sensitive: def.sensitive === true,
    value: (card) => fieldCell(def, card.fields[def.key], language),
  }));
  const person = (label: Label, key: string, read: (card: CardView) => OutCell): ExportColumn => ({ key, label, type: 'text', sensitive: false, value: read });
  const first = (card: CardView) => card.contacts[0];
  const profile = (card: CardView, key: string) => {
    const value = first(card)?.profile[key];
    return typeof value === 'string' || typeof value === 'number' ? value : null;
  };
  return [
    ...fieldColumns,
    person({ en: 'Contact', zh: '联系人' }, 'contact.name', (card) => first(card)?.name || null),
    person({ en: 'Email', zh: '邮箱' }, 'contact.email', (card) => first(card)?.email || null),
    person({ en: 'Contact phone', zh: '联系电话' }, 'contact.phone', (card) => first(card)?.phone || null),
    person({ en: 'Mobile', zh: '手机' }, 'contact.mobile', (card) => profile(card, 'mobile')),
    person({ en: 'Title', zh: '职务' }, 'contact.title', (card) => profile(card, 'title')),
    { key: 'register.abc', label: { en: 'Class now', zh: '当前分类' }, type: 'text', sensitive: false, value: (_, row) => row?.abc || null },
    { key: 'register.lastContact', label: { en: 'Last contact', zh: '最近联系' }, type: 'date', sensitive: false, value: (_, row) => (row ? isoDay(row.lastContact) : null) },
    { key: 'register.receivables', label: { en: 'Receivables', zh: '应收账款' }, type: 'number', sensitive: false, value: (_, row) => (row && row.receivables ? Math.round(row.receivables * 100) / 100 : null) },
  ];
}

export interface ExportTable {
  columns: ExportColumn[];
  header: string[];
  rows: OutCell[][];
  /** Sensitive columns that had data and were left out (for the warning). */
  leftOut: string[];
}

/** One card's line: a value for every column of `columns` (exportColumns), used or not. */
export function registerLine(card: CardView, facts: RegisterFacts | undefined, columns: readonly ExportColumn[]): OutCell[] {
  return columns.map((column) => column.value(card, facts));
}

/**
 * Lines of registerLine as a table: columns with data in at least one line (the name always),
 * sensitive ones only if asked.
 */
export function tableOfLines(lines: readonly OutCell[][], columns: readonly ExportColumn[], options: ExportOptions): ExportTable {
  const used = columns.map((_, i) => lines.some((line) => line[i] !== null && line[i] !== ''));
  const leftOut: string[] = [];
  const keep = columns.map((column, i) => {
    if (!used[i] && column.key !== 'name') return false;
    if (column.sensitive && !options.includeSensitive) {
      leftOut.push(options.language === 'zh-CN' ? column.label.zh : column.label.en);
      return false;
    }
    return true;
  });
  const kept = columns.filter((_, i) => keep[i]);
  return {
    columns: kept,
    header: kept.map((column) => (options.language === 'zh-CN' ? column.label.zh : column.label.en)),
    rows: lines.map((line) => line.filter((_, i) => keep[i])),
    leftOut,
  };
}

/** The cards as a table (tableOfLines of their lines). */
export function registerTable(cards: readonly CardView[], facts: ReadonlyMap<string, RegisterFacts>, options: ExportOptions): ExportTable {
  const columns = exportColumns(options.language);
  return tableOfLines(
    cards.map((card) => registerLine(card, facts.get(card.id), columns)),
    columns,
    options,
  );
}

/** Whether any card's sensitive fields hold data (the export asks before including them). */
export function sensitiveKeys(): string[] {
  return FIELDS.filter((def) => def.sensitive).map((def) => def.key);
}
