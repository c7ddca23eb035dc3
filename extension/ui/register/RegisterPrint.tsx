/** The register printed as the practice's 客户名册: one line per customer, the view's columns, A4. */
import type { CardIndexRow } from '../../../shared/card-types.ts';
import { formatDate } from '../../i18n/index.ts';
import { PrintPortal } from '../common/PrintPortal.tsx';
import { useLanguage } from '../common/use-language.tsx';
import { cellText, columnLabelKey, isMoney } from './cells.ts';
import type { RegisterTotals, RegisterView, ViewContext } from './register-view.ts';

export function RegisterPrint({ rows, view, ctx, totals, total }: { rows: readonly CardIndexRow[]; view: RegisterView; ctx: ViewContext; totals: RegisterTotals; total: number }) {
  const { language, t } = useLanguage();
  return (
    <PrintPortal testId="register-print">
      <div className="print-sheet">
        <h1 className="print-title">{language === 'zh-CN' ? '客户名册' : '客户名册 · Customer register'}</h1>
        <p className="print-meta">
          {t('register.printedOn', { date: formatDate(language, ctx.now) })} · {t('register.shownOf', { shown: totals.count, total })}
        </p>
        <table className="print-table">
          <thead>
            <tr>
              <th className="number">#</th>
              {view.columns.map((key) => (
                <th key={key} className={isMoney(key) ? 'number' : undefined}>
                  {t(columnLabelKey(key))}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row, i) => (
              <tr key={row.id}>
                <td className="number">{i + 1}</td>
                {view.columns.map((key) => (
                  <td key={key} className={isMoney(key) ? 'number' : undefined}>
                    {cellText(language, row, key, ctx)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </PrintPortal>
  );
}
