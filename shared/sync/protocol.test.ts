import { describe, expect, it } from 'vitest';
import { decodeMessage, deviceWithFrames, encodeMessage, framesOf } from './protocol.ts';

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

describe('the CLASSES and CUSTODY frames', () => {
  it('carry the cut-offs (Infinity included) and nothing, and refuse what no server sends', () => {
    const classes = decodeMessage(encodeMessage({ type: 'classes', aMin: 50_000, bMin: Number.POSITIVE_INFINITY, asOf: 1_700_000_000_000 }));
    expect(classes).toEqual({ ok: true, message: { type: 'classes', aMin: 50_000, bMin: Number.POSITIVE_INFINITY, asOf: 1_700_000_000_000 } });
    expect(decodeMessage(encodeMessage({ type: 'custody' }))).toEqual({ ok: true, message: { type: 'custody' } });
    expect(decodeMessage(encodeMessage({ type: 'classes', aMin: Number.NaN, bMin: 1, asOf: 1 })).ok).toBe(false);
    expect(decodeMessage(encodeMessage({ type: 'classes', aMin: -1, bMin: 1, asOf: 1 })).ok).toBe(false);
    const truncated = encodeMessage({ type: 'classes', aMin: 1, bMin: 1, asOf: 1 }).slice(0, 9);
    expect(decodeMessage(truncated).ok).toBe(false);
  });
});

describe('the optional frames a client names in its AUTH', () => {
  it('are read from the device text; an older client names none, unknown names are ignored', () => {
    expect([...framesOf(deviceWithFrames('Mozilla/5.0 '.repeat(30)))]).toEqual(['classes', 'custody', 'policy']);
    expect(deviceWithFrames('x'.repeat(300))).toHaveLength(200);
    expect(framesOf('Mozilla/5.0 (X11; Linux x86_64)').size).toBe(0);
    expect([...framesOf('[frames:custody,teleport] phone')]).toEqual(['custody']);
    expect(framesOf('phone [frames:classes]').size).toBe(0);
  });
});
