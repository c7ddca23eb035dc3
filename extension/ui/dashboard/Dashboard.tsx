/**
 * The dashboard (full tab): today's due list, the customer register (客户名册), the collection
 * plan, visit routes by region, the analysis desk, the Team desk (custody), the customer pool
 * (公海) and the company rules, one tab each; the tab lives in the URL (?tab=, the Team desk
 * also as #team) with the register's view. The desk (and the charting library) loads only when
 * its tab is opened. A tab is one entry in TABS.
 */
import { lazy, Suspense, useEffect, useMemo, useState, type ComponentType } from 'react';
import type { MessageKey } from '../../i18n/index.ts';
import { CollectionPlanPage } from '../collections/CollectionPlanPage.tsx';
import { FlaggedCustomers } from './FlaggedCustomers.tsx';
import { LanguageSwitch } from '../common/LanguageSwitch.tsx';
import { SyncStatusLine } from '../common/SyncStatusLine.tsx';
import { useLanguage } from '../common/use-language.tsx';
import { openCard, RegisterPage } from '../register/RegisterPage.tsx';
import { RoutePage } from '../route/RoutePage.tsx';
import { DueList, useDueItems } from '../sidepanel/DueList.tsx';
import { PolicyPage } from '../team/PolicyPage.tsx';
import { PoolPage } from '../team/PoolPage.tsx';
import { TeamDesk } from '../team/TeamDesk.tsx';
import { useInboxFeed } from '../../inbox/inbox-feed.ts';
import { InboxBadge } from '../inbox/InboxList.tsx';

const loadDesk = () => import('../desk/DeskPage.tsx');
const DeskPage = lazy(() => loadDesk().then((module) => ({ default: module.DeskPage })));

/** The dashboard shows this many due items (the rest are counted). */
const DASHBOARD_DUE = 300;

function Today() {
  const { t } = useLanguage();
  const due = useDueItems();
  const firstDue = useMemo(() => due?.slice(0, DASHBOARD_DUE), [due]);
  return (
    <section className="dashboard-section" data-testid="dashboard-due">
      <h2>{t('dashboard.due')}</h2>
      {due && firstDue ? <DueList items={firstDue} total={due.length} onOpen={openCard} /> : <p className="muted">{t('panel.loading')}</p>}
    </section>
  );
}

function TodayTab() {
  return (
    <div className="today">
      <Today />
      <FlaggedCustomers />
    </div>
  );
}

function Desk() {
  const { t } = useLanguage();
  return (
    <Suspense fallback={<p className="muted">{t('desk.loading')}</p>}>
      <DeskPage />
    </Suspense>
  );
}

const TABS: { id: string; label: MessageKey; Page: ComponentType; prefetch?: () => unknown; testId?: string }[] = [
  { id: 'today', label: 'dashboard.tab.today', Page: TodayTab },
  { id: 'register', label: 'dashboard.tab.register', Page: RegisterPage },
  { id: 'collections', label: 'plan.tab', Page: CollectionPlanPage },
  { id: 'routes', label: 'route.tab', Page: RoutePage },
  { id: 'desk', label: 'dashboard.tab.desk', Page: Desk, prefetch: loadDesk },
  { id: 'team', label: 'team.title', Page: TeamDesk, testId: 'nav-team' },
  { id: 'pool', label: 'pool.tab', Page: PoolPage },
  { id: 'rules', label: 'policy.tab', Page: PolicyPage },
];

function tabOfUrl(): string {
  if (location.hash === '#team') return 'team';
  const tab = new URLSearchParams(location.search).get('tab');
  return TABS.some((t) => t.id === tab) ? tab! : 'today';
}

export function Dashboard() {
  const { t } = useLanguage();
  const [tab, setTab] = useState(tabOfUrl);
  useEffect(() => {
    const controller = new AbortController();
    window.addEventListener('hashchange', () => setTab(tabOfUrl()), { signal: controller.signal });
    return () => controller.abort();
  }, []);
  const choose = (id: string) => {
    setTab(id);
    const params = new URLSearchParams(location.search);
    params.set('tab', id);
    history.replaceState(history.state, '', `${location.pathname}?${params.toString()}${id === 'team' ? '#team' : ''}`);
  };
  const Page = TABS.find((entry) => entry.id === tab)!.Page;
  const inbox = useInboxFeed();
  return (
    <div className="dashboard">
      <header className="dashboard-header">
        <h1>{t('dashboard.title')}</h1>
        <nav className="dashboard-tabs" role="tablist">
          {TABS.map((entry) => (
            <button key={entry.id} type="button" role="tab" aria-selected={entry.id === tab} data-testid={entry.testId ?? `tab-${entry.id}`} className={entry.id === tab ? 'active' : undefined} onPointerEnter={() => void entry.prefetch?.()} onClick={() => choose(entry.id)}>
              {t(entry.label)}
              {entry.id === 'team' ? <InboxBadge feed={inbox} /> : null}
            </button>
          ))}
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
      <Page />
    </div>
  );
}
