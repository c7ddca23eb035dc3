/**
 * Opens an import file by what it holds, not by its name: an .xlsx is a ZIP ("PK"), an old
 * binary .xls is refused with advice, a vCard file starts with BEGIN:VCARD, anything else is
 * read as CSV text (encoding detected or chosen). A file over the size limit is refused before
 * any parsing.
 */
import { sheetFromCsvText } from './csv-read.ts';
import { IMPORT_LIMITS, importError, type ImportResult } from './errors.ts';
import { readText, type TextEncodingName } from './text-decode.ts';
import type { RawSheet } from './types.ts';
import { recordsFromVcardText, type VcardRecords } from './vcard-read.ts';
import { sheetFromXlsx } from './xlsx-read.ts';

export type FileRead = { kind: 'table'; sheet: RawSheet } | { kind: 'vcf'; vcards: VcardRecords; encoding: TextEncodingName };

export interface ReadOptions {
  /** For CSV and vCard text: the encoding to use instead of the detected one. */
  encoding?: TextEncodingName;
  /** CSV and XLSX: the row to read as the header instead of the one found. */
  headerRow?: number;
}

const startsWith = (bytes: Uint8Array, ...values: number[]) => values.every((value, i) => bytes[i] === value);

export function formatOf(bytes: Uint8Array, fileName: string): 'xlsx' | 'xls' | 'vcf' | 'csv' {
  if (startsWith(bytes, 0x50, 0x4b, 0x03, 0x04)) return 'xlsx';
  if (startsWith(bytes, 0xd0, 0xcf, 0x11, 0xe0)) return 'xls';
  const head = new TextDecoder('utf-8').decode(bytes.subarray(0, 200)).replace(/^\uFEFF/, '').trimStart().toUpperCase();
  if (head.startsWith('BEGIN:VCARD') || /\.vcf$/i.test(fileName)) return 'vcf';
  return 'csv';
}

export async function readImportFile(bytes: Uint8Array, fileName: string, options: ReadOptions = {}): Promise<ImportResult<FileRead>> {
  if (bytes.byteLength > IMPORT_LIMITS.maxBytes) {
    const mb = Math.round(bytes.byteLength / 1024 / 1024);
    return importError('file-too-large', `The file is ${mb} MB; at most ${IMPORT_LIMITS.maxBytes / 1024 / 1024} MB can be imported at once. Split it into smaller files.`, { size: mb, max: IMPORT_LIMITS.maxBytes / 1024 / 1024 });
  }
  if (bytes.byteLength === 0) return importError('empty-file', 'The file is empty');
  const format = formatOf(bytes, fileName);
  if (format === 'xls') return importError('old-xls', 'This is an old Excel file (.xls). Open it in Excel and save it as .xlsx or CSV, then import that.');
  if (format === 'xlsx') {
    const sheet = await sheetFromXlsx(bytes, options.headerRow !== undefined ? { headerRow: options.headerRow } : {});
    return sheet.ok ? { ok: true, value: { kind: 'table', sheet: sheet.value } } : sheet;
  }
  const text = readText(bytes, options.encoding);
  if (!text.ok) return text;
  if (format === 'vcf') {
    const vcards = recordsFromVcardText(text.value.text);
    return vcards.ok ? { ok: true, value: { kind: 'vcf', vcards: vcards.value, encoding: text.value.encoding } } : vcards;
  }
  const sheet = sheetFromCsvText(text.value.text, text.value.encoding, options.headerRow !== undefined ? { headerRow: options.headerRow } : {});
  return sheet.ok ? { ok: true, value: { kind: 'table', sheet: sheet.value } } : sheet;
}
