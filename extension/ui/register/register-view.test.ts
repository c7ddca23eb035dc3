import { describe, expect, it } from 'vitest';
import type { CardIndexRow } from '../../../shared/card-types.ts';
import { applyView, choicesOf, DEFAULT_VIEW, paramsToView, totalsOf, viewToParams, type RegisterView } from './register-view.ts';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 18);

function row(id: string, extra: Partial<CardIndexRow> = {}): CardIndexRow {
  return {
    id, version: 5, name: id, sortKey: id.toLowerCase(), emails: [], domains: [], terms: '', pinyinSource: '', pinyin: '', about: '', primaryContact: '', owner: 'ann', city: '', keyCustomer: false,
    cardNumber: '', businessNumber: '', industry: '', nature: '', tier: '', loyalty: '', tags: [], creditLimit: 0, creditRating: '', unknownCount: 0, importantCount: 0,
    lastContact: NOW - DAY, receivables: 0, timelineCount: 0, createdAt: NOW - 100 * DAY, cadenceDays: 0, flags: [], plannedVisit: '', lastVisit: 0, updatedAt: NOW - DAY, abcOverride: '', stageOverride: '',
    orders: [], payments: [], contacts: [], contactsByOthers: [], followUpLog: [], changeDays: [], openOrders: [], approvals: [], contactLog: [], followUps: [], annual: [], people: [], address: '',
    abc: 'C', abcDerived: 'C', purchases12m: 0, stage: 'repeat', nextDue: 0, overdue: 0, asOf: NOW, ...extra,
  };
}

const rows = [
  row('Acme', { abc: 'A', owner: 'ann', city: '上海', receivables: 500, overdue: 200, keyCustomer: true, tags: ['expo'], lastContact: NOW - 30 * DAY }),
  row('Bolt', { abc: 'A', owner: 'bob', city: '上海', receivables: 100, tags: ['expo', 'vip'] }),
  row('Cora', { abc: 'B', owner: 'ann', city: 'Berlin', receivables: 300, updatedAt: NOW - 90 * DAY, followUps: [{ entryId: 'e', at: 0, followUp: NOW, text: '', by: 'ann' }] }),
  row('Dune', { abc: 'C', owner: 'bob', city: 'Berlin', nature: 'government' }),
];
const ctx = { now: NOW, ranks: new Map([['Bolt', 1], ['Acme', 2]]) };
const names = (view: RegisterView) => applyView(rows, view, ctx).map((r) => r.name);

describe('register view', () => {
  it('combines filters: lists (any value), flags, not updated in N days', () => {
    expect(names({ ...DEFAULT_VIEW, lists: { class: ['A', 'B'], region: ['上海'] } })).toEqual(['Acme', 'Bolt']);
    expect(names({ ...DEFAULT_VIEW, lists: { tag: ['vip'] } })).toEqual(['Bolt']);
    expect(names({ ...DEFAULT_VIEW, flags: ['overdue', 'key'] })).toEqual(['Acme']);
    expect(names({ ...DEFAULT_VIEW, flags: ['drifting'] })).toEqual(['Acme']); // A: 14 days, last contact 30 days ago
    expect(names({ ...DEFAULT_VIEW, flags: ['followUps'] })).toEqual(['Cora']);
    expect(names({ ...DEFAULT_VIEW, staleDays: 60 })).toEqual(['Cora']);
    expect(names({ ...DEFAULT_VIEW, lists: { nature: ['government'], owner: ['bob'] } })).toEqual(['Dune']);
  });

  it('filters by team, each card in its owner’s team as the server tells it', () => {
    const teams = new Map([['ann', 'north'], ['bob', 'south']]);
    expect(applyView(rows, { ...DEFAULT_VIEW, lists: { team: ['south'] } }, { ...ctx, teams }).map((r) => r.name)).toEqual(['Bolt', 'Dune']);
    expect(choicesOf(rows, 'team', teams)).toEqual([{ value: 'north', count: 2 }, { value: 'south', count: 2 }]);
    // Without the server's answer (a rep, offline), no card is in a team.
    expect(names({ ...DEFAULT_VIEW, lists: { team: ['south'] } })).toEqual([]);
    expect(paramsToView(new URLSearchParams('team=south')).lists).toEqual({ team: ['south'] });
  });

  it('sorts by any column, missing values last, ties by name', () => {
    expect(names({ ...DEFAULT_VIEW, sort: { key: 'receivables', desc: true } })).toEqual(['Acme', 'Cora', 'Bolt', 'Dune']);
    expect(names({ ...DEFAULT_VIEW, sort: { key: 'rank', desc: false } })).toEqual(['Bolt', 'Acme', 'Cora', 'Dune']);
    expect(names({ ...DEFAULT_VIEW, sort: { key: 'city', desc: false } })).toEqual(['Cora', 'Dune', 'Acme', 'Bolt']);
  });

  it('round-trips through the URL and ignores what it does not know', () => {
    const view: RegisterView = { columns: ['name', 'owner', 'rank'], sort: { key: 'overdue', desc: true }, lists: { class: ['A'], tag: ['expo', 'vip'] }, flags: ['drifting'], staleDays: 30 };
    const params = viewToParams(view, new URLSearchParams('tab=register'));
    expect(params.get('tab')).toBe('register');
    expect(paramsToView(params)).toEqual(view);
    expect(paramsToView(new URLSearchParams('cols=bogus&sort=-nope&is=evil&stale=-4'))).toEqual(DEFAULT_VIEW);
    expect(viewToParams(DEFAULT_VIEW).toString()).toBe('');
  });

  it('counts and sums what is shown', () => {
    expect(totalsOf(rows)).toEqual({ count: 4, keyCustomers: 1, receivables: 900, overdue: 200, purchases12m: 0 });
  });
});
