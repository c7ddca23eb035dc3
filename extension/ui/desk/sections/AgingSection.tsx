/** Receivables aging (not due, 1–30, 31–60, 61–90, > 90 days) by rep (stacked bars) and by customer. */
import { useMemo } from 'react';
import type { CardIndexRow } from '../../../../shared/card-types.ts';
import { AGING_BUCKETS, agingReport } from '../../../../shared/analysis/receivables.ts';
import { personName, type MessageKey } from '../../../i18n/index.ts';
import { useLanguage } from '../../common/use-language.tsx';
import { Chart } from '../Chart.tsx';
import { DataTable } from '../DataTable.tsx';
import { DeskSection } from '../DeskSection.tsx';
import { axisMoney } from '../format.ts';

const BUCKET_COLOURS = ['#12b76a', '#fdb022', '#f79009', '#f04438', '#912018'];

export function AgingSection({ rows, now }: { rows: readonly CardIndexRow[]; now: number }) {
  const { language, t } = useLanguage();
  const report = useMemo(() => agingReport(rows, now), [rows, now]);
  const bucketLabels = AGING_BUCKETS.map((b) => t(`desk.aging.${b}` as MessageKey));
  const rep = (owner: string) => personName(language, owner);
  const table = {
    header: [t('register.col.owner'), ...bucketLabels, t('desk.total')],
    lines: report.byRep.map((r) => [rep(r.owner), ...AGING_BUCKETS.map((b) => r.aging[b]), r.aging.total]),
    footer: [t('desk.total'), ...AGING_BUCKETS.map((b) => report.total[b]), report.total.total],
  };
  const chart = {
    color: BUCKET_COLOURS,
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 64, right: 16, top: 36, bottom: 28 },
    xAxis: { type: 'category', data: report.byRep.map((r) => rep(r.owner)) },
    yAxis: { type: 'value', axisLabel: { formatter: axisMoney(language) } },
    series: AGING_BUCKETS.map((b, i) => ({ name: bucketLabels[i], type: 'bar', stack: 'aging', data: report.byRep.map((r) => r.aging[b]) })),
  };
  const byCustomer = {
    header: [t('register.col.name'), t('register.col.owner'), ...bucketLabels, t('desk.total')],
    lines: report.byCustomer.map((c) => [c.name, rep(c.owner), ...AGING_BUCKETS.map((b) => c.aging[b]), c.aging.total]),
  };
  return (
    <DeskSection id="aging" title={t('desk.aging')} table={table} chart={<Chart option={chart} testId="chart-aging" />}>
      <h3 className="desk-subhead">{t('desk.aging.byCustomer')}</h3>
      <DataTable data={byCustomer} testId="table-aging-customers" />
    </DeskSection>
  );
}
