/**
 * CSV files the user downloads from the register, its selection and each analysis table, written
 * by the one CSV writer (shared/export/csv-write.ts: UTF-8 with BOM, CRLF, formula-safe cells).
 */
import { toCsv as rowsToCsv } from '../../../shared/export/csv-write.ts';
import { CSV_TYPE, downloadFile } from '../export/download.ts';

export type CsvCell = string | number;

export function toCsv(header: readonly string[], lines: readonly (readonly CsvCell[])[]): string {
  return rowsToCsv([header, ...lines]);
}

export function downloadCsv(fileName: string, csv: string): void {
  downloadFile(csv, fileName, CSV_TYPE);
}
