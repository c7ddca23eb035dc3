/**
 * Finding the table in a sheet the way a person would: the header is the row among the first
 * ones whose cells most look like column names (scored against the known headers, generic and
 * of the known exports), so a title, a "制表人：… 日期：…" line and blank rows above it are
 * passed over; the user may take another row instead. Below the header, totals and subtotal
 * rows (合计, 小计, 总计, Total) and notes under the table (注：…, 制表人…, anything after a grand
 * total with no more than one cell) are left out, each listed by row number. A group heading
 * merged over sub-headings (a two-level header) takes the sub-headings. Used by the CSV and
 * XLSX readers alike; the rows it gets are the sheet's rows, numbered as the sheet shows them.
 */
import { cellText } from './cell-values.ts';
import { isHeaderWord } from './export-formats.ts';
import { normaliseHeader } from './headers.ts';
import { IMPORT_LIMITS, importError, type ImportResult } from './errors.ts';
import type { Cell, HeaderCandidate, ImportNote, RawRow } from './types.ts';

export interface GridRow {
  row: number;
  cells: Cell[];
  /**
   * XLSX only: for a cell inside a range merged across columns of this row (not its first
   * cell), the 0-based column of the range's first cell.
   */
  mergedFrom?: (number | undefined)[];
}

export interface FoundTable {
  headerRow: number;
  headers: string[];
  rows: RawRow[];
  notes: ImportNote[];
  candidates: HeaderCandidate[];
}

/** How many rows from the top are considered as the header. */
const HEADER_SEARCH = 20;
const CANDIDATES_SHOWN = 12;

const isEmpty = (cell: Cell) => cell === null || (typeof cell === 'string' && cell.trim() === '');
const isEmptyRow = (cells: readonly Cell[]) => cells.every(isEmpty);
const texts = (cells: readonly Cell[]) => [...new Set(cells.filter((cell) => !isEmpty(cell)).map((cell) => cellText(cell)))];

/** The number of distinct cells of a row that name a known column. */
function headerScore(cells: readonly Cell[]): number {
  const words = new Set<string>();
  for (const cell of cells) if (typeof cell === 'string' && cell.trim() && isHeaderWord(cell)) words.add(normaliseHeader(cell));
  return words.size;
}

const TOTAL = /^(本页|本月|本年|全年|全部|总)?(合计|总计|共计|累计|总共)/;
const SUBTOTAL = /^(本页|本月|本年)?小计|^subtotals?$/;
const GRAND_TOTAL_EN = /^(grand)?totals?$|^sum$/;
const TOTAL_START = /^[合小总共累本全ｔｓｇ]|^[tsg]/i;
const NOTE = /^(注|备注|说明|附注|制表|审核|填表|编制|打印|note|notes|remark|source|preparedby|\*|※)/;

/** A totals row: one of its first three filled cells says 合计, 小计, 总计, Total, … */
function totalKind(cells: readonly Cell[]): 'total' | 'subtotal' | undefined {
  const first = cells.filter((cell) => !isEmpty(cell)).slice(0, 3);
  for (const cell of first) {
    // Most cells cannot start a totals word: decided before normalising the text.
    if (typeof cell !== 'string' || !TOTAL_START.test(cell.trimStart())) continue;
    const key = normaliseHeader(cell);
    if (SUBTOTAL.test(key)) return 'subtotal';
    if (TOTAL.test(key) || GRAND_TOTAL_EN.test(key)) return 'total';
  }
  return undefined;
}

const filledCount = (cells: readonly Cell[]) => cells.reduce<number>((n, cell) => (isEmpty(cell) ? n : n + 1), 0);

function isNoteLine(cells: readonly Cell[]): boolean {
  // Most rows are data: decided without reading every cell as text.
  if (filledCount(cells) > 3) return false;
  const filled = texts(cells);
  if (filled.length === 0 || filled.length > 3) return false;
  return NOTE.test(normaliseHeader(filled[0]!)) || NOTE.test(filled[0]!.trim().toLowerCase());
}

