/** The dashboard (full tab): what is due, and the customer register (客户名册), a line per customer. */
import { useEffect, useMemo, useState } from 'react';
import type { CardIndexRow } from '../../../shared/card-types.ts';
import { OPTIONS } from '../../../shared/fields.ts';
import { formatMoney, formatRelative, labelOf } from '../../i18n/index.ts';
import { LanguageSwitch } from '../common/LanguageSwitch.tsx';
import { SyncStatusLine } from '../common/SyncStatusLine.tsx';
import { useLanguage } from '../common/use-language.tsx';
import { useStore, useStoreVersion } from '../common/use-store.ts';
import { DueList, useDueItems } from '../sidepanel/DueList.tsx';
import { TeamDesk } from '../team/TeamDesk.tsx';

const SHOWN = 200;

function openCard(cardId: string): void {
  void chrome.tabs.create({ url: chrome.runtime.getURL(`/card.html?id=${encodeURIComponent(cardId)}`) });
}

function Register() {
  const store = useStore();
  const version = useStoreVersion();
  const { language, t } = useLanguage();
  const [rows, setRows] = useState<CardIndexRow[]>([]);
  const [total, setTotal] = useState(0);
  useEffect(() => {
    void store.listCards({ sort: 'name', limit: SHOWN }).then(setRows);
    void store.countCards().then(setTotal);
  }, [store, version]);
  const now = Date.now();
  return (
    <section className="dashboard-section" data-testid="register">
      <h2>{t('dashboard.register')}</h2>
      <p className="muted">{t('dashboard.showing', { shown: rows.length, total })}</p>
      <table className="table">
        <thead>
          <tr>
            <th>{t('dashboard.name')}</th>
            <th>{t('dashboard.city')}</th>
            <th>{t('dashboard.class')}</th>
            <th>{t('dashboard.stage')}</th>
            <th>{t('dashboard.lastContact')}</th>
            <th className="number">{t('dashboard.receivables')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const stage = OPTIONS.stage.find((o) => o.value === row.stage);
            return (
              <tr key={row.id}>
                <td>
                  <button type="button" className="link" onClick={() => openCard(row.id)}>
                    {row.name}
                  </button>
                </td>
                <td>{row.city}</td>
                <td>{row.abc}</td>
                <td>{stage ? labelOf(language, stage.label) : ''}</td>
                <td>{row.lastContact ? formatRelative(language, row.lastContact, now) : t('card.never')}</td>
                <td className="number">{row.receivables ? formatMoney(language, row.receivables) : ''}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

/** The dashboard shows this many due items (the rest are counted). */
const DASHBOARD_DUE = 300;

/** Which view the dashboard shows: the URL's hash (#team), so it can be bookmarked. */
function useView(): ['home' | 'team', (view: 'home' | 'team') => void] {
  const read = () => (location.hash === '#team' ? 'team' : 'home');
  const [view, setView] = useState<'home' | 'team'>(read);
  useEffect(() => {
    const onHash = () => setView(read());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  return [view, (next) => void (location.hash = next === 'team' ? 'team' : '')];
}

export function Dashboard() {
  const { t } = useLanguage();
  const due = useDueItems();
  const firstDue = useMemo(() => due?.slice(0, DASHBOARD_DUE), [due]);
  const [view, setView] = useView();
  return (
    <div className="dashboard">
      <header className="dashboard-header">
        <h1>{t('dashboard.title')}</h1>
        <nav className="dashboard-nav">
          <button type="button" className={view === 'home' ? 'tab active' : 'tab'} onClick={() => setView('home')} data-testid="nav-home">
            {t('dashboard.register')}
          </button>
          <button type="button" className={view === 'team' ? 'tab active' : 'tab'} onClick={() => setView('team')} data-testid="nav-team">
            {t('team.title')}
          </button>
        </nav>
        <div className="dashboard-tools">
          <a href="/transfer.html#import" data-testid="open-import">
            {t('dashboard.import')}
          </a>
          <a href="/transfer.html#export">{t('dashboard.exportBackup')}</a>
          <SyncStatusLine />
          <LanguageSwitch />
        </div>
      </header>
      {view === 'team' ? <TeamDesk /> : (
      <div className="dashboard-columns">
        <section className="dashboard-section" data-testid="dashboard-due">
          <h2>{t('dashboard.due')}</h2>
          {due && firstDue ? <DueList items={firstDue} total={due.length} onOpen={openCard} /> : <p className="muted">{t('panel.loading')}</p>}
        </section>
        <Register />
      </div>
      )}
    </div>
  );
}
