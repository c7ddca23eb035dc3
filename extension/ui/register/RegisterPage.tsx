/**
 * The register (客户名册): every card the user can read, a line each, with the columns, sort and
 * filters of the view in the URL; counts and sums of what is shown; saved views; selection
 * (visit pack, tag, CSV); printing as 客户名册. A CSV or a print holds only the lines the server
 * releases (extension/ui/export/take-out.ts). Owner is the card's `owner` field for now (team
 * custody will narrow what a rep reads before it reaches these rows).
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { CardIndexRow } from '../../../shared/card-types.ts';
import { halfYearRanks } from '../../../shared/analysis/sales.ts';
import { formatMoney } from '../../i18n/index.ts';
import { downloadCsv, toCsv } from '../common/csv.ts';
import { usePrintWhenReady } from '../common/PrintPortal.tsx';
import { useAllRows } from '../common/use-all-rows.ts';
import { useLanguage } from '../common/use-language.tsx';
import { useStore } from '../common/use-store.ts';
import { csvCell, columnLabelKey } from './cells.ts';
import { ColumnPicker } from './ColumnPicker.tsx';
import { FindBox } from './FindBox.tsx';
import { RegisterFilters } from './RegisterFilters.tsx';
import { RegisterPrint } from './RegisterPrint.tsx';
import { RegisterTable } from './RegisterTable.tsx';
import { filterRows, REGISTER_VIEW_MARK, sortRows, totalsOf, viewToParams, type ColumnKey, type RegisterView, type ViewContext } from './register-view.ts';
import { SavedViews } from './SavedViews.tsx';
import { SelectionActions } from './SelectionActions.tsx';
import { useOwnerTeams } from './use-owner-teams.ts';
import { DuplicatesPanel } from './DuplicatesPanel.tsx';
import { useMayWrite } from './use-may-write.ts';
import { useRegisterView } from './use-register-view.ts';
import { VisitPack } from './VisitPack.tsx';
import { useCustodyApi } from '../common/use-custody.ts';
import { askToTakeOut, takeOutRefusal } from '../export/take-out.ts';
import type { TakeOutKind } from '../../../shared/rights/take-out.ts';

export function openCard(cardId: string): void {
  void chrome.tabs.create({ url: chrome.runtime.getURL(`/card.html?id=${encodeURIComponent(cardId)}`) });
}

/** Each card's rank (名次) in the current half-year's sales. */
export function rankMap(rows: readonly CardIndexRow[], now: number): Map<string, number> {
  return new Map(halfYearRanks(rows, now).lines.map((line) => [line.id, line.rank]));
}

/** Lines drawn from an index query while every row loads (the default view's first screen). */
const FIRST_PAGE = 60;

function isDefaultOrder(view: RegisterView): boolean {
  return view.sort.key === 'name' && !view.sort.desc && view.flags.length === 0 && view.staleDays === 0 && Object.values(view.lists).every((v) => !v || v.length === 0);
}

