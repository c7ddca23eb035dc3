/** The page behind the dashboard's Import and Export & backup links: three tabs, chosen by the URL hash. */
import { useEffect, useState } from 'react';
import type { MessageKey } from '../../i18n/index.ts';
import { LanguageSwitch } from '../common/LanguageSwitch.tsx';
import { useLanguage } from '../common/use-language.tsx';
import { ImportPanel } from '../import/ImportPanel.tsx';
import { BackupPanel } from './BackupPanel.tsx';
import { ExportPanel } from './ExportPanel.tsx';

type Tab = 'import' | 'export' | 'backup';
const TABS: [Tab, MessageKey][] = [
  ['import', 'transfer.tabImport'],
  ['export', 'transfer.tabExport'],
  ['backup', 'transfer.tabBackup'],
];

const tabOfHash = (): Tab => {
  const hash = location.hash.slice(1);
  return hash === 'export' || hash === 'backup' ? hash : 'import';
};

export function TransferPage() {
  const { t } = useLanguage();
  const [tab, setTab] = useState<Tab>(tabOfHash);
  useEffect(() => {
    const follow = () => setTab(tabOfHash());
    window.addEventListener('hashchange', follow);
    return () => window.removeEventListener('hashchange', follow);
  }, []);
  useEffect(() => {
    document.title = t('transfer.title');
  }, [t]);
  return (
    <div className="transfer">
      <header className="dashboard-header">
        <h1>{t('transfer.title')}</h1>
        <div className="dashboard-tools">
          <a href="/dashboard.html">{t('transfer.back')}</a>
          <LanguageSwitch />
        </div>
      </header>
      <nav className="transfer-tabs" role="tablist">
        {TABS.map(([id, label]) => (
          <a key={id} role="tab" href={`#${id}`} aria-selected={tab === id} data-testid={`tab-${id}`} className={tab === id ? 'active' : ''}>
            {t(label)}
          </a>
        ))}
      </nav>
      <div className="dashboard-section">{tab === 'import' ? <ImportPanel /> : tab === 'export' ? <ExportPanel /> : <BackupPanel />}</div>
    </div>
  );
}
