/**
 * Shown when the device holds cards of another account than the one that signed in: says what
 * the device holds and whose it is, and lets the user choose (sync/account-switch.ts).
 */
import { useState } from 'react';
import { canReupload, keepPreviousAccountApart, removePreviousAccountCards, reuploadToResetServer } from '../../sync/account-switch.ts';
import { SYNC_SETTINGS_CHANGED } from '../../sync/settings.ts';
import type { AccountChange } from '../../sync/types.ts';
import { useLanguage } from '../common/use-language.tsx';
import { useDeviceSync } from '../common/use-store.ts';

export function AccountChangeNotice({ change }: { change: AccountChange }) {
  const store = useDeviceSync();
  const { t } = useLanguage();
  const [busy, setBusy] = useState(false);
  const sameUser = canReupload(change);
  const act = async (action: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await action();
      await chrome.runtime.sendMessage({ type: SYNC_SETTINGS_CHANGED }).catch(() => undefined);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="account-change" role="alert" data-testid="account-change">
      <p>
        <strong>{sameUser ? t('account.resetTitle') : t('account.changedTitle')}</strong>
      </p>
      <p>
        {t('account.holds', { cards: change.cards, pending: change.pending, user: change.previous.user, server: change.previous.server })}{' '}
        {sameUser ? t('account.resetExplain') : t('account.changedExplain', { user: change.next.user, server: change.next.server })}
      </p>
      <div className="settings-actions">
        {sameUser ? (
          <button type="button" className="primary" disabled={busy} onClick={() => void act(() => reuploadToResetServer(store, change))} data-testid="account-reupload">
            {t('account.reupload')}
          </button>
        ) : null}
        <button type="button" className={sameUser ? '' : 'primary'} disabled={busy} onClick={() => void act(() => keepPreviousAccountApart(store, change))} data-testid="account-keep-apart">
          {t('account.keepApart', { cards: change.cards })}
        </button>
        <button type="button" className="danger" disabled={busy} onClick={() => void act(() => removePreviousAccountCards(store))} data-testid="account-remove">
          {t('account.remove', { cards: change.cards })}
        </button>
      </div>
      <p className="muted">{t('account.keepHint')}</p>
    </div>
  );
}
