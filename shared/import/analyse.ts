/**
 * One import, start to finish, without writing anything: read the file, map its columns
 * (recognised, or as the user or a saved mapping says), turn rows into validated records, group
 * rows of the same company, and find duplicates among the cards given. The extension runs this
 * in a worker; the admin CLI runs it in Node. Writing the plan is the caller's (store, server).
 */
import { findDuplicates } from './duplicates.ts';
import type { ImportResult } from './errors.ts';
import { detectExportFormat, mappingOfHeaders, type ExportFormatId } from './export-formats.ts';
import { cellText } from './cell-values.ts';
import { groupRecords } from './plan.ts';
import { readImportFile, type ReadOptions } from './read-file.ts';
import { checkMapping, recordsFromSheet } from './records.ts';
import type { DuplicateMatch, ExistingCard, HeaderCandidate, ImportNote, ImportRecord, Mapping, RawSheet, RowError, SourceKind } from './types.ts';

export interface Analysis {
  kind: SourceKind;
  /** The encoding a text file was read in. */
  encoding?: string;
  sheetName?: string;
  headers: string[];
  mapping: Mapping;
  /** A few data rows as read, for the mapping step (cells as text). */
  sample: string[][];
  notes: ImportNote[];
  /** Rows read (accepted and refused). */
  total: number;
  /** Accepted, one per company (rows of the same company grouped). */
  records: ImportRecord[];
  errors: RowError[];
  duplicates: DuplicateMatch[];
  /** Set when the mapping cannot be imported yet (no column names the customer). */
  mappingProblem?: 'no-name-column';
  /** CSV and XLSX: the row read as the header, and the rows the user may take instead. */
  headerRow?: number;
  candidates?: HeaderCandidate[];
  /** The known export the headers come from (Outlook, Google Contacts, …), if any. */
  format?: ExportFormatId;
  /** Columns that go nowhere, with how many rows have something in them: never dropped silently. */
  unmapped: UnmappedColumn[];
  /** Whether the unmapped columns are kept as a note on each card. */
  keepUnmapped: boolean;
}

export interface UnmappedColumn {
  /** 0-based column. */
  column: number;
  header: string;
  /** Rows with a value in this column. */
  filled: number;
}

export interface AnalyseOptions extends ReadOptions {
  /** The mapping to use; recognised from the headers when absent. */
  mapping?: Mapping;
  existing?: readonly ExistingCard[];
  /** Keep the text of unmapped columns as a note on each card. */
  keepUnmapped?: boolean;
}

/** The columns a mapping leaves out, each with how many rows fill it. */
export function unmappedColumns(sheet: RawSheet, mapping: Mapping): UnmappedColumn[] {
  const out: UnmappedColumn[] = [];
  sheet.headers.forEach((header, column) => {
    if (mapping[column]) return;
    const filled = sheet.rows.filter((row) => cellText(row.cells[column] ?? null) !== '').length;
    if (filled > 0 || header) out.push({ column, header, filled });
  });
  return out;
}

// Numbers as written (13800138000, never 1.38e+10), dates as YYYY-MM-DD.
const sampleText = (cell: RawSheet['rows'][number]['cells'][number] | undefined) => cellText(cell ?? null);

export async function analyseImport(bytes: Uint8Array, fileName: string, options: AnalyseOptions = {}): Promise<ImportResult<Analysis>> {
  const read = await readImportFile(bytes, fileName, options);
  if (!read.ok) return read;
  if (read.value.kind === 'vcf') {
    const { vcards, encoding } = read.value;
    const records = groupRecords(vcards.records);
    return {
      ok: true,
      value: { kind: 'vcf', encoding, headers: [], mapping: [], sample: [], notes: [], total: vcards.total, records, errors: vcards.errors, duplicates: findDuplicates(records, options.existing ?? []), unmapped: [], keepUnmapped: false },
    };
  }
  const { sheet } = read.value;
  const named = sheet.headers.filter(Boolean);
  if (new Set(named).size < named.length) sheet.notes.push({ code: 'duplicate-header' });
  if (sheet.headers.some((header, i) => !header && sheet.rows.some((row) => row.cells[i] !== null && row.cells[i] !== undefined))) sheet.notes.push({ code: 'blank-header' });
  const guessed = options.mapping ? { mapping: options.mapping, format: detectExportFormat(sheet.headers) } : mappingOfHeaders(sheet.headers);
  const mapping = guessed.mapping;
  if (guessed.format) sheet.notes.push({ code: 'export-format', params: { format: guessed.format } });
  const keepUnmapped = options.keepUnmapped === true;
  const checked = checkMapping(mapping, sheet.headers);
  const base = {
    kind: sheet.kind,
    headers: sheet.headers,
    mapping,
    sample: sheet.rows.slice(0, 5).map((row) => sheet.headers.map((_, i) => sampleText(row.cells[i]))),
    notes: sheet.notes,
    total: sheet.rows.length,
    ...(sheet.encoding ? { encoding: sheet.encoding } : {}),
    ...(sheet.sheetName ? { sheetName: sheet.sheetName } : {}),
    ...(guessed.format ? { format: guessed.format } : {}),
    headerRow: sheet.headerRow,
    candidates: sheet.candidates,
    unmapped: unmappedColumns(sheet, mapping),
    keepUnmapped,
  };
  // Without a name column the user must map one first: show the columns, import nothing.
  if (!checked.ok) return checked.code === 'no-name-column' ? { ok: true, value: { ...base, records: [], errors: [], duplicates: [], mappingProblem: 'no-name-column' } } : checked;
  const { records: rows, errors } = recordsFromSheet(sheet, mapping, { keepUnmapped });
  const records = groupRecords(rows);
  return { ok: true, value: { ...base, records, errors, duplicates: findDuplicates(records, options.existing ?? []) } };
}

/** The refused rows as a CSV the user can download and fix (row, column, value, reason). */
export function errorsCsvRows(errors: readonly RowError[]): string[][] {
  return [['row', 'column', 'value', 'reason'], ...errors.map((e) => [String(e.row), e.column, e.value, e.reason])];
}
