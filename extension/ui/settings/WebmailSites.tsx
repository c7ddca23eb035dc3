/**
 * Settings → Webmail sites: Gmail and Outlook on the web work from install; any other webmail
 * is enabled here, one site at a time, by granting the extension that site (the browser asks),
 * and removed again. The background registers the sender script for exactly these sites.
 */
import { useEffect, useState } from 'react';
import { enabledSites, sitePattern } from '../../webmail-hosts.ts';
import { useLanguage } from '../common/use-language.tsx';

const shown = (pattern: string) => pattern.replace(/\/\*$/, '');

export function WebmailSites() {
  const { t } = useLanguage();
  const [sites, setSites] = useState<string[]>([]);
  const [address, setAddress] = useState('');
  const [message, setMessage] = useState('');

  useEffect(() => {
    const reload = () => void enabledSites().then(setSites);
    reload();
    chrome.permissions.onAdded.addListener(reload);
    chrome.permissions.onRemoved.addListener(reload);
    return () => {
      chrome.permissions.onAdded.removeListener(reload);
      chrome.permissions.onRemoved.removeListener(reload);
    };
  }, []);

  async function enable(): Promise<void> {
    const pattern = sitePattern(address);
    if (!pattern) {
      setMessage(t('sites.invalid'));
      return;
    }
    // Asked in the click itself: the browser shows its own prompt for this one site.
    const granted = await chrome.permissions.request({ origins: [pattern] }).catch(() => false);
    setMessage(granted ? t('sites.enabled', { site: shown(pattern) }) : t('sites.declined', { site: shown(pattern) }));
    if (granted) setAddress('');
    setSites(await enabledSites());
  }

  async function remove(pattern: string): Promise<void> {
    await chrome.permissions.remove({ origins: [pattern] }).catch(() => false);
    setMessage(t('sites.removed', { site: shown(pattern) }));
    setSites(await enabledSites());
  }

  return (
    <section className="settings-section" data-testid="settings-sites">
      <h2>{t('sites.title')}</h2>
      <p className="hint">{t('sites.hint')}</p>
      {sites.length === 0 ? <p className="muted" data-testid="sites-none">{t('sites.none')}</p> : null}
      <ul>
        {sites.map((site) => (
          <li key={site} data-testid="site">
            {shown(site)}{' '}
            <button type="button" onClick={() => void remove(site)} data-testid={`site-remove-${shown(site)}`}>
              {t('sites.remove')}
            </button>
          </li>
        ))}
      </ul>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void enable();
        }}
      >
        <label>
          <span>{t('sites.address')}</span>
          <input value={address} onChange={(event) => setAddress(event.target.value)} placeholder="mail.example.com" spellCheck={false} data-testid="site-address" />
        </label>
        <button type="submit" data-testid="site-enable">
          {t('sites.enable')}
        </button>
      </form>
      {message ? (
        <p role="status" data-testid="sites-message">
          {message}
        </p>
      ) : null}
    </section>
  );
}
