import { describe, expect, it } from 'vitest';
import { DEFAULT_REMINDERS, doneMutation, dueItemsOfRows } from './due.ts';
import { plannedDay, visitDue, visitsByRep } from './visits.ts';

const DAY = 86_400_000;
const CHINA = 480;
const NOW = Date.UTC(2026, 11, 6, 2); // 10:00 on 6 December in China
const row = (extra: object) => ({ id: 'c', name: 'Huaxin', owner: 'rob', lastVisit: 0, unknownCount: 4, ...extra });

describe('the visit cycle', () => {
  it('reminds from the day before a planned visit, with what we still do not know', () => {
    expect(visitDue(row({ plannedVisit: '2026-12-08' }), NOW, CHINA)).toBeUndefined();
    expect(visitDue(row({ plannedVisit: '2026-12-07' }), NOW, CHINA)).toMatchObject({ kind: 'visit-planned', daysOverdue: -1, unknown: 4 });
    expect(visitDue(row({ plannedVisit: '2026-12-06' }), NOW, CHINA)).toMatchObject({ kind: 'visit-planned', daysOverdue: 0 });
  });

  it('says "visited, not reported" after the day until a visit is logged on or after it', () => {
    expect(visitDue(row({ plannedVisit: '2026-12-04' }), NOW, CHINA)).toMatchObject({ kind: 'visit-unreported', daysOverdue: 2 });
    const day = plannedDay(row({ plannedVisit: '2026-12-04' }), CHINA)!;
    expect(new Date(day + CHINA * 60_000).toISOString()).toBe('2026-12-04T00:00:00.000Z');
    expect(visitDue(row({ plannedVisit: '2026-12-04', lastVisit: day - 1 }), NOW, CHINA)).toMatchObject({ kind: 'visit-unreported' });
    expect(visitDue(row({ plannedVisit: '2026-12-04', lastVisit: day + 5 * 3600_000 }), NOW, CHINA)).toBeUndefined();
  });

  it('ignores what is not a date', () => {
    for (const plannedVisit of ['', 'tomorrow', '2026-13-45x', undefined]) expect(visitDue(row({ plannedVisit }), NOW, CHINA)).toBeUndefined();
  });

  it('lists the reminders with the other due items; done logs a visit', () => {
    const base = { lastContact: NOW - DAY, createdAt: NOW - 100 * DAY, cadenceDays: 0, abc: 'C', annual: [], followUps: [], openOrders: [] };
    const items = dueItemsOfRows([{ ...row({ plannedVisit: '2026-12-03' }), ...base }], NOW, { ...DEFAULT_REMINDERS, zoneOffset: CHINA });
    expect(items.map((i) => [i.kind, i.bucket, i.daysOverdue])).toEqual([['visit-unreported', 'overdue', 3]]);
    expect(doneMutation(items[0]!, NOW, 'Visited, talked about the spring order')).toMatchObject({ kind: 'visit', at: NOW });
  });

  it('counts planned against done per rep', () => {
    const rows = [
      row({ id: 'a', owner: 'rob', plannedVisit: '2026-12-01', lastVisit: NOW - 5 * DAY }),
      row({ id: 'b', owner: 'rob', plannedVisit: '2026-12-02' }),
      row({ id: 'c', owner: 'rob', plannedVisit: '2026-12-10' }),
      row({ id: 'd', owner: 'rita', plannedVisit: '2026-12-05', lastVisit: NOW - DAY / 2 }),
      row({ id: 'e', owner: 'rita', plannedVisit: '2025-01-01' }),
    ];
    expect(visitsByRep(rows, NOW - 30 * DAY, NOW + 14 * DAY, NOW, CHINA)).toEqual([
      { owner: 'rob', planned: 3, done: 1, unreported: 1 },
      { owner: 'rita', planned: 1, done: 1, unreported: 0 },
    ]);
  });
});
