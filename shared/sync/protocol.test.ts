import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage } from './protocol.ts';

describe('the DOCS frame', () => {
  it('is the same frame whether a row is given as text or as its UTF-8 bytes, and decodes to the text', () => {
    const row = JSON.stringify({ name: '金鼎贸易有限公司', emails: ['li.na@example.cn'] });
    const entry = { cardId: 'c1', seq: 7, state: new Uint8Array([1, 2, 3]) };
    const asText = encodeMessage({ type: 'docs', done: 1, total: 1, docs: [{ ...entry, row }] });
    const asBytes = encodeMessage({ type: 'docs', done: 1, total: 1, docs: [{ ...entry, row: new TextEncoder().encode(row) }] });
    expect(asBytes).toEqual(asText);
    const decoded = decodeMessage(asBytes);
    expect(decoded.ok && decoded.message.type === 'docs' ? decoded.message.docs[0]!.row : undefined).toBe(row);
  });
});
