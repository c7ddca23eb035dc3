/**
 * One analysis on the desk: its title, tools (CSV export of its table, print this analysis on
 * its own), then the chart with its table beside it.
 */
import { useState, type ReactNode } from 'react';
import { downloadCsv, toCsv } from '../common/csv.ts';
import { useLanguage } from '../common/use-language.tsx';
import { DataTable, type TableData } from './DataTable.tsx';

interface Props {
  id: string;
  title: string;
  table: TableData;
  chart?: ReactNode;
  /** Controls shown beside the title (a rating level, a customer, dates). */
  controls?: ReactNode;
  /** The chart above the table (wide tables) instead of beside it. */
  stacked?: boolean;
  /** More below the chart and table (worklists). */
  children?: ReactNode;
}

export function DeskSection({ id, title, table, chart, controls, stacked = false, children }: Props) {
  const { t } = useLanguage();
  const [printing, setPrinting] = useState(false);
  const print = () => {
    setPrinting(true);
    const done = () => setPrinting(false);
    window.addEventListener('afterprint', done, { once: true });
    requestAnimationFrame(() => window.print());
  };
  return (
    <section className={`desk-section${printing ? ' printing' : ''}`} data-testid={`desk-${id}`}>
      <header className="desk-section-head">
        <h2>{title}</h2>
        <div className="desk-tools no-print">
          {controls}
          <button type="button" data-testid={`csv-${id}`} onClick={() => downloadCsv(`${id}.csv`, toCsv(table.header, table.footer ? [...table.lines, table.footer] : table.lines))}>
            {t('desk.csv')}
          </button>
          <button type="button" onClick={print}>
            {t('desk.print')}
          </button>
        </div>
      </header>
      <div className={chart && !stacked ? 'desk-body' : 'desk-body table-only'}>
        {chart ? <div className="desk-chart-box">{chart}</div> : null}
        <DataTable data={table} testId={`table-${id}`} />
      </div>
      {children}
    </section>
  );
}