export function RegisterPage() {
  const { language, t } = useLanguage();
  const store = useStore();
  const [firstPageShown, setFirstPageShown] = useState(false);
  const [view, setView] = useRegisterView();
  // With the default view, every row is read only once the first screen is drawn (reading 10,000
  // rows holds IndexedDB for a few hundred ms and would delay that screen).
  const rows = useAllRows(firstPageShown || !isDefaultOrder(view));
  // Reading all 10,000 rows takes a few hundred ms; the first screen by name needs 60 of them.
  const [firstPage, setFirstPage] = useState<CardIndexRow[]>();
  useEffect(() => {
    if (isDefaultOrder(view))
      void store.listCards({ sort: 'name', limit: FIRST_PAGE }).then((page) => {
        setFirstPage(page);
        requestAnimationFrame(() => setTimeout(() => setFirstPageShown(true)));
      });
    // Only the view the page opened with matters.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [store]);
  // Until every row is read, the first screen (the totals say they are loading).
  const base = rows ?? firstPage;
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [pack, setPack] = useState<string[]>();
  const [printing, setPrinting] = useState(false);
  const [duplicates, setDuplicates] = useState(false);
  /** The lines the server released for the print (the register's own lines otherwise). */
  const [printRows, setPrintRows] = useState<readonly CardIndexRow[]>();
  const [notice, setNotice] = useState('');
  const api = useCustodyApi();
  const now = useMemo(() => Date.now(), [rows]);
  // Ranks only when a rank is shown or sorted by (they rank every card).
  const needsRanks = view.columns.includes('rank') || view.sort.key === 'rank';
  const teams = useOwnerTeams();
  const mayWrite = useMayWrite(teams);
  const ctx = useMemo<ViewContext>(() => ({ now, ranks: needsRanks ? rankMap(rows ?? [], now) : new Map(), teams }), [rows, now, needsRanks, teams]);
  // Sorted once per sort; a filter change filters the sorted rows.
  const sorted = useMemo(() => sortRows(base ?? [], view.sort, ctx), [base, view.sort, ctx]);
  const { lists, flags, staleDays } = view;
  const shown = useMemo(() => filterRows(sorted, { lists, flags, staleDays }, ctx), [sorted, lists, flags, staleDays, ctx]);
  const totals = useMemo(() => totalsOf(shown), [shown]);
  const byId = useMemo(() => new Map((rows ?? []).map((row) => [row.id, row])), [rows]);
  const stopPrinting = useCallback(() => {
    setPrinting(false);
    setPrintRows(undefined);
  }, []);
  usePrintWhenReady(printing, stopPrinting);

  const sortBy = (key: ColumnKey) => setView({ ...view, sort: { key, desc: view.sort.key === key ? !view.sort.desc : false } });
  const toggle = useCallback(
    (id: string) =>
      setSelected((current) => {
        const next = new Set(current);
        if (next.has(id)) next.delete(id);
        else next.add(id);
        return next;
      }),
    [],
  );
  /** Only the lines the server lets leave (and audits): never a borrowed card's, never another rep's for a rep. */
  async function released(kind: TakeOutKind, format: string, lines: readonly CardIndexRow[]): Promise<CardIndexRow[] | undefined> {
    const answer = await askToTakeOut(store, api, kind, format, lines.map((row) => row.id));
    if (!answer.ok) return void setNotice(takeOutRefusal(t, answer));
    if (answer.allowed.length === 0) return void setNotice(t('takeOut.nothing'));
    setNotice(answer.leftOut > 0 ? t('takeOut.leftOut', { count: answer.leftOut }) : '');
    const allowed = new Set(answer.allowed);
    return lines.filter((row) => allowed.has(row.id));
  }
  const exportCsv = async (all: readonly CardIndexRow[], name: string) => {
    const lines = await released('export', 'csv', all);
    if (lines) downloadCsv(name, toCsv(view.columns.map((key) => t(columnLabelKey(key))), lines.map((row) => view.columns.map((key) => csvCell(language, row, key, ctx)))));
  };
  const printRegister = async () => {
    const lines = await released('print', 'a4', shown);
    if (!lines) return;
    setPrintRows(lines);
    setPrinting(true);
  };

  if (!base) return <p className="muted">{t('register.loading')}</p>;
  const money = (amount: number) => formatMoney(language, amount);
  const count = (n: number) => new Intl.NumberFormat(language).format(n);
  return (
    <section className="register" data-testid="register">
      <div className="register-top">
        <FindBox onOpen={openCard} />
        <SavedViews view={view} onChange={setView} />
      </div>
      <RegisterFilters rows={base} view={view} teams={teams} onChange={setView} />
      <div className="register-bar">
        <p className="register-totals" data-testid="register-totals">
          <strong>{rows ? t('register.shownOf', { shown: count(totals.count), total: count(rows.length) }) : t('register.loading')}</strong>
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
          <button type="button" onClick={() => void exportCsv(shown, 'customer-register.csv')}>
            {t('register.exportCsv')}
          </button>
          <a className="button" href={`/transfer.html?${viewToParams(view, new URLSearchParams({ [REGISTER_VIEW_MARK]: '1' }))}#export`} target="_blank" rel="noopener" data-testid="register-export-full">
            {t('register.exportFull')}
          </a>
          <button type="button" data-testid="print-register" onClick={() => void printRegister()}>
            {t('register.printRegister')}
          </button>
          <button type="button" data-testid="open-duplicates" aria-pressed={duplicates} onClick={() => setDuplicates(!duplicates)}>
            {t('merge.open')}
          </button>
        </div>
      </div>
      {duplicates && rows ? <DuplicatesPanel rows={rows} mayMerge={mayWrite} onOpen={openCard} onClose={() => setDuplicates(false)} /> : null}
      {notice ? (
        <p className="register-notice" role="status" data-testid="register-notice">
          {notice}
        </p>
      ) : null}
      <SelectionActions
        selected={[...selected]}
        ownerOf={(id) => byId.get(id)?.owner ?? ''}
        onClear={() => setSelected(new Set())}
        onVisitPack={() => setPack([...selected])}
        onExport={() => void exportCsv(shown.filter((row) => selected.has(row.id)), 'customers-selected.csv')}
      />
      <RegisterTable rows={shown} view={view} ctx={ctx} selected={selected} onSort={sortBy} onToggle={toggle} onOpen={openCard} />
      {printing ? <RegisterPrint rows={printRows ?? shown} view={view} ctx={ctx} totals={printRows ? totalsOf(printRows) : totals} total={base.length} /> : null}
      {pack ? <VisitPack ids={pack} rows={byId} onClose={() => setPack(undefined)} /> : null}
    </section>
  );
}
