/**
 * A look at an .xlsx's first worksheet without opening the workbook: the ZIP's central
 * directory gives where xl/worksheets/sheet1.xml is, and the first few KB of it, inflated with
 * the platform's DecompressionStream (Chromium, workers, Node 20), hold `<dimension ref="A1:I100001"/>`.
 * So a sheet far over the row limit is refused in milliseconds instead of after exceljs has
 * loaded all of it (100,000 rows: ~14 s and ~800 MB). Anything unexpected returns undefined and
 * the full reader decides.
 */

const u16 = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8);
const u32 = (b: Uint8Array, at: number) => (u16(b, at) | (u16(b, at + 2) << 16)) >>> 0;

function findEntry(bytes: Uint8Array, name: string): { method: number; start: number; size: number; unpacked: number } | undefined {
  // End of central directory: within the last 64 KB + 22 bytes.
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 65_557); i--) {
    if (u32(bytes, i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return undefined;
  const count = u16(bytes, eocd + 10);
  let at = u32(bytes, eocd + 16);
  const decoder = new TextDecoder();
  for (let n = 0; n < count && at + 46 <= bytes.length; n++) {
    if (u32(bytes, at) !== 0x02014b50) return undefined;
    const method = u16(bytes, at + 10);
    const size = u32(bytes, at + 20);
    const unpacked = u32(bytes, at + 24);
    const nameLength = u16(bytes, at + 28);
    const extra = u16(bytes, at + 30);
    const comment = u16(bytes, at + 32);
    const local = u32(bytes, at + 42);
    const entryName = decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength));
    if (entryName === name) {
      if (u32(bytes, local) !== 0x04034b50) return undefined;
      const start = local + 30 + u16(bytes, local + 26) + u16(bytes, local + 28);
      return { method, start, size, unpacked };
    }
    at += 46 + nameLength + extra + comment;
  }
  return undefined;
}

async function headText(entry: { method: number; start: number; size: number }, bytes: Uint8Array, maxChars: number): Promise<string> {
  const slice = bytes.subarray(entry.start, entry.start + Math.min(entry.size, 16_384));
  if (entry.method === 0) return new TextDecoder().decode(slice).slice(0, maxChars);
  if (entry.method !== 8) return '';
  const stream = new DecompressionStream('deflate-raw');
  const writer = stream.writable.getWriter();
  // The slice is cut mid-stream: the stream errors at its end, after giving what it could.
  writer.write(slice as Uint8Array<ArrayBuffer>).catch(() => undefined);
  writer.close().catch(() => undefined);
  const reader = stream.readable.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    while (text.length < maxChars) {
      const { value, done } = await reader.read();
      if (done || !value) break;
      text += decoder.decode(value, { stream: true });
      if (text.includes('<sheetData')) break;
    }
  } catch {
    // Truncated input: keep what was inflated.
  }
  void reader.cancel().catch(() => undefined);
  return text;
}

/** Fewer bytes per declared row than this: the range is mostly formatting, not data. */
const DATA_ROW_BYTES = 40;

/**
 * The row count the first worksheet declares (its dimension), or undefined if unknown or not
 * believable (a used range stretched by formatting alone declares rows its XML cannot hold).
 */
export async function declaredRows(bytes: Uint8Array): Promise<number | undefined> {
  try {
    const entry = findEntry(bytes, 'xl/worksheets/sheet1.xml');
    if (!entry) return undefined;
    const text = await headText(entry, bytes, 20_000);
    const match = /<dimension\s+ref="[A-Z]+(\d+)(?::[A-Z]+(\d+))?"/.exec(text);
    if (!match) return undefined;
    const rows = Number(match[2] ?? match[1]);
    return entry.unpacked >= rows * DATA_ROW_BYTES ? rows : undefined;
  } catch {
    return undefined;
  }
}
