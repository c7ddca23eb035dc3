import type { MessageKey } from '../../i18n/index.ts';
import { footerShown } from './sync-summary.ts';
import { useLanguage } from './use-language.tsx';
import { useSyncStatus } from './use-sync-status.ts';

/**
 * Always-visible sync state: synced (green, only with nothing waiting or refused), changes
 * waiting, changes refused (a link to the list of what to do), offline, syncing (with progress),
 * sign-in rejected, or a disabled account (with what was removed from this device).
 */
export function SyncStatusLine() {
  const { t } = useLanguage();
  const status = useSyncStatus();
  const shown = footerShown(status);
  const progress = status.progress && status.progress.total > 0 ? status.progress : undefined;
  const pending = status.pending ?? 0;
  const label = progress
    ? t('sync.progress', progress)
    : status.state === 'online'
      ? pending > 0
        ? t('sync.waiting', { count: pending })
        : shown === 'refused'
          ? t('sync.restSynced')
          : t('sync.synced')
      : status.state === 'offline' && pending > 0 && !status.storeUnavailable
        ? t('sync.sendingOffline', { count: pending })
        : t(`sync.${status.state}` as MessageKey);
  const refusedLink = chrome.runtime.getURL('/settings.html#refused');
  return (
    <div className={`sync-status sync-${status.state} sync-shown-${shown}`} data-testid="sync-status" data-state={status.state} data-shown={shown} role="status">
      <span className="sync-dot" aria-hidden="true" />
      <span className="sync-label" data-testid="sync-label">
        {label}
      </span>
      {progress ? <progress max={progress.total} value={progress.done} data-testid="sync-progress" /> : null}
      {status.state !== 'online' && status.state !== 'offline' && pending > 0 ? <span className="muted sync-pending">{t('sync.pending', { count: pending })}</span> : null}
      {status.state === 'user-disabled' && status.wiped ? (
        <span className="error" data-testid="sync-wiped">
          {t('sync.wiped', status.wiped)}
        </span>
      ) : null}
      {status.storeUnavailable ? (
        <span className="error" data-testid="sync-store-unavailable">
          {t('sync.storeUnavailable')}
        </span>
      ) : null}
      {status.removed ? <span className="muted" data-testid="sync-removed">{t('sync.removed', { count: status.removed })}</span> : null}
      {status.refused ? (
        <a className="error sync-refused" data-testid="sync-refused" href={refusedLink} target="_blank" rel="noreferrer">
          {t('sync.refusedLink', { count: status.refused })}
        </a>
      ) : null}
    </div>
  );
}
