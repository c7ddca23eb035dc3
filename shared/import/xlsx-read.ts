/**
 * Reads the first worksheet with data of an .xlsx workbook (exceljs) into a RawSheet.
 * - Dates come as JS Dates (exceljs gives date-formatted cells as UTC dates), numbers as numbers.
 * - Formulas: their saved result is read; a formula with no saved result reads as empty and is
 *   reported (Excel saves results; some generators do not).
 * - The table is found as a person would (table-find.ts): title and note rows above the header,
 *   totals rows and notes below the table are left out and listed; merged header cells spread
 *   their text over the columns they cover, a two-level header takes the sub-headings; a cell
 *   merged down over several rows reads as its value on each.
 * exceljs is loaded on demand (it is large): only a worker or the admin CLI ever pulls it in.
 */
import { IMPORT_LIMITS, importError, type ImportResult } from './errors.ts';
import { findTable, type GridRow } from './table-find.ts';
import type { Cell, ImportNote, RawSheet } from './types.ts';
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

/**
 * A row's cells as values: a cell merged down from a row above reads as the merged value (a
 * company written once beside its three people); a cell merged across from its left neighbour
 * reads as empty, and says where its range starts (for a merged header).
 */
function gridRow(row: ExcelRow, columns: number): { cells: CellRead[]; mergedFrom: (number | undefined)[] } {
  const cells: CellRead[] = [];
  const mergedFrom: (number | undefined)[] = [];
  for (let c = 1; c <= columns; c++) {
    const cell = row.getCell(c);
    const master = cell.isMerged ? cell.master : undefined;
    if (master && master.address !== cell.address) {
      const across = Number(master.col) !== c;
      mergedFrom.push(across && Number(master.row) === row.number ? Number(master.col) - 1 : undefined);
      cells.push(across ? plainCell(null) : plainCell(master.value));
    } else {
      mergedFrom.push(undefined);
      cells.push(plainCell(cell.value));
    }
  }
  return { cells, mergedFrom };
}

function sheetHasData(sheet: Worksheet): boolean {
  return sheet.actualRowCount > 0;
}

export async function sheetFromXlsx(bytes: Uint8Array, options: { headerRow?: number } = {}): Promise<ImportResult<RawSheet>> {
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

  const grid: GridRow[] = [];
  let formulas = 0;
  let missing = 0;
  for (let r = 1; r <= lastRow; r++) {
    const { cells, mergedFrom } = gridRow(sheet.getRow(r), columns);
    for (const cell of cells) {
      if (cell.formula) formulas++;
      if (cell.missingResult) missing++;
    }
    const line: GridRow = { row: r, cells: cells.map((cell) => cell.value) };
    if (mergedFrom.some((from) => from !== undefined)) line.mergedFrom = mergedFrom;
    grid.push(line);
  }
  const table = findTable(grid, options);
  if (!table.ok) return table;
  const { headerRow, headers, rows, candidates } = table.value;
  notes.push(...table.value.notes);
  if (formulas > 0) notes.push({ code: 'formulas', params: { count: formulas, missing } });
  return { ok: true, value: { kind: 'xlsx', headers, rows, notes, sheetName: sheet.name, headerRow, candidates } };
}
