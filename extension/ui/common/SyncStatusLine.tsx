import type { MessageKey } from '../../i18n/index.ts';
import { useLanguage } from './use-language.tsx';
import { useSyncStatus } from './use-sync-status.ts';

/**
 * Always-visible sync state: online, offline, syncing (with progress), sign-in rejected, or a
 * disabled account (with what was removed from this device).
 */
export function SyncStatusLine() {
  const { t } = useLanguage();
  const status = useSyncStatus();
  const progress = status.progress && status.progress.total > 0 ? status.progress : undefined;
  const label = progress ? t('sync.progress', progress) : t(`sync.${status.state}` as MessageKey);
  return (
    <div className={`sync-status sync-${status.state}`} data-testid="sync-status" data-state={status.state} role="status">
      <span className="sync-dot" aria-hidden="true" />
      <span className="sync-label">{label}</span>
      {progress ? <progress max={progress.total} value={progress.done} data-testid="sync-progress" /> : null}
      {status.pending ? <span className="muted sync-pending">{t('sync.pending', { count: status.pending })}</span> : null}
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
        <span className="error sync-refused" data-testid="sync-refused" title={status.message ?? ''}>
          {t('sync.refused', { count: status.refused })}
        </span>
      ) : null}
    </div>
  );
}
