/**
 * The register (客户名册): every card the user can read, a line each, with the columns, sort and
 * filters of the view in the URL; counts and sums of what is shown; saved views; selection
 * (visit pack, tag, CSV); printing as 客户名册. Owner is the card's `owner` field for now (team
 * custody will narrow what a rep reads before it reaches these rows).
 */
import { useCallback, useMemo, useState } from 'react';
import type { CardIndexRow } from '../../../shared/card-types.ts';
import { halfYearRanks } from '../../../shared/analysis/sales.ts';
import { formatMoney } from '../../i18n/index.ts';
import { downloadCsv, toCsv } from '../common/csv.ts';
import { usePrintWhenReady } from '../common/PrintPortal.tsx';
import { useAllRows } from '../common/use-all-rows.ts';
import { useLanguage } from '../common/use-language.tsx';
import { csvCell, columnLabelKey } from './cells.ts';
import { ColumnPicker } from './ColumnPicker.tsx';
import { FindBox } from './FindBox.tsx';
import { RegisterFilters } from './RegisterFilters.tsx';
import { RegisterPrint } from './RegisterPrint.tsx';
import { RegisterTable } from './RegisterTable.tsx';
import { applyView, totalsOf, type ColumnKey, type ViewContext } from './register-view.ts';
import { SavedViews } from './SavedViews.tsx';
import { SelectionActions } from './SelectionActions.tsx';
import { useRegisterView } from './use-register-view.ts';
import { VisitPack } from './VisitPack.tsx';

export function openCard(cardId: string): void {
  void chrome.tabs.create({ url: chrome.runtime.getURL(`/card.html?id=${encodeURIComponent(cardId)}`) });
}

/** Each card's rank (名次) in the current half-year's sales. */
export function rankMap(rows: readonly CardIndexRow[], now: number): Map<string, number> {
  return new Map(halfYearRanks(rows, now).lines.map((line) => [line.id, line.rank]));
}

export function RegisterPage() {
  const { language, t } = useLanguage();
  const rows = useAllRows();
  const [view, setView] = useRegisterView();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [pack, setPack] = useState<string[]>();
  const [printing, setPrinting] = useState(false);
  const now = useMemo(() => Date.now(), [rows]);
  const ctx = useMemo<ViewContext>(() => ({ now, ranks: rankMap(rows ?? [], now) }), [rows, now]);
  const shown = useMemo(() => applyView(rows ?? [], view, ctx), [rows, view, ctx]);
  const totals = useMemo(() => totalsOf(shown), [shown]);
  const byId = useMemo(() => new Map((rows ?? []).map((row) => [row.id, row])), [rows]);
  const stopPrinting = useCallback(() => setPrinting(false), []);
  usePrintWhenReady(printing, stopPrinting);

  const sortBy = (key: ColumnKey) => setView({ ...view, sort: { key, desc: view.sort.key === key ? !view.sort.desc : false } });
  const toggle = (id: string) =>
    setSelected((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const exportCsv = (lines: readonly CardIndexRow[], name: string) =>
    downloadCsv(name, toCsv(view.columns.map((key) => t(columnLabelKey(key))), lines.map((row) => view.columns.map((key) => csvCell(language, row, key, ctx)))));

  if (!rows) return <p className="muted">{t('register.loading')}</p>;
  const money = (amount: number) => formatMoney(language, amount);
  const count = (n: number) => new Intl.NumberFormat(language).format(n);
  return (
    <section className="register" data-testid="register">
      <div className="register-top">
        <FindBox onOpen={openCard} />
        <SavedViews view={view} onChange={setView} />
      </div>
      <RegisterFilters rows={rows} view={view} onChange={setView} />
      <div className="register-bar">
        <p className="register-totals" data-testid="register-totals">
          <strong>{t('register.shownOf', { shown: count(totals.count), total: count(rows.length) })}</strong>
          <span>{t('register.keyCount', { count: totals.keyCustomers })}</span>
          <span>{t('register.sumReceivables', { amount: money(totals.receivables) })}</span>
          <span className={totals.overdue > 0 ? 'warn' : undefined}>{t('register.sumOverdue', { amount: money(totals.overdue) })}</span>
          <span>{t('register.sumPurchases', { amount: money(totals.purchases12m) })}</span>
        </p>
        <div className="register-tools">
          <ColumnPicker columns={view.columns} onChange={(columns) => setView({ ...view, columns })} />
          <button type="button" data-testid="select-all" onClick={() => setSelected(new Set(shown.map((row) => row.id)))}>
            {t('register.selectAll')}
          </button>
          <button type="button" onClick={() => exportCsv(shown, 'customer-register.csv')}>
            {t('register.exportCsv')}
          </button>
          <button type="button" data-testid="print-register" onClick={() => setPrinting(true)}>
            {t('register.printRegister')}
          </button>
        </div>
      </div>
      <SelectionActions
        selected={[...selected]}
        onClear={() => setSelected(new Set())}
        onVisitPack={() => setPack([...selected])}
        onExport={() => exportCsv(shown.filter((row) => selected.has(row.id)), 'customers-selected.csv')}
      />
      <RegisterTable rows={shown} view={view} ctx={ctx} selected={selected} onSort={sortBy} onToggle={toggle} onOpen={openCard} />
      {printing ? <RegisterPrint rows={shown} view={view} ctx={ctx} totals={totals} total={rows.length} /> : null}
      {pack ? <VisitPack ids={pack} rows={byId} onClose={() => setPack(undefined)} /> : null}
    </section>
  );
}
