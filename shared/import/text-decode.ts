/**
 * Turning a CSV's bytes into text: UTF-8 with or without a byte-order mark, or GBK / GB18030
 * (what Excel in Chinese saves). Detection: a BOM says UTF-8; bytes that are valid UTF-8 are
 * UTF-8; otherwise GB18030 (a superset of GBK, so GBK files read the same). Binary data (NUL
 * bytes, many control characters) is refused: a renamed picture or archive is not a table.
 * Uses only the WHATWG TextDecoder, present in Chromium, workers and Node 20.
 */
import { importError, type ImportResult } from './errors.ts';

export type TextEncodingName = 'utf-8' | 'utf-8-bom' | 'gbk' | 'gb18030';

export const TEXT_ENCODINGS: readonly TextEncodingName[] = ['utf-8', 'utf-8-bom', 'gbk', 'gb18030'];

function hasUtf8Bom(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}

function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** True when the bytes look like binary data rather than text (checked on the first 64 KB). */
export function looksBinary(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, 65_536);
  if (sample.length === 0) return false;
  let control = 0;
  for (const byte of sample) {
    if (byte === 0) return true;
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c) control++;
  }
  return control / sample.length > 0.01;
}

/** The encoding a CSV's bytes are most likely in. */
export function detectEncoding(bytes: Uint8Array): TextEncodingName {
  if (hasUtf8Bom(bytes)) return 'utf-8-bom';
  if (isValidUtf8(bytes)) return 'utf-8';
  // A file cut in the middle of a character (a truncated export) is still UTF-8.
  return bytes.length > 3 && isValidUtf8(bytes.subarray(0, bytes.length - 3)) ? 'utf-8' : 'gb18030';
}

export function decodeText(bytes: Uint8Array, encoding: TextEncodingName): string {
  if (encoding === 'utf-8' || encoding === 'utf-8-bom') {
    const text = new TextDecoder('utf-8').decode(bytes);
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  }
  return new TextDecoder(encoding).decode(bytes);
}

/** Decodes a text file, detecting the encoding unless one is given; refuses binary data. */
export function readText(bytes: Uint8Array, encoding?: TextEncodingName): ImportResult<{ text: string; encoding: TextEncodingName }> {
  if (bytes.length === 0) return importError('empty-file', 'The file is empty');
  if (looksBinary(bytes)) return importError('not-text', 'This file is not a text (CSV) file: it holds binary data. Was it renamed?');
  const chosen = encoding ?? detectEncoding(bytes);
  const text = decodeText(bytes, chosen);
  // Many replacement characters mean the wrong encoding or not text at all.
  const replaced = (text.match(/\uFFFD/g) ?? []).length;
  if (replaced > 0 && replaced / text.length > 0.05) return importError('not-text', 'This file does not read as text in the chosen encoding', { encoding: chosen });
  return { ok: true, value: { text, encoding: chosen } };
}
