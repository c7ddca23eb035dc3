/** The settings page: sign in to the sync server (with a token or an invitation code; and settle an account change), refused changes, reminders, classification, your name, the UI language. */
import { useEffect, useState } from 'react';
import { DEFAULT_SERVER_URL, normaliseServerUrl, SYNC_SETTINGS_CHANGED } from '../../sync/settings.ts';
import { LanguageSwitch } from '../common/LanguageSwitch.tsx';
import { SyncStatusLine } from '../common/SyncStatusLine.tsx';
import { useSyncStatus } from '../common/use-sync-status.ts';
import { AccountChangeNotice } from './AccountChangeNotice.tsx';
import { ClassificationSettings } from './ClassificationSettings.tsx';
import { InvitationCode } from './InvitationCode.tsx';
import { KeptAccounts } from './KeptAccounts.tsx';
import { CustodyQueueList } from './CustodyQueueList.tsx';
import { RefusedChanges } from './RefusedChanges.tsx';
import { SampleCustomers } from './SampleCustomers.tsx';
import { RemindersSettings } from './RemindersSettings.tsx';
import { SignedInAs } from './SignedInAs.tsx';
import { WebmailSites } from './WebmailSites.tsx';
import { useLanguage } from '../common/use-language.tsx';
import { useStore } from '../common/use-store.ts';

export function SettingsApp() {
  const store = useStore();
  const { t } = useLanguage();
  const status = useSyncStatus();
  const [serverUrl, setServerUrl] = useState(DEFAULT_SERVER_URL);
  const [token, setToken] = useState('');
  const [userName, setUserName] = useState('');
  const [message, setMessage] = useState<{ kind: 'error' | 'saved'; text: string } | undefined>();

  useEffect(() => {
    void Promise.all([store.getSetting<string>('syncUrl'), store.getSetting<string>('syncToken'), store.getSetting<string>('userName')]).then(([url, savedToken, name]) => {
      if (url) setServerUrl(url);
      if (savedToken) setToken(savedToken);
      if (name) setUserName(name);
    });
  }, [store]);

  const tellBackground = () => chrome.runtime.sendMessage({ type: SYNC_SETTINGS_CHANGED }).catch(() => undefined);

  const signIn = async () => {
    const url = normaliseServerUrl(serverUrl);
    if (!url) return setMessage({ kind: 'error', text: t('settings.badUrl') });
    if (!token.trim()) return setMessage({ kind: 'error', text: t('settings.tokenMissing') });
    await store.setSetting('syncUrl', url);
    await store.setSetting('syncToken', token.trim());
    await tellBackground();
    setMessage({ kind: 'saved', text: t('settings.saved') });
  };

  const signOut = async () => {
    await store.setSetting('syncToken', '');
    setToken('');
    await tellBackground();
  };

  return (
    <main className="settings">
      <h1>{t('settings.title')}</h1>
      <section className="settings-section">
        <h2>{t('settings.sync')}</h2>
        <SyncStatusLine />
        <SignedInAs />
        {status.state === 'account-changed' && status.accountChange ? <AccountChangeNotice change={status.accountChange} /> : null}
        <KeptAccounts />
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void signIn();
          }}
        >
          <label>
            <span>{t('settings.serverUrl')}</span>
            <input value={serverUrl} onChange={(e) => setServerUrl(e.target.value)} data-testid="server-url" spellCheck={false} />
          </label>
          <label>
            <span>{t('settings.token')}</span>
            <input value={token} onChange={(e) => setToken(e.target.value)} type="password" autoComplete="off" data-testid="server-token" />
            <small className="hint">{t('settings.tokenHint')}</small>
          </label>
          {message ? (
            <p className={message.kind === 'error' ? 'error' : 'saved'} role="status">
              {message.text}
            </p>
          ) : null}
          <div className="settings-actions">
            <button type="submit" className="primary" data-testid="sign-in">
              {t('settings.signIn')}
            </button>
            <button type="button" onClick={() => void signOut()} data-testid="sign-out">
              {t('settings.signOut')}
            </button>
          </div>
        </form>
        <InvitationCode
          serverUrl={serverUrl}
          onToken={async (newToken) => {
            const url = normaliseServerUrl(serverUrl);
            if (!url) return;
            await store.setSetting('syncUrl', url);
            await store.setSetting('syncToken', newToken);
            setToken(newToken);
            await tellBackground();
          }}
        />
      </section>
      <RefusedChanges />
      <CustodyQueueList />
      <SampleCustomers />
      <WebmailSites />
      <RemindersSettings />
      <ClassificationSettings />
      <section className="settings-section">
        <h2>{t('settings.profile')}</h2>
        <label>
          <span>{t('settings.userName')}</span>
          <input value={userName} maxLength={100} onChange={(e) => setUserName(e.target.value)} onBlur={() => void store.setSetting('userName', userName.trim())} data-testid="user-name" />
        </label>
        <LanguageSwitch />
      </section>
    </main>
  );
}
