/** Sales against receipts per month over the last twelve months. */
import { useMemo } from 'react';
import type { CardIndexRow } from '../../../../shared/card-types.ts';
import { salesVsReceipts } from '../../../../shared/analysis/receivables.ts';
import { useLanguage } from '../../common/use-language.tsx';
import { Chart } from '../Chart.tsx';
import { DeskSection } from '../DeskSection.tsx';
import { axisMoney, COLOURS } from '../format.ts';

export function FlowSection({ rows, now }: { rows: readonly CardIndexRow[]; now: number }) {
  const { language, t } = useLanguage();
  const months = useMemo(() => salesVsReceipts(rows, now, 12), [rows, now]);
  const sum = (key: 'sales' | 'receipts' | 'net') => Math.round(months.reduce((s, m) => s + m[key], 0) * 100) / 100;
  const table = {
    header: [t('desk.flow.month'), t('desk.flow.sales'), t('desk.flow.receipts'), t('desk.flow.net')],
    lines: months.map((m) => [m.month, m.sales, m.receipts, m.net]),
    footer: [t('desk.total'), sum('sales'), sum('receipts'), sum('net')],
  };
  const chart = {
    color: COLOURS,
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 64, right: 16, top: 36, bottom: 28 },
    xAxis: { type: 'category', data: months.map((m) => m.month) },
    yAxis: { type: 'value', axisLabel: { formatter: axisMoney(language) } },
    series: [
      { name: t('desk.flow.sales'), type: 'bar', data: months.map((m) => m.sales) },
      { name: t('desk.flow.receipts'), type: 'bar', data: months.map((m) => m.receipts) },
      { name: t('desk.flow.net'), type: 'line', data: months.map((m) => m.net) },
    ],
  };
  return <DeskSection id="flow" title={t('desk.flow')} table={table} chart={<Chart option={chart} testId="chart-flow" />} />;
}
