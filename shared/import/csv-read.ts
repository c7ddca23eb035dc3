/**
 * Reads a CSV (any delimiter papaparse detects: comma, semicolon, tab) into a RawSheet. The
 * table is found as a person would (table-find.ts: title and note lines above the header are
 * passed over, totals and notes below it left out); a record's row number is its position as
 * a spreadsheet shows it (a quoted cell with line breaks is still one row). An apostrophe our
 * own export put before a formula character (csv-write.ts) is removed again.
 */
import Papa from 'papaparse';
import { unescapeFormula } from '../export/csv-write.ts';
import { IMPORT_LIMITS, importError, type ImportResult } from './errors.ts';
import { findTable, type GridRow } from './table-find.ts';
import type { RawSheet } from './types.ts';

export function sheetFromCsvText(text: string, encoding: string, options: { headerRow?: number } = {}): ImportResult<RawSheet> {
  const parsed = Papa.parse<string[]>(text, { header: false, skipEmptyLines: false });
  const records = parsed.data;
  // Papaparse reports the final newline as one empty record: not a row the user sees.
  if (records.length > 0 && records.at(-1)!.every((cell) => cell.trim() === '')) records.pop();
  if (records.length - 1 > IMPORT_LIMITS.maxRows + 100) {
    const total = records.length - 1;
    return importError('too-many-rows', `The file has about ${total} rows; at most ${IMPORT_LIMITS.maxRows} can be imported at once. Split it into smaller files.`, { rows: total, max: IMPORT_LIMITS.maxRows });
  }
  // Columns past the limit are not read (as in xlsx-read.ts).
  const grid: GridRow[] = records.map((cells, i) => ({ row: i + 1, cells: cells.slice(0, IMPORT_LIMITS.maxColumns).map((cell) => (cell.trim() === '' ? null : unescapeFormula(cell))) }));
  const table = findTable(grid, options);
  if (!table.ok) return table.code === 'no-header' && options.headerRow === undefined ? importError('no-header', 'The file has no header line') : table;
  const { headerRow, headers, rows, notes, candidates } = table.value;
  return { ok: true, value: { kind: 'csv', headers: headers.map((header) => header.trim()), rows, notes, encoding, headerRow, candidates } };
}
