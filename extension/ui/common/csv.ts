/**
 * CSV files the user downloads (the register, the selection, each analysis table): RFC 4180
 * quoting, CRLF lines, and a byte-order mark so Excel opens Chinese text as UTF-8.
 */
export type CsvCell = string | number;

export function toCsv(header: readonly string[], lines: readonly (readonly CsvCell[])[]): string {
  const cell = (value: CsvCell) => {
    const text = String(value);
    // A leading = + - @ would be read as a formula by spreadsheets: quote it as text.
    const safe = /^[=+\-@]/.test(text) && !/^-?\d/.test(text) ? `'${text}` : text;
    return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  return `\ufeff${[header, ...lines].map((line) => line.map(cell).join(',')).join('\r\n')}\r\n`;
}

export function downloadCsv(fileName: string, csv: string): void {
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
