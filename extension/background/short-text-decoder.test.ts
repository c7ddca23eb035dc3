import { describe, expect, it } from 'vitest';
import { shortTextDecoderClass } from './short-text-decoder.ts';

const Short = shortTextDecoderClass(TextDecoder);
const bytes = (text: string) => new TextEncoder().encode(text);

describe('the short-text decoder', () => {
  it('decodes exactly as the native decoder: ASCII, empty, Chinese, emoji, long text, views into a larger buffer', () => {
    const native = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    const short = new Short('utf-8', { fatal: true, ignoreBOM: true });
    const big = bytes('prefix card-set-field suffix');
    for (const input of [bytes('card-set-field'), new Uint8Array(0), bytes('华星电子'), bytes('a🙂b'), bytes('x'.repeat(65)), bytes('\u0000\u007f'), big.subarray(7, 21)]) {
      expect(short.decode(input)).toBe(native.decode(input));
    }
  });

  it('keeps the native errors and options: invalid UTF-8 throws when fatal, other encodings and BOMs are the native decoder’s', () => {
    expect(() => new Short('utf-8', { fatal: true }).decode(new Uint8Array([0xc3]))).toThrow();
    expect(new Short('utf-8').decode(new Uint8Array([0xc3]))).toBe('\ufffd');
    expect(new Short('utf-16le').decode(new Uint8Array([0x41, 0x00]))).toBe('A');
    expect(new Short('utf-8').decode(new Uint8Array([0xef, 0xbb, 0xbf, 0x41]))).toBe('A');
    expect(new Short('utf-8', { ignoreBOM: true }).decode(new Uint8Array([0xef, 0xbb, 0xbf, 0x41]))).toBe('\ufeffA');
    expect(new Short().decode(new Uint8Array([0x61, 0x62]).buffer)).toBe('ab');
  });
});
