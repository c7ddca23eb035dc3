/**
 * Reads the first worksheet with data of an .xlsx workbook (exceljs) into a RawSheet.
 * - Dates come as JS Dates (exceljs gives date-formatted cells as UTC dates), numbers as numbers.
 * - Formulas: their saved result is read; a formula with no saved result reads as empty and is
 *   reported (Excel saves results; some generators do not).
 * - A title line above the header (one merged cell across the table) is skipped; merged header
 *   cells spread their text over the columns they cover; a two-level header (a merged group
 *   heading over sub-headings) takes the sub-headings. Each case adds a note for the user.
 * exceljs is loaded on demand (it is large): only a worker or the admin CLI ever pulls it in.
 */
import { IMPORT_LIMITS, importError, type ImportResult } from './errors.ts';
import type { Cell, ImportNote, RawRow, RawSheet } from './types.ts';
import { declaredRows } from './xlsx-peek.ts';

type ExcelModule = typeof import('exceljs');
type Worksheet = import('exceljs').Worksheet;
type ExcelRow = import('exceljs').Row;

export async function loadExcel(): Promise<ExcelModule> {
  const mod = (await import('exceljs')) as ExcelModule & { default?: ExcelModule };
  return mod.default ?? mod;
}

interface CellRead {
  value: Cell;
  formula: boolean;
  missingResult: boolean;
}

/** One exceljs cell value as a plain Cell. */
export function plainCell(raw: unknown): CellRead {
  if (raw === null || raw === undefined) return { value: null, formula: false, missingResult: false };
  if (typeof raw === 'string') return { value: raw.trim() === '' ? null : raw, formula: false, missingResult: false };
  if (typeof raw === 'number' || typeof raw === 'boolean') return { value: raw, formula: false, missingResult: false };
  if (raw instanceof Date) return { value: Number.isNaN(raw.getTime()) ? null : raw, formula: false, missingResult: false };
  if (typeof raw === 'object') {
    const object = raw as Record<string, unknown>;
    if ('formula' in object || 'sharedFormula' in object) {
      const result = object.result;
      if (result === undefined || result === null) return { value: null, formula: true, missingResult: true };
      if (typeof result === 'object' && result !== null && 'error' in result) return { value: String((result as { error: unknown }).error), formula: true, missingResult: false };
      return { ...plainCell(result), formula: true };
    }
    if (Array.isArray(object.richText)) {
      const text = (object.richText as { text?: unknown }[]).map((part) => (typeof part.text === 'string' ? part.text : '')).join('');
      return { value: text.trim() === '' ? null : text, formula: false, missingResult: false };
    }
    if (typeof object.text === 'string') return { value: object.text, formula: false, missingResult: false };
    if ('error' in object) return { value: String(object.error), formula: false, missingResult: false };
  }
  return { value: null, formula: false, missingResult: false };
}

const cellText = (value: Cell) => (value === null ? '' : value instanceof Date ? value.toISOString().slice(0, 10) : String(value).trim());

function rowValues(row: ExcelRow, columns: number): CellRead[] {
  const out: CellRead[] = [];
  for (let c = 1; c <= columns; c++) out.push(plainCell(row.getCell(c).value));
  return out;
}

/** The master cell's column for each merged cell of a row (1-based), or undefined. */
function mergedFrom(row: ExcelRow, columns: number): (number | undefined)[] {
  const out: (number | undefined)[] = [];
  for (let c = 1; c <= columns; c++) {
    const cell = row.getCell(c);
    out.push(cell.isMerged && cell.master.address !== cell.address ? Number(cell.master.col) : undefined);
  }
  return out;
}

function sheetHasData(sheet: Worksheet): boolean {
  return sheet.actualRowCount > 0;
}

