/**
 * The export screen: the customer register as CSV (UTF-8 with BOM, formula-safe) or XLSX (built
 * in the file worker), sensitive fields only when ticked and with a warning; the people of
 * chosen customers as vCard 4.0; one customer's statement as CSV.
 */
import { useEffect, useState } from 'react';
import type { CardIndexRow } from '../../../shared/card-types.ts';
import { toCsv } from '../../../shared/export/csv-write.ts';
import { statementRows } from '../../../shared/export/statement.ts';
import { cardsToVcards } from '../../../shared/export/vcard-write.ts';
import type { CardStoreApi } from '../../store/api.ts';
import { REGISTER_VIEW_MARK } from '../register/register-view.ts';
import { useLanguage } from '../common/use-language.tsx';
import { useStore, useStoreVersion } from '../common/use-store.ts';
import { warmWorker, xlsxInWorker } from '../import/file-worker-client.ts';
import { CSV_TYPE, downloadFile, today, XLSX_TYPE } from './download.ts';
import { rowsToExport } from './export-rows.ts';
import { askToTakeOut, takeOutRefusal } from './take-out.ts';
import { useCustodyApi } from '../common/use-custody.ts';
import { registerExportTable } from './register-export.ts';

const CHOOSER_SHOWN = 100;

const rowsOfLocation = (store: CardStoreApi) => rowsToExport(store, location.search);

