/**
 * Reads a CSV (any delimiter papaparse detects: comma, semicolon, tab) into a RawSheet. The
 * header is the first non-empty line; a record's row number is its position as a spreadsheet
 * shows it (a quoted cell with line breaks is still one row), so row 1 is the header. An
 * apostrophe our own export put before a formula character (csv-write.ts) is removed again.
 */
import Papa from 'papaparse';
import { unescapeFormula } from '../export/csv-write.ts';
import { IMPORT_LIMITS, importError, type ImportResult } from './errors.ts';
import type { Cell, ImportNote, RawRow, RawSheet } from './types.ts';

const isEmptyRow = (cells: readonly Cell[]) => cells.every((cell) => cell === null || (typeof cell === 'string' && cell.trim() === ''));

export function sheetFromCsvText(text: string, encoding: string): ImportResult<RawSheet> {
  const parsed = Papa.parse<string[]>(text, { header: false, skipEmptyLines: false });
  const records = parsed.data;
  const headerIndex = records.findIndex((cells) => !isEmptyRow(cells));
  if (headerIndex < 0) return importError('no-header', 'The file has no header line');
  // Columns past the limit are not read (as in xlsx-read.ts).
  const headerCells = records[headerIndex]!.slice(0, IMPORT_LIMITS.maxColumns);
  const rows: RawRow[] = [];
  let empty = 0;
  for (let i = headerIndex + 1; i < records.length; i++) {
    const cells = records[i]!;
    if (isEmptyRow(cells)) {
      // Papaparse reports the final newline as one empty record: not a row the user sees.
      if (i < records.length - 1) empty++;
      continue;
    }
    rows.push({ row: i + 1, cells: cells.slice(0, IMPORT_LIMITS.maxColumns).map((cell) => (cell.trim() === '' ? null : unescapeFormula(cell))) });
    if (rows.length > IMPORT_LIMITS.maxRows) {
      const total = records.length - headerIndex - 1;
      return importError('too-many-rows', `The file has about ${total} rows; at most ${IMPORT_LIMITS.maxRows} can be imported at once. Split it into smaller files.`, { rows: total, max: IMPORT_LIMITS.maxRows });
    }
  }
  const notes: ImportNote[] = [];
  if (empty > 0) notes.push({ code: 'empty-rows', params: { count: empty } });
  return { ok: true, value: { kind: 'csv', headers: headerCells.map((cell) => cell.trim()), rows, notes, encoding } };
}
