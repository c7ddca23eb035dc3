/** Sales by region and month (重点客户销量统计): the largest regions' monthly lines, every region in the table. */
import { useMemo } from 'react';
import type { CardIndexRow } from '../../../../shared/card-types.ts';
import { salesByRegion } from '../../../../shared/analysis/sales.ts';
import { useLanguage } from '../../common/use-language.tsx';
import { Chart } from '../Chart.tsx';
import { DeskSection } from '../DeskSection.tsx';
import { axisMoney, COLOURS } from '../format.ts';

const CHARTED = 6;

export function RegionSection({ rows, now }: { rows: readonly CardIndexRow[]; now: number }) {
  const { language, t } = useLanguage();
  const report = useMemo(() => salesByRegion(rows, now, 6), [rows, now]);
  const name = (region: string) => region || t('desk.region.unknown');
  const table = {
    header: [t('desk.region.region'), ...report.months, t('desk.total')],
    lines: report.regions.map((r) => [name(r.region), ...r.byMonth, r.total]),
  };
  const chart = {
    color: COLOURS,
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 64, right: 16, top: 48, bottom: 28 },
    xAxis: { type: 'category', data: report.months },
    yAxis: { type: 'value', axisLabel: { formatter: axisMoney(language) } },
    series: report.regions.slice(0, CHARTED).map((r) => ({ name: name(r.region), type: 'bar', data: r.byMonth })),
  };
  return <DeskSection id="region" title={t('desk.region')} table={table} chart={<Chart option={chart} testId="chart-region" />} />;
}