function candidateText(cells: readonly Cell[]): string {
  const text = texts(cells).join(' · ');
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

const rowList = (rows: readonly number[]) => (rows.length > 20 ? `${rows.slice(0, 20).join(', ')}, …` : rows.join(', '));

export function findTable(grid: readonly GridRow[], options: { headerRow?: number } = {}): ImportResult<FoundTable> {
  const filled = grid.filter((row) => !isEmptyRow(row.cells));
  if (filled.length === 0) return importError('no-header', 'The sheet has no header row');
  const top = filled.slice(0, HEADER_SEARCH);
  const candidates = filled.slice(0, CANDIDATES_SHOWN).map((row) => ({ row: row.row, text: candidateText(row.cells) }));

  let header: GridRow | undefined;
  if (options.headerRow !== undefined) {
    header = filled.find((row) => row.row === options.headerRow);
    if (!header) return importError('no-header', `Row ${options.headerRow} is empty or outside the table; choose a row with the column names`, { row: options.headerRow });
  } else {
    // At least two known column names: one alone may be a value ("City" as a customer type).
    let best = 1;
    for (const row of top) {
      const score = headerScore(row.cells);
      if (score > best) {
        best = score;
        header = row;
      }
    }
    // Nothing recognised: the first row with two different texts (a title has one).
    header ??= top.find((row) => new Set(row.cells.filter((cell) => typeof cell === 'string' && cell.trim())).size >= 2) ?? top[0]!;
  }

  const notes: ImportNote[] = [{ code: 'header-row', params: { row: header.row } }];
  const above = filled.filter((row) => row.row < header.row).map((row) => row.row);
  if (above.length > 0) notes.push({ code: 'rows-above', params: { count: above.length, rows: rowList(above) } });

  let headers = header.cells.map((cell) => cellText(cell));
  const at = grid.indexOf(header);
  let next = at + 1;
  const merged = header.mergedFrom ?? [];
  const groupColumns = merged.flatMap((from, i) => (from !== undefined ? [from, i] : []));
  if (groupColumns.length > 0) {
    headers = headers.map((text, i) => (merged[i] !== undefined ? headers[merged[i]!] ?? text : text));
    // A group heading merged over sub-headings: the row below names the columns under it.
    const below = grid[at + 1]?.cells ?? [];
    if (groupColumns.every((i) => typeof below[i] === 'string' && below[i] !== headers[i])) {
      headers = headers.map((text, i) => (groupColumns.includes(i) ? cellText(below[i] ?? null) || text : text));
      next = at + 2;
      notes.push({ code: 'merged-header', params: { columns: new Set(groupColumns).size, twoRows: 1 } });
    } else {
      notes.push({ code: 'merged-header', params: { columns: new Set(groupColumns).size, twoRows: 0 } });
    }
  }
  headers = headers.slice(0, IMPORT_LIMITS.maxColumns);

  const rows: RawRow[] = [];
  const totals: number[] = [];
  const below: number[] = [];
  let empty = 0;
  let afterGrandTotal = false;
  for (let i = next; i < grid.length; i++) {
    const { row, cells } = grid[i]!;
    if (isEmptyRow(cells)) {
      empty++;
      continue;
    }
    const total = totalKind(cells);
    if (total) {
      totals.push(row);
      if (total === 'total') afterGrandTotal = true;
      continue;
    }
    if (isNoteLine(cells) || (afterGrandTotal && filledCount(cells) <= 1)) {
      below.push(row);
      continue;
    }
    rows.push({ row, cells: cells.slice(0, IMPORT_LIMITS.maxColumns) });
    if (rows.length > IMPORT_LIMITS.maxRows) {
      const total = grid.length - next;
      return importError('too-many-rows', `The sheet has about ${total} rows; at most ${IMPORT_LIMITS.maxRows} can be imported at once. Split it into smaller files.`, { rows: total, max: IMPORT_LIMITS.maxRows });
    }
  }
  // A note line in the middle of the table is a row like any other; only those below it are notes.
  const lastData = rows.at(-1)?.row ?? header.row;
  const inside = below.filter((row) => row < lastData);
  if (inside.length > 0) {
    for (const row of inside) {
      const source = grid.find((line) => line.row === row)!;
      rows.push({ row, cells: source.cells.slice(0, IMPORT_LIMITS.maxColumns) });
    }
    rows.sort((a, b) => a.row - b.row);
  }
  const notesBelow = below.filter((row) => row > lastData);
  // Empty rows after the table are formatting, not rows the user left empty.
  const tableEnd = Math.max(lastData, totals.at(-1) ?? 0, notesBelow.at(-1) ?? 0);
  const trailingEmpty = grid.filter((line) => line.row > tableEnd && isEmptyRow(line.cells)).length;
  empty -= trailingEmpty;
  if (empty > 0) notes.push({ code: 'empty-rows', params: { count: empty } });
  if (totals.length > 0) notes.push({ code: 'totals-rows', params: { count: totals.length, rows: rowList(totals) } });
  if (notesBelow.length > 0) notes.push({ code: 'notes-below', params: { count: notesBelow.length, rows: rowList(notesBelow) } });
  return { ok: true, value: { headerRow: header.row, headers, rows, notes, candidates } };
}
