/** ABC classes: count and shares per class (bar), the Pareto curve (line), cards that changed class this month. */
import { personName } from '../../../i18n/index.ts';
import { useMemo } from 'react';
import type { CardIndexRow } from '../../../../shared/card-types.ts';
import { abcReport } from '../../../../shared/analysis/abc-report.ts';
import { useLanguage } from '../../common/use-language.tsx';
import { Chart } from '../Chart.tsx';
import { DataTable } from '../DataTable.tsx';
import { DeskSection } from '../DeskSection.tsx';
import { COLOURS, percent } from '../format.ts';

export function AbcSection({ rows, now }: { rows: readonly CardIndexRow[]; now: number }) {
  const { language, t } = useLanguage();
  const report = useMemo(() => abcReport(rows, now), [rows, now]);
  const table = {
    header: [t('desk.abc.class'), t('desk.abc.count'), t('desk.abc.customerShare'), t('desk.abc.amount'), t('desk.abc.amountShare')],
    lines: report.classes.map((c) => [c.cls, c.count, percent(c.customerShare), c.amount, percent(c.amountShare)]),
    footer: [t('desk.total'), report.total.count, '100 %', report.total.amount, '100 %'],
  };
  const bars = {
    color: COLOURS,
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 48, right: 16, top: 36, bottom: 28 },
    xAxis: { type: 'category', data: ['A', 'B', 'C'] },
    yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value} %' } },
    series: [
      { name: t('desk.abc.customerShare'), type: 'bar', data: report.classes.map((c) => Math.round(c.customerShare * 1000) / 10), label: { show: true, position: 'top', formatter: '{c} %' } },
      { name: t('desk.abc.amountShare'), type: 'bar', data: report.classes.map((c) => Math.round(c.amountShare * 1000) / 10), label: { show: true, position: 'top', formatter: '{c} %' } },
    ],
  };
  const pareto = {
    color: COLOURS,
    tooltip: { trigger: 'axis' },
    grid: { left: 48, right: 16, top: 16, bottom: 36 },
    xAxis: { type: 'value', max: 100, name: t('desk.abc.customerShare'), nameLocation: 'middle', nameGap: 24, axisLabel: { formatter: '{value} %' } },
    yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value} %' } },
    series: [{ name: t('desk.abc.amountShare'), type: 'line', showSymbol: false, areaStyle: { opacity: 0.15 }, data: report.pareto.map(([x, y]) => [Math.round(x * 1000) / 10, Math.round(y * 1000) / 10]) }],
  };
  const changed = {
    header: [t('register.col.name'), t('register.col.owner'), t('desk.abc.from'), t('desk.abc.to')],
    lines: report.changed.map((c) => [c.name, personName(language, c.owner), c.from, c.to]),
  };
  return (
    <DeskSection id="abc" title={t('desk.abc')} table={table} chart={<Chart option={bars} testId="chart-abc" />}>
      <div className="desk-worklists">
        <div>
          <h3>{t('desk.abc.pareto')}</h3>
          <Chart option={pareto} height={240} testId="chart-pareto" />
        </div>
        <div>
          <h3>{t('desk.abc.changed')}</h3>
          <DataTable data={changed} testId="table-abc-changed" />
        </div>
      </div>
    </DeskSection>
  );
}
