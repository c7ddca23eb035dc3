import { describe, expect, it } from 'vitest';
import type { CardView, LedgerEntry, TimelineEntry } from '../card-types.ts';
import { buildIndexRow } from '../index-row.ts';
import { cadenceOf } from './cadence.ts';
import { DEFAULT_REMINDERS, dueItemsOfRows } from './due.ts';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 22, 10);
const settings = { ...DEFAULT_REMINDERS, zoneOffset: 0 };
const base = { cadenceDays: 0, abc: 'C' };

describe('cadence by stage and flags', () => {
  it('follows prospects and first deals up in 7 days, not the class’s 90', () => {
    expect(cadenceOf({ ...base, stage: 'prospect' }, settings)).toEqual({ days: 7, basis: 'stage' });
    expect(cadenceOf({ ...base, stage: 'first-deal' }, settings)).toEqual({ days: 7, basis: 'stage' });
    expect(cadenceOf({ ...base, stage: 'won-back' }, settings)).toEqual({ days: 14, basis: 'stage' });
    expect(cadenceOf({ ...base, stage: 'repeat' }, settings)).toEqual({ days: 90, basis: 'class' });
    expect(cadenceOf({ ...base, stage: 'stranger' }, settings)).toEqual({ days: 90, basis: 'class' });
  });

  it('follows flagged customers up faster still; the shortest applies; the card’s own wins', () => {
    expect(cadenceOf({ ...base, stage: 'repeat', flags: ['hesitating'] }, settings)).toEqual({ days: 7, basis: 'hesitating' });
    expect(cadenceOf({ ...base, stage: 'prospect', flags: ['hesitating', 'dissatisfied'] }, settings)).toEqual({ days: 3, basis: 'dissatisfied' });
    expect(cadenceOf({ ...base, abc: 'A', stage: 'won-back' }, settings)).toEqual({ days: 14, basis: 'class' });
    expect(cadenceOf({ cadenceDays: 30, abc: 'C', stage: 'prospect', flags: ['dissatisfied'] }, settings)).toEqual({ days: 30, basis: 'card' });
  });

  it('takes the user’s days, ignores nonsense, and fills in what older settings lack', () => {
    expect(cadenceOf({ ...base, stage: 'prospect' }, { ...settings, stageCadenceDays: { prospect: 10 } })).toEqual({ days: 10, basis: 'stage' });
    expect(cadenceOf({ ...base, stage: 'prospect' }, { ...settings, stageCadenceDays: { prospect: -1 } })).toEqual({ days: 90, basis: 'class' });
    expect(cadenceOf({ ...base, flags: ['dissatisfied', 'bogus'] }, { cadenceDays: settings.cadenceDays })).toEqual({ days: 3, basis: 'dissatisfied' });
  });

  it('a prospect called 10 days ago is overdue; a hesitating repeat customer is listed with its flag', () => {
    const call: TimelineEntry = { id: 't', kind: 'call', at: NOW - 10 * DAY, by: 'me', text: 'intro call' };
    const prospect: CardView = { id: 'p', fields: { name: 'Prospect Ltd', createdAt: NOW - 30 * DAY }, contacts: [], timeline: [call], ledger: [], history: [] };
    const orders: LedgerEntry[] = [0, 1].map((i) => ({ id: `o${i}`, kind: 'order', date: NOW - (40 + i * 30) * DAY, amount: 1_000, by: 'me' }));
    const hesitating: CardView = { id: 'h', fields: { name: 'Hesitant Co', createdAt: NOW - 300 * DAY, hesitating: true }, contacts: [], timeline: [{ ...call, id: 't2', at: NOW - 9 * DAY }], ledger: orders, history: [] };
    const rows = [prospect, hesitating].map((c) => ({ ...buildIndexRow(c, NOW), abc: 'C' }));
    expect(rows[1]!.flags).toEqual(['hesitating']);
    expect(rows[1]!.stage).toBe('repeat');
    const items = dueItemsOfRows(rows, NOW, settings).filter((i) => i.kind === 'cadence');
    expect(items.map((i) => [i.cardId, i.bucket, i.daysOverdue, i.params.basis])).toEqual([
      ['p', 'overdue', 3, 'stage'],
      ['h', 'overdue', 2, 'hesitating'],
    ]);
  });
});