export async function sheetFromXlsx(bytes: Uint8Array): Promise<ImportResult<RawSheet>> {
  // A sheet far over the limit is refused from its declared size, before it is loaded.
  const declared = await declaredRows(bytes);
  if (declared !== undefined && declared - 1 > IMPORT_LIMITS.maxRows) {
    return importError('too-many-rows', `The sheet has ${declared - 1} rows; at most ${IMPORT_LIMITS.maxRows} can be imported at once. Split it into smaller files.`, { rows: declared - 1, max: IMPORT_LIMITS.maxRows });
  }
  const Excel = await loadExcel();
  const workbook = new Excel.Workbook();
  try {
    await workbook.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  } catch (error) {
    return importError('not-xlsx', `This file cannot be read as an Excel workbook (.xlsx): ${error instanceof Error ? error.message.slice(0, 120) : 'unreadable'}`);
  }
  const withData = workbook.worksheets.filter(sheetHasData);
  const sheet = withData[0];
  if (!sheet) return importError('no-header', 'The workbook has no sheet with data');
  const notes: ImportNote[] = [];
  if (withData.length > 1) notes.push({ code: 'other-sheets', params: { sheet: sheet.name, count: withData.length - 1 } });
  const lastRow = sheet.rowCount;
  const columns = Math.min(sheet.columnCount, IMPORT_LIMITS.maxColumns);
  if (sheet.actualRowCount - 1 > IMPORT_LIMITS.maxRows) {
    return importError('too-many-rows', `The sheet "${sheet.name}" has ${sheet.actualRowCount - 1} rows; at most ${IMPORT_LIMITS.maxRows} can be imported at once. Split it into smaller files.`, { rows: sheet.actualRowCount - 1, max: IMPORT_LIMITS.maxRows });
  }

  // The header: the first non-empty row, unless it is a title (one text over the table).
  let headerRow = 1;
  while (headerRow <= lastRow && rowValues(sheet.getRow(headerRow), columns).every((cell) => cell.value === null)) headerRow++;
  if (headerRow > lastRow) return importError('no-header', 'The sheet has no header row');
  const distinct = (r: number) => new Set(rowValues(sheet.getRow(r), columns).map((cell) => cellText(cell.value)).filter(Boolean)).size;
  if (distinct(headerRow) === 1 && headerRow < lastRow && distinct(headerRow + 1) >= 2) headerRow++;

  const top = sheet.getRow(headerRow);
  const topMerged = mergedFrom(top, columns);
  let headers = rowValues(top, columns).map((cell) => cellText(cell.value));
  const topTexts = [...headers];
  headers = headers.map((text, i) => (topMerged[i] !== undefined ? topTexts[topMerged[i]! - 1] ?? text : text));
  let firstData = headerRow + 1;
  const mergedColumns = topMerged.filter((from) => from !== undefined).length;
  if (mergedColumns > 0) {
    // A group heading merged over sub-headings: the row below names the columns under it.
    const below = rowValues(sheet.getRow(headerRow + 1), columns);
    const groupColumns = topMerged.map((from, i) => (from !== undefined ? [from - 1, i] : [])).flat();
    const subHeadings = groupColumns.every((i) => typeof below[i]?.value === 'string');
    if (subHeadings && groupColumns.length > 0) {
      headers = headers.map((text, i) => (groupColumns.includes(i) ? cellText(below[i]!.value) || text : text));
      // Columns merged vertically over both header rows keep the top text.
      firstData = headerRow + 2;
      notes.push({ code: 'merged-header', params: { columns: groupColumns.length, twoRows: 1 } });
    } else {
      notes.push({ code: 'merged-header', params: { columns: mergedColumns, twoRows: 0 } });
    }
  }

  const rows: RawRow[] = [];
  let empty = 0;
  let formulas = 0;
  let missing = 0;
  for (let r = firstData; r <= lastRow; r++) {
    const values = rowValues(sheet.getRow(r), columns);
    if (values.every((cell) => cell.value === null && !cell.missingResult)) {
      empty++;
      continue;
    }
    for (const cell of values) {
      if (cell.formula) formulas++;
      if (cell.missingResult) missing++;
    }
    rows.push({ row: r, cells: values.map((cell) => cell.value) });
  }
  // Trailing empty rows are formatting, not rows the user left empty.
  const lastData = rows.at(-1)?.row ?? firstData - 1;
  empty -= Math.max(0, lastRow - lastData);
  if (empty > 0) notes.push({ code: 'empty-rows', params: { count: empty } });
  if (formulas > 0) notes.push({ code: 'formulas', params: { count: formulas, missing } });
  return { ok: true, value: { kind: 'xlsx', headers, rows, notes, sheetName: sheet.name } };
}
