/**
 * The data an import passes from stage to stage, shared by the extension (a worker) and the
 * admin CLI: a file's table (RawSheet) → records in the field catalogue's terms (ImportRecord)
 * with row errors → duplicate matches → a plan of cards to create and cards to fill. Every
 * shape here is plain data (structured-cloneable), so it crosses a worker boundary as is.
 */
import type { FieldValue } from '../card-types.ts';

/** One cell as a reader gives it: text, number, boolean, a date (Excel date cells), or empty. */
export type Cell = string | number | boolean | Date | null;

export interface RawRow {
  /** The row number as the spreadsheet shows it (the header is row 1). */
  row: number;
  cells: Cell[];
}

/** Something the reader noticed and the user should know; never an error by itself. */
export interface ImportNote {
  code: 'merged-header' | 'empty-rows' | 'formulas' | 'other-sheets' | 'duplicate-header' | 'blank-header' | 'header-row' | 'rows-above' | 'totals-rows' | 'notes-below' | 'export-format';
  params?: Record<string, string | number>;
}

export type SourceKind = 'xlsx' | 'csv' | 'vcf';

/** A row that could be the header, for the user to pick another one (table-find.ts). */
export interface HeaderCandidate {
  row: number;
  /** Its cells' texts, joined and shortened. */
  text: string;
}

export interface RawSheet {
  kind: SourceKind;
  headers: string[];
  rows: RawRow[];
  notes: ImportNote[];
  /** CSV: the encoding used to read it ('utf-8', 'utf-8-bom', 'gbk', 'gb18030'). */
  encoding?: string;
  sheetName?: string;
  /** The row read as the header (its number as the sheet shows it). */
  headerRow: number;
  /** The first non-empty rows of the sheet, any of which the user may take as the header. */
  candidates: HeaderCandidate[];
}

/**
 * Where a column goes: a card field key of the catalogue ('name', 'city', …), a person's key
 * ('contact.name', 'contact.email', 'contact.phone', 'contact.mobile', 'contact.title'),
 * 'note' (a timeline note), or '' (ignored).
 */
export type Target = string;

/** One target per column, in column order. */
export type Mapping = Target[];

export interface ImportContact {
  name: string;
  email: string;
  phone: string;
  /** Other keys of the person (mobile, title, birth date…), validated with the contact catalogue. */
  profile: Record<string, FieldValue>;
}

/** One accepted row in the catalogue's terms. */
export interface ImportRecord {
  row: number;
  /** Card fields by key (validated and normalised); `name` always present; `domains` a list. */
  fields: Record<string, FieldValue>;
  contacts: ImportContact[];
  note?: string;
  /** Where the customer's name came from: a company column, the person's email domain, the person. */
  nameFrom?: 'company' | 'domain' | 'person';
  /** After grouping (plan.ts): every row of the file in this customer, and what joined them. */
  rows?: number[];
  groupedBy?: 'business-number' | 'company' | 'domain';
}

/** One refused row (or cell), as the user sees it in the sheet. */
export interface RowError {
  row: number;
  /** The column's header as written in the file ('' for the whole row). */
  column: string;
  value: string;
  /** A stable kebab-case reason (translated by the UI) and an English sentence. */
  code: string;
  reason: string;
}

export type MatchKey = 'business-number' | 'email' | 'domain' | 'name';

/** What the importer knows of an existing card to find duplicates. */
export interface ExistingCard {
  id: string;
  name: string;
  emails: string[];
  domains: string[];
  businessNumber?: string;
}

export interface DuplicateMatch {
  row: number;
  cardId: string;
  cardName: string;
  by: MatchKey;
}

export type DuplicateChoice = 'skip' | 'fill' | 'create';

/** What an import will do: cards to create, existing cards to fill, rows skipped. */
export interface ImportPlan {
  fileName: string;
  /** The reason recorded in filled cards' history: "import <file>". */
  reason: string;
  creates: ImportRecord[];
  fills: { cardId: string; record: ImportRecord }[];
  skipped: number[];
}
