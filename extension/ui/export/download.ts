/** Saves bytes or text as a file the browser downloads (an object URL released right after). */
export function downloadFile(content: Uint8Array | string, fileName: string, type: string): void {
  const blob = new Blob([typeof content === 'string' ? content : (content as Uint8Array<ArrayBuffer>)], { type });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export const CSV_TYPE = 'text/csv;charset=utf-8';
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Today as YYYY-MM-DD for file names. */
export function today(): string {
  return new Date().toISOString().slice(0, 10);
}
