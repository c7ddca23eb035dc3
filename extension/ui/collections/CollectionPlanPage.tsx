/**
 * The collection plan tab (收款计划): what is owed and when, by date, across the customers the
 * user may read (a manager: across the team's reps, with a total per rep and a choice of reps),
 * from each card's trade terms (shared/analysis/collection-plan.ts). Printable (A4) and
 * exportable as CSV.
 */
import { Fragment, useMemo, useState } from 'react';
import { collectionPlan, planLines, type PlanDay, type PlanLine } from '../../../shared/analysis/collection-plan.ts';
import { formatDate, formatMoney } from '../../i18n/index.ts';
import { downloadCsv, toCsv } from '../common/csv.ts';
import { PrintPortal, usePrintWhenReady } from '../common/PrintPortal.tsx';
import { useAllRows } from '../common/use-all-rows.ts';
import { useLanguage } from '../common/use-language.tsx';
import { openCard } from '../register/RegisterPage.tsx';
import './collections.css';

const HORIZONS = [7, 14, 30, 60, 90];

export function CollectionPlanPage() {
  const { language, t } = useLanguage();
  const rows = useAllRows();
  const [horizon, setHorizon] = useState(30);
  const [owner, setOwner] = useState('');
  const [printing, setPrinting] = useState(false);
  const now = useMemo(() => Date.now(), []);
  const owners = useMemo(() => [...new Set((rows ?? []).filter((r) => r.openOrders.length > 0).map((r) => r.owner))].sort(), [rows]);
  const plan = useMemo(() => (rows ? collectionPlan(rows, now, { horizonDays: horizon, zoneOffset: -new Date(now).getTimezoneOffset(), owners: owner ? [owner] : [] }) : undefined), [rows, now, horizon, owner]);
  usePrintWhenReady(printing, () => setPrinting(false));
  if (!rows || !plan) return <p className="muted">{t('panel.loading')}</p>;
  const money = (value: number) => formatMoney(language, value);
  const header = [t('plan.col.due'), t('register.col.name'), t('register.col.owner'), t('plan.col.instalment'), t('plan.col.daysOverdue'), t('plan.col.amount')];
  const cells = (line: PlanLine) => [formatDate(language, line.dueDate), line.name, line.owner || '—', line.instalment > 1 ? String(line.instalment) : '', line.daysOverdue > 0 ? String(line.daysOverdue) : '', line.outstanding] as const;
  const exportCsv = () => downloadCsv(`collection-plan-${new Date(now).toISOString().slice(0, 10)}.csv`, toCsv(header, [...planLines(plan).map((line) => [...cells(line)]), [t('desk.total'), '', '', '', '', plan.total]]));
  const showReps = owners.length > 1 || plan.byRep.length > 1;
  const groups: { key: string; title: string; day: PlanDay; overdue: boolean }[] = [
    ...(plan.overdue.lines.length > 0 ? [{ key: 'overdue', title: t('plan.overdue'), day: plan.overdue, overdue: true }] : []),
    ...plan.days.map((day) => ({ key: day.day, title: formatDate(language, day.lines[0]!.dueDate), day, overdue: false })),
  ];
  const table = (forPrint: boolean) => (
    <table className={forPrint ? 'print-table' : 'table plan-table'} data-testid={forPrint ? undefined : 'plan-table'}>
      <thead>
        <tr>
          {header.map((h, i) => (
            <th key={h} className={i >= 4 ? 'number' : undefined}>{h}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {groups.map((group) => (
          <Fragment key={group.key}>
            <tr className={`plan-day${group.overdue ? ' overdue' : ''}`} data-testid="plan-day" data-day={group.key}>
              <th colSpan={5}>{group.title}</th>
              <th className="number">{money(group.day.total)}</th>
            </tr>
            {group.day.lines.map((line) => (
              <tr key={`${line.cardId}:${line.orderId}`} data-testid="plan-line" data-card-id={line.cardId}>
                {cells(line).map((cell, i) =>
                  i === 1 && !forPrint ? (
                    <td key={i}>
                      <button type="button" className="link" onClick={() => openCard(line.cardId)}>{cell}</button>
                    </td>
                  ) : (
                    <td key={i} className={i >= 4 ? `number${i === 4 && line.daysOverdue > 0 ? ' warn' : ''}` : undefined}>{typeof cell === 'number' ? money(cell) : cell}</td>
                  ),
                )}
              </tr>
            ))}
          </Fragment>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th colSpan={5}>{t('desk.total')}</th>
          <th className="number" data-testid="plan-total">{money(plan.total)}</th>
        </tr>
      </tfoot>
    </table>
  );
  const repTable = (forPrint: boolean) =>
    showReps ? (
      <table className={forPrint ? 'print-table' : 'table plan-reps'} data-testid={forPrint ? undefined : 'plan-reps'}>
        <thead>
          <tr>
            <th>{t('register.col.owner')}</th>
            <th className="number">{t('plan.overdue')}</th>
            <th className="number">{t('plan.dueInWindow', { days: horizon })}</th>
            <th className="number">{t('desk.total')}</th>
          </tr>
        </thead>
        <tbody>
          {plan.byRep.map((rep) => (
            <tr key={rep.owner} data-testid="plan-rep">
              <td>{rep.owner || '—'}</td>
              <td className="number">{money(rep.overdue)}</td>
              <td className="number">{money(rep.due)}</td>
              <td className="number">{money(rep.total)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    ) : null;
  return (
    <section className="dashboard-section plan" data-testid="collection-plan">
      <header className="plan-head">
        <h2>{t('plan.title')}</h2>
        <div className="plan-tools no-print">
          <label>
            {t('plan.horizon')}{' '}
            <select value={horizon} onChange={(e) => setHorizon(Number(e.target.value))} data-testid="plan-horizon">
              {HORIZONS.map((days) => (
                <option key={days} value={days}>{t('plan.days', { days })}</option>
              ))}
            </select>
          </label>
          {owners.length > 1 ? (
            <label>
              {t('register.col.owner')}{' '}
              <select value={owner} onChange={(e) => setOwner(e.target.value)} data-testid="plan-owner">
                <option value="">{t('plan.allReps')}</option>
                {owners.map((o) => (
                  <option key={o} value={o}>{o || '—'}</option>
                ))}
              </select>
            </label>
          ) : null}
          <button type="button" onClick={exportCsv} data-testid="plan-csv">{t('desk.csv')}</button>
          <button type="button" onClick={() => setPrinting(true)} data-testid="plan-print">{t('desk.print')}</button>
        </div>
      </header>
      <p className="plan-summary" data-testid="plan-summary">
        {t('plan.summary', { total: money(plan.total), overdue: money(plan.overdue.total), days: horizon })}
        {plan.later > 0 ? ` ${t('plan.later', { amount: money(plan.later) })}` : ''}
      </p>
      {repTable(false)}
      {groups.length === 0 ? <p className="muted" data-testid="plan-empty">{t('plan.empty')}</p> : table(false)}
      {printing ? (
        <PrintPortal>
          <div className="print-sheet">
            <h1 className="print-title">{t('plan.title')}</h1>
            <p className="print-meta">{t('plan.printMeta', { date: formatDate(language, now), days: horizon, owner: owner || t('plan.allReps') })}</p>
            {repTable(true)}
            {table(true)}
          </div>
        </PrintPortal>
      ) : null}
    </section>
  );
}
