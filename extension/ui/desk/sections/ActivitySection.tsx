/** Upkeep and activity per rep, week by week: what managers review weekly (DOMAIN.md §5). */
import { personName } from '../../../i18n/index.ts';
import { useMemo } from 'react';
import type { CardIndexRow } from '../../../../shared/card-types.ts';
import { activityByRep } from '../../../../shared/analysis/activity.ts';
import { useLanguage } from '../../common/use-language.tsx';
import { Chart } from '../Chart.tsx';
import { DataTable } from '../DataTable.tsx';
import { DeskSection } from '../DeskSection.tsx';
import { COLOURS, isoDate, percent } from '../format.ts';

const WEEKS = 8;

export function ActivitySection({ rows, now }: { rows: readonly CardIndexRow[]; now: number }) {
  const { language, t } = useLanguage();
  const reps = useMemo(() => activityByRep(rows, now, WEEKS), [rows, now]);
  const rep = (owner: string) => personName(language, owner);
  const latest = (r: (typeof reps)[number]) => r.weeks[r.weeks.length - 1]!;
  const table = {
    header: [t('register.col.owner'), t('desk.activity.cards'), t('desk.activity.cardsUpdated'), t('desk.activity.contacts'), t('desk.activity.newCustomers'), t('desk.activity.followUpsDone'), t('desk.activity.followUpsMissed'), t('desk.activity.aDrifting'), t('desk.activity.completeness')],
    lines: reps.map((r) => [rep(r.owner), r.cards, latest(r).cardsUpdated, latest(r).contacts, latest(r).newCustomers, latest(r).followUpsDone, latest(r).followUpsMissed, r.aDrifting, percent(r.completeness)]),
  };
  const weeks = reps[0]?.weeks.map((w) => isoDate(w.week).slice(5)) ?? [];
  const chart = {
    color: COLOURS,
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 48, right: 24, top: 48, bottom: 28 },
    xAxis: { type: 'category', data: weeks },
    yAxis: { type: 'value', name: t('desk.activity.contacts') },
    series: reps.slice(0, 7).map((r) => ({ name: rep(r.owner), type: 'line', data: r.weeks.map((w) => w.contacts) })),
  };
  // The week-by-week lines, newest week first for each rep.
  const byWeek = {
    header: [t('register.col.owner'), t('desk.activity.week'), t('desk.activity.cardsUpdated'), t('desk.activity.contacts'), t('desk.activity.newCustomers'), t('desk.activity.followUpsDone'), t('desk.activity.followUpsMissed'), t('desk.activity.aDrifting')],
    lines: reps.flatMap((r) => [...r.weeks].reverse().map((w) => [rep(r.owner), isoDate(w.week), w.cardsUpdated, w.contacts, w.newCustomers, w.followUpsDone, w.followUpsMissed, w.aDrifting])),
  };
  return (
    <DeskSection id="activity" title={t('desk.activity')} table={table} stacked chart={<Chart option={chart} height={240} testId="chart-activity" />}>
      <DataTable data={byWeek} testId="table-activity-weeks" />
    </DeskSection>
  );
}
