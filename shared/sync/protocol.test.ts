import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import { decodeMessage, deviceWithFrames, encodeMessage, framesOf, MESSAGE } from './protocol.ts';

describe('the DOCS frame', () => {
  it('is the same frame whether a row is given as text or as its UTF-8 bytes, and decodes to those bytes', () => {
    const row = JSON.stringify({ name: '金鼎贸易有限公司', emails: ['li.na@example.cn'] });
    const entry = { cardId: 'c1', seq: 7, state: new Uint8Array([1, 2, 3]) };
    const asText = encodeMessage({ type: 'docs', done: 1, total: 1, docs: [{ ...entry, row }] });
    const asBytes = encodeMessage({ type: 'docs', done: 1, total: 1, docs: [{ ...entry, row: new TextEncoder().encode(row) }] });
    expect(asBytes).toEqual(asText);
    const decoded = decodeMessage(asBytes);
    const decodedRow = decoded.ok && decoded.message.type === 'docs' ? decoded.message.docs[0]!.row : undefined;
    expect(decodedRow).toBeInstanceOf(Uint8Array);
    expect(new TextDecoder().decode(decodedRow)).toBe(row);
  });
});

describe('the DOCS frame written into one buffer', () => {
  it('is byte for byte what lib0’s encoder writes: long and non-ASCII ids and rows, large seqs, empty states', () => {
    const docs = [
      { cardId: 'c1', seq: 1, state: new Uint8Array([1, 2, 3]), row: '{}' },
      { cardId: '客户-华星电子-𠀀', seq: 2 ** 31 + 5, state: new Uint8Array(0), row: '{"name":"华星电子 Müller 🙂"}' },
      { cardId: 'x'.repeat(100), seq: 2 ** 50 + 3, state: new Uint8Array(20_000).map((_, i) => i % 251), row: new TextEncoder().encode('r'.repeat(200)) },
    ];
    const message = { type: 'docs' as const, done: 130, total: 2 ** 33, docs };
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, MESSAGE.DOCS);
    encoding.writeVarUint(e, message.done);
    encoding.writeVarUint(e, message.total);
    encoding.writeVarUint(e, docs.length);
    for (const doc of docs) {
      encoding.writeVarString(e, doc.cardId);
      encoding.writeVarUint(e, doc.seq);
      encoding.writeVarUint8Array(e, doc.state);
      if (typeof doc.row === 'string') encoding.writeVarString(e, doc.row);
      else encoding.writeVarUint8Array(e, doc.row);
    }
    const written = encodeMessage(message);
    expect(written).toEqual(encoding.toUint8Array(e));
    const decoded = decodeMessage(written);
    expect(decoded.ok && decoded.message.type === 'docs' && decoded.message.docs.map((doc) => [doc.cardId, doc.seq, doc.state.length, new TextDecoder().decode(doc.row)])).toEqual([
      ['c1', 1, 3, '{}'],
      ['客户-华星电子-𠀀', 2 ** 31 + 5, 0, '{"name":"华星电子 Müller 🙂"}'],
      ['x'.repeat(100), 2 ** 50 + 3, 20_000, 'r'.repeat(200)],
    ]);
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
