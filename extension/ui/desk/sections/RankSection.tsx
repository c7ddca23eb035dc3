/** Half-year sales with each customer's rank (名次), ties sharing a rank, and the rank before. */
import { personName } from '../../../i18n/index.ts';
import { useMemo } from 'react';
import type { CardIndexRow } from '../../../../shared/card-types.ts';
import { halfYearRanks } from '../../../../shared/analysis/sales.ts';
import { useLanguage } from '../../common/use-language.tsx';
import { Chart } from '../Chart.tsx';
import { DeskSection } from '../DeskSection.tsx';
import { axisMoney, COLOURS } from '../format.ts';

const CHARTED = 15;

export function RankSection({ rows, now }: { rows: readonly CardIndexRow[]; now: number }) {
  const { language, t } = useLanguage();
  const { half, previous, lines } = useMemo(() => halfYearRanks(rows, now), [rows, now]);
  const table = {
    header: [t('desk.rank.rank'), t('register.col.name'), t('register.col.owner'), `${t('desk.rank.amount')} ${half.key}`, `${t('desk.rank.rank')} ${previous.key}`],
    lines: lines.map((l) => [String(l.rank), l.name, personName(language, l.owner), l.amount, l.previousRank ? String(l.previousRank) : '—']),
  };
  const top = lines.slice(0, CHARTED).reverse();
  const chart = {
    color: COLOURS,
    tooltip: { trigger: 'axis' },
    grid: { left: 180, right: 24, top: 10, bottom: 28 },
    xAxis: { type: 'value', axisLabel: { formatter: axisMoney(language) } },
    yAxis: { type: 'category', data: top.map((l) => `${l.rank}. ${l.name}`), axisLabel: { width: 170, overflow: 'truncate' } },
    series: [{ name: half.key, type: 'bar', data: top.map((l) => l.amount) }],
  };
  return <DeskSection id="rank" title={`${t('desk.rank')} · ${half.key}`} table={table} chart={<Chart option={chart} height={360} testId="chart-rank" />} />;
}
