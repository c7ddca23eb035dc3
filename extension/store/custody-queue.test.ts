/** The custody queue: a page's request is checked before it is kept; changes of the list never lose one another. */
import { describe, expect, it } from 'vitest';
import { changeCustodyQueue, parseCustodyRequest, queueCustody, readCustodyQueue } from './custody-queue.ts';

function memorySettings() {
  const values = new Map<string, unknown>();
  return {
    getSetting: async <T>(key: string) => structuredClone(values.get(key)) as T | undefined,
    setSetting: async (key: string, value: unknown) => void values.set(key, structuredClone(value)),
  };
}

describe('custody requests from a page', () => {
  it('takes well-formed hand-overs and proposals', () => {
    expect(parseCustodyRequest({ kind: 'handover', from: 'mona', to: 'rob', cardIds: ['a', 'b'], reason: 'import x.csv' })).toEqual({ kind: 'handover', from: 'mona', to: 'rob', cardIds: ['a', 'b'], reason: 'import x.csv' });
    expect(parseCustodyRequest({ kind: 'propose', cardId: 'a', field: 'creditLimitApproved', value: 5000, reason: 'r', extra: 'dropped' })).toEqual({ kind: 'propose', cardId: 'a', field: 'creditLimitApproved', value: 5000, reason: 'r' });
  });

  it('refuses anything else, never throws', () => {
    for (const hostile of [
      null,
      'handover',
      42,
      { kind: 'delete-all' },
      { kind: 'handover', from: 'mona', to: 'rob', cardIds: [], reason: 'r' },
      { kind: 'handover', from: 'mona', to: 'rob', cardIds: 'a', reason: 'r' },
      { kind: 'handover', from: 'mona', to: '', cardIds: ['a'], reason: 'r' },
      { kind: 'handover', from: 'mona', to: 'rob', cardIds: [{ toString: 1 }], reason: 'r' },
      { kind: 'propose', cardId: 'a', field: 'x', value: { nested: true }, reason: 'r' },
      { kind: 'propose', cardId: 'a', field: 'x', value: Number.NaN, reason: 'r' },
      { kind: 'propose', cardId: 'a', field: 'x', value: 1, reason: '' },
      { kind: 'propose', cardId: 'a'.repeat(500), field: 'x', value: 1, reason: 'r' },
    ]) {
      expect(parseCustodyRequest(hostile)).toBeUndefined();
    }
  });
});

describe('the queue', () => {
  it('keeps every request queued at once, and a change removes only its own', async () => {
    const settings = memorySettings();
    await Promise.all([
      queueCustody(settings, [{ kind: 'propose', cardId: 'a', field: 'creditRating', value: 'A', reason: 'r' }]),
      queueCustody(settings, [{ kind: 'handover', from: 'mona', to: 'rob', cardIds: ['b'], reason: 'r' }]),
    ]);
    const queued = await readCustodyQueue(settings);
    expect(queued.map((item) => item.kind)).toEqual(['propose', 'handover']);
    await changeCustodyQueue(settings, (list) => list.filter((item) => item.id !== queued[0]!.id));
    expect((await readCustodyQueue(settings)).map((item) => item.kind)).toEqual(['handover']);
  });
});
