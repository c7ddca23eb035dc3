/** The customer cycle: the funnel of the seven stages, movements in the last 30 days, win-back worklists. */
import { useMemo } from 'react';
import type { CardIndexRow } from '../../../../shared/card-types.ts';
import { cycleReport, type WinBackLine } from '../../../../shared/analysis/cycle-report.ts';
import { DAY_MS } from '../../../../shared/derive/ledger.ts';
import type { StageSettings } from '../../../../shared/derive/stage.ts';
import { personName, type MessageKey } from '../../../i18n/index.ts';
import { useLanguage } from '../../common/use-language.tsx';
import { valueLabel } from '../../register/cells.ts';
import { Chart } from '../Chart.tsx';
import { DataTable } from '../DataTable.tsx';
import { DeskSection } from '../DeskSection.tsx';
import { COLOURS, isoDate } from '../format.ts';

export function CycleSection({ rows, now, stage }: { rows: readonly CardIndexRow[]; now: number; stage: StageSettings }) {
  const { language, t } = useLanguage();
  const report = useMemo(() => cycleReport(rows, now - 30 * DAY_MS, now, stage), [rows, now, stage]);
  const label = (s: string) => valueLabel(language, 'stage', s);
  const table = {
    header: [t('desk.cycle.stage'), t('desk.cycle.count')],
    lines: [
      ...report.funnel.map((f) => [label(f.stage), f.count]),
      ...report.movements.map((m) => [`${t('desk.cycle.movements')}: ${t(`desk.move.${m.movement}` as MessageKey)}`, m.count]),
    ],
  };
  const funnel = {
    color: COLOURS,
    tooltip: { trigger: 'item', formatter: '{b}: {c}' },
    grid: { left: 110, right: 40, top: 10, bottom: 20 },
    xAxis: { type: 'value' },
    yAxis: { type: 'category', inverse: true, data: report.funnel.map((f) => label(f.stage)) },
    series: [{ type: 'bar', data: report.funnel.map((f) => f.count), label: { show: true, position: 'right' }, itemStyle: { color: COLOURS[0] } }],
  };
  const worklist = (lines: WinBackLine[]) => ({
    header: [t('register.col.name'), t('register.col.owner'), t('desk.cycle.lastOrder'), t('desk.cycle.lifetime'), t('register.col.lastContact')],
    lines: lines.map((l) => [l.name, personName(language, l.owner), isoDate(l.lastOrder), l.lifetime, isoDate(l.lastContact)]),
  });
  return (
    <DeskSection id="cycle" title={t('desk.cycle')} table={table} chart={<Chart option={funnel} testId="chart-cycle" />}>
      <div className="desk-worklists">
        <div>
          <h3>{t('desk.cycle.winBackDormant')}</h3>
          <DataTable data={worklist(report.winBack.dormant)} testId="table-winback-dormant" />
        </div>
        <div>
          <h3>{t('desk.cycle.winBackLost')}</h3>
          <DataTable data={worklist(report.winBack.lost)} testId="table-winback-lost" />
        </div>
      </div>
    </DeskSection>
  );
}
