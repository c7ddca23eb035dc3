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
  table.columns.forEach((column, i) => {
    const col = sheet.getColumn(i + 1);
    col.width = Math.min(40, Math.max(10, (table.header[i] ?? '').length * 2 + 2));
    if (column.type === 'date') col.numFmt = 'yyyy-mm-dd';
  });
  for (const line of table.rows) {
    sheet.addRow(
      line.map((cell, i) => {
        if (cell === null) return null;
        if (table.columns[i]?.type === 'date' && typeof cell === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(cell)) return new Date(`${cell}T00:00:00Z`);
        return cell;
      }),
    );
  }
  const buffer = await workbook.xlsx.writeBuffer();
  return new Uint8Array(buffer as ArrayBuffer);
}
