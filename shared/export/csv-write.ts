/**
 * CSV as Excel opens it correctly everywhere: UTF-8 with a byte-order mark (without it, Excel
 * in Chinese reads UTF-8 as GBK and garbles every name), CRLF line ends, RFC 4180 quoting, and
 * text cells that begin with = + - @ (or a tab / carriage return) prefixed with an apostrophe,
 * so a spreadsheet never runs a cell as a formula (CSV formula injection). The importer removes
 * that apostrophe again, so an export imports back unchanged.
 */
export type OutCell = string | number | boolean | null;

const FORMULA_START = /^[=+\-@\t\r]/;

export function escapeFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** Undoes escapeFormula (for the importer): only an apostrophe before a formula character. */
export function unescapeFormula(text: string): string {
  return text.startsWith("'") && FORMULA_START.test(text.slice(1)) ? text.slice(1) : text;
}

function csvCell(cell: OutCell): string {
  if (cell === null) return '';
  const text = typeof cell === 'string' ? escapeFormula(cell) : typeof cell === 'boolean' ? (cell ? 'true' : 'false') : String(cell);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(rows: readonly (readonly OutCell[])[]): string {
  return `\uFEFF${rows.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
