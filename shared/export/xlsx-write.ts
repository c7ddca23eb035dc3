/**
 * An export table as an .xlsx workbook (exceljs, loaded on demand): a bold, frozen header row,
 * numbers as numbers, dates as real Excel dates. Text cells are written as text (never as
 * formulas), so a cell beginning with "=" cannot run; they are left as typed.
 */
import { loadExcel } from '../import/xlsx-read.ts';
import type { ExportTable } from './register-table.ts';

export async function tableToXlsx(table: ExportTable, sheetName: string): Promise<Uint8Array> {
  const Excel = await loadExcel();
  const workbook = new Excel.Workbook();
  workbook.created = new Date();
  const sheet = workbook.addWorksheet(sheetName.slice(0, 31) || 'Sheet1', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.addRow(table.header).font = { bold: true };
  // One style object per column, shared by its cells: exceljs reuses a style it has seen by
  // object (a cell's own copy costs a lookup per cell: ~0.4 s of 10,000 lines' ~1.8 s write).
  const styles = table.columns.map((column) => (column.type === 'date' ? { numFmt: 'yyyy-mm-dd' } : {}));
  table.columns.forEach((column, i) => {
    const col = sheet.getColumn(i + 1);
    col.width = Math.min(40, Math.max(10, (table.header[i] ?? '').length * 2 + 2));
    if (column.type === 'date') col.numFmt = 'yyyy-mm-dd';
  });
  for (const line of table.rows) {
    const row = sheet.addRow(
      line.map((cell, i) => {
        if (cell === null) return null;
        if (table.columns[i]?.type === 'date' && typeof cell === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(cell)) return new Date(`${cell}T00:00:00Z`);
        return cell;
      }),
    );
    row.eachCell((cell, column) => {
      cell.style = styles[column - 1] ?? {};
    });
  }
  // Deflate level 3: ~0.3 s faster than the default 6 on 10,000 lines, for a file ~10% larger.
  const buffer = await workbook.xlsx.writeBuffer({ zip: { compression: 'DEFLATE', compressionOptions: { level: 3 } } });
  return new Uint8Array(buffer as ArrayBuffer);
}
