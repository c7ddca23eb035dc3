/**
 * One import, start to finish, without writing anything: read the file, map its columns
 * (recognised, or as the user or a saved mapping says), turn rows into validated records, group
 * rows of the same company, and find duplicates among the cards given. The extension runs this
 * in a worker; the admin CLI runs it in Node. Writing the plan is the caller's (store, server).
 */
import { findDuplicates } from './duplicates.ts';
import type { ImportResult } from './errors.ts';
import { guessMapping } from './headers.ts';
import { groupRecords } from './plan.ts';
import { readImportFile, type ReadOptions } from './read-file.ts';
import { checkMapping, recordsFromSheet } from './records.ts';
import type { DuplicateMatch, ExistingCard, ImportNote, ImportRecord, Mapping, RowError, SourceKind } from './types.ts';

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
}

export interface AnalyseOptions extends ReadOptions {
  /** The mapping to use; recognised from the headers when absent. */
  mapping?: Mapping;
  existing?: readonly ExistingCard[];
}

const sampleText = (cell: unknown) => (cell === null || cell === undefined ? '' : cell instanceof Date ? cell.toISOString().slice(0, 10) : String(cell));

export async function analyseImport(bytes: Uint8Array, fileName: string, options: AnalyseOptions = {}): Promise<ImportResult<Analysis>> {
  const read = await readImportFile(bytes, fileName, options);
  if (!read.ok) return read;
  if (read.value.kind === 'vcf') {
    const { vcards, encoding } = read.value;
    const records = groupRecords(vcards.records);
    return {
      ok: true,
      value: { kind: 'vcf', encoding, headers: [], mapping: [], sample: [], notes: [], total: vcards.total, records, errors: vcards.errors, duplicates: findDuplicates(records, options.existing ?? []) },
    };
  }
  const { sheet } = read.value;
  const named = sheet.headers.filter(Boolean);
  if (new Set(named).size < named.length) sheet.notes.push({ code: 'duplicate-header' });
  if (sheet.headers.some((header, i) => !header && sheet.rows.some((row) => row.cells[i] !== null && row.cells[i] !== undefined))) sheet.notes.push({ code: 'blank-header' });
  const mapping = options.mapping ?? guessMapping(sheet.headers);
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
  };
  // Without a name column the user must map one first: show the columns, import nothing.
  if (!checked.ok) return checked.code === 'no-name-column' ? { ok: true, value: { ...base, records: [], errors: [], duplicates: [], mappingProblem: 'no-name-column' } } : checked;
  const { records: rows, errors } = recordsFromSheet(sheet, mapping);
  const records = groupRecords(rows);
  return { ok: true, value: { ...base, records, errors, duplicates: findDuplicates(records, options.existing ?? []) } };
}

/** The refused rows as a CSV the user can download and fix (row, column, value, reason). */
export function errorsCsvRows(errors: readonly RowError[]): string[][] {
  return [['row', 'column', 'value', 'reason'], ...errors.map((e) => [String(e.row), e.column, e.value, e.reason])];
}