export function ExportPanel() {
  const store = useStore();
  const version = useStoreVersion();
  const { language, t } = useLanguage();
  const [count, setCount] = useState(0);
  const [sensitive, setSensitive] = useState(false);
  const [working, setWorking] = useState('');
  const [leftOut, setLeftOut] = useState<string[]>([]);
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<CardIndexRow[]>([]);
  const [chosen, setChosen] = useState<Map<string, string>>(new Map());
  const api = useCustodyApi();
  /** What the server said of the last export: cards left out, or why nothing was released. */
  const [notice, setNotice] = useState('');

  /** Only the cards the server lets leave (and audits); undefined, with the reason shown, when none may. */
  async function released(format: string, ids: readonly string[]): Promise<Set<string> | undefined> {
    setNotice(t('takeOut.asking'));
    const answer = await askToTakeOut(store, api, 'export', format, ids);
    if (!answer.ok) {
      setNotice(takeOutRefusal(t, answer));
      return undefined;
    }
    if (answer.allowed.length === 0) {
      setNotice(t('takeOut.nothing'));
      return undefined;
    }
    setNotice(answer.leftOut > 0 ? t('takeOut.leftOut', { count: answer.leftOut }) : '');
    return new Set(answer.allowed);
  }

  const fromRegister = new URLSearchParams(location.search).has(REGISTER_VIEW_MARK);
  // exceljs loads in the worker while the user chooses what to export.
  useEffect(() => warmWorker(), []);
  useEffect(() => void (fromRegister ? rowsOfLocation(store).then((rows) => setCount(rows.length)) : store.countCards().then(setCount)), [store, version, fromRegister]);
  useEffect(() => {
    const lookup = query.trim() ? store.search(query.trim(), CHOOSER_SHOWN) : store.listCards({ sort: 'name', limit: CHOOSER_SHOWN });
    void lookup.then(setFound);
  }, [store, version, query]);

  async function exportRegister(format: 'csv' | 'xlsx'): Promise<void> {
    setWorking(t('export.working', { done: 0, total: count }));
    try {
      // The export gets the CPU: moving an import's rows and such wait until it is done.
      await store.holdUpkeep(async () => {
        const all = await rowsOfLocation(store);
        const allowed = await released(format, all.map((row) => row.id));
        if (!allowed) return;
        const rows = all.filter((row) => allowed.has(row.id));
        const table = await registerExportTable(store, rows, { language, includeSensitive: sensitive }, (done, total) => setWorking(t('export.working', { done, total })));
        setLeftOut(table.leftOut);
        const name = `${language === 'zh-CN' ? '客户名册' : 'customer-register'}-${today()}`;
        if (format === 'csv') downloadFile(toCsv([table.header, ...table.rows]), `${name}.csv`, CSV_TYPE);
        else downloadFile(await xlsxInWorker(table, language === 'zh-CN' ? '客户名册' : 'Customers'), `${name}.xlsx`, XLSX_TYPE);
      });
    } finally {
      setWorking('');
    }
  }

  async function exportPeople(): Promise<void> {
    const allowed = await released('vcf', [...chosen.keys()]);
    if (!allowed) return;
    const cards = await store.readCards([...allowed]);
    downloadFile(cardsToVcards(cards), `contacts-${today()}.vcf`, 'text/vcard;charset=utf-8');
  }

  async function exportStatement(): Promise<void> {
    const [id] = [...chosen.keys()];
    const allowed = id ? await released('csv', [id]) : undefined;
    const card = id && allowed?.has(id) ? await store.getCard(id) : undefined;
    if (card) downloadFile(toCsv(statementRows(card, language)), `statement-${String(card.fields.name).slice(0, 40)}-${today()}.csv`, CSV_TYPE);
  }

  const toggle = (row: CardIndexRow) =>
    setChosen((current) => {
      const next = new Map(current);
      if (next.has(row.id)) next.delete(row.id);
      else next.set(row.id, row.name);
      return next;
    });

  return (
    <div className="export-panel" data-testid="export-panel">
      {notice ? (
        <p className="export-notice" role="status" data-testid="export-notice">
          {notice}
        </p>
      ) : null}
      <section>
        <h3>{t('export.register')}</h3>
        <p className="muted" data-testid="export-register-hint">{t(fromRegister ? 'export.registerViewHint' : 'export.registerHint', { count })}</p>
        <label>
          <input type="checkbox" data-testid="export-sensitive" checked={sensitive} onChange={(event) => setSensitive(event.target.checked)} /> {t('export.sensitive')}
        </label>
        {sensitive ? (
          <p className="import-failure" role="alert" data-testid="export-sensitive-warning">
            {t('export.sensitiveWarning')}
          </p>
        ) : null}
        <div className="export-buttons">
          <button type="button" data-testid="export-csv" disabled={!!working || count === 0} onClick={() => void exportRegister('csv')}>
            {t('export.csv')}
          </button>
          <button type="button" data-testid="export-xlsx" disabled={!!working || count === 0} onClick={() => void exportRegister('xlsx')}>
            {t('export.xlsx')}
          </button>
          {working ? <span className="muted">{working}</span> : null}
        </div>
        {leftOut.length > 0 ? <p className="muted">{t('export.leftOut', { fields: leftOut.join(', ') })}</p> : null}
      </section>
      <section>
        <h3>{t('export.people')}</h3>
        <p className="muted">{t('export.peopleHint')}</p>
        <input data-testid="export-search" placeholder={t('export.search')} value={query} onChange={(event) => setQuery(event.target.value)} />
        <ul className="export-chooser">
          {found.map((row) => (
            <li key={row.id}>
              <label>
                <input type="checkbox" data-testid="export-choose" checked={chosen.has(row.id)} onChange={() => toggle(row)} /> {row.name}
                {row.primaryContact ? <span className="muted"> · {row.primaryContact}</span> : null}
              </label>
            </li>
          ))}
        </ul>
        <p className="muted">{t('export.chosen', { count: chosen.size })}</p>
        <div className="export-buttons">
          <button type="button" data-testid="export-vcard" disabled={chosen.size === 0} onClick={() => void exportPeople()}>
            {t('export.vcard')}
          </button>
          <button type="button" data-testid="export-statement" disabled={chosen.size !== 1} title={chosen.size !== 1 ? t('export.statementHint') : ''} onClick={() => void exportStatement()}>
            {t('export.statement')}
          </button>
        </div>
      </section>
    </div>
  );
}
