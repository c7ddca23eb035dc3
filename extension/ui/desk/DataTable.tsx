/**
 * A desk table: the figures behind a chart, the same data its CSV export writes. Numbers are
 * formatted for reading here and written plain in the CSV. Long tables show their first lines.
 */
import { formatMoney } from '../../i18n/index.ts';
import type { CsvCell } from '../common/csv.ts';
import { useLanguage } from '../common/use-language.tsx';

export interface TableData {
  header: string[];
  lines: CsvCell[][];
  /** A last line of totals (also in the CSV). */
  footer?: CsvCell[];
}

const SHOWN = 100;

export function DataTable({ data, testId }: { data: TableData; testId?: string }) {
  const { language, t } = useLanguage();
  const cell = (value: CsvCell) => (typeof value === 'number' ? formatMoney(language, value) : value);
  return (
    <div className="desk-table-box">
      <table className="desk-table" data-testid={testId}>
        <thead>
          <tr>
            {data.header.map((label, i) => (
              // A column of numbers is right-aligned, its heading with it.
              <th key={i} className={typeof data.lines[0]?.[i] === 'number' ? 'number' : undefined}>
                {label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {data.lines.slice(0, SHOWN).map((line, i) => (
            <tr key={i}>
              {line.map((value, j) => (
                <td key={j} className={typeof value === 'number' ? 'number' : undefined}>
                  {cell(value)}
                </td>
              ))}
            </tr>
          ))}
          {data.lines.length === 0 ? (
            <tr>
              <td colSpan={data.header.length} className="muted">{t('desk.none')}</td>
            </tr>
          ) : null}
        </tbody>
        {data.footer ? (
          <tfoot>
            <tr>
              {data.footer.map((value, j) => (
                <td key={j} className={typeof value === 'number' ? 'number' : undefined}>
                  {cell(value)}
                </td>
              ))}
            </tr>
          </tfoot>
        ) : null}
      </table>
      {data.lines.length > SHOWN ? <p className="hint">{`${SHOWN} / ${data.lines.length} — CSV`}</p> : null}
    </div>
  );
}
