/**
 * The customer pool (公海) on the dashboard: the team's customers that returned to the pool, as
 * register lines (class, last contact, why it returned, whose it was) with Claim, the rep's
 * limits, and the rep's own customers about to return ("returns to the pool on …"). Everything
 * comes from the server (GET /api/pool); a claimed card arrives through the sync feed.
 */
import { useState } from 'react';
import { formatDate, type MessageKey } from '../../i18n/index.ts';
import type { CustodyApi } from '../../sync/custody-api.ts';
import { useCustodyApi } from '../common/use-custody.ts';
import { useLanguage } from '../common/use-language.tsx';
import { useLoaded } from './use-loaded.ts';

export function PoolPage() {
  const { t } = useLanguage();
  const api = useCustodyApi();
  if (!api) return <p className="muted" data-testid="pool-signed-out">{t('team.signIn')}</p>;
  return <Pool api={api} />;
}

function Pool({ api }: { api: CustodyApi }) {
  const { t, language } = useLanguage();
  const pool = useLoaded(() => api.pool(), [api]);
  const [notice, setNotice] = useState<string>();
  const [error, setError] = useState<string>();
  const day = (at: number) => (at > 0 ? formatDate(language, at) : t('pool.never'));
  const claim = async (cardId: string, name: string) => {
    setError(undefined);
    try {
      await api.claim(cardId);
      setNotice(t('pool.claimed', { name }));
      pool.reload();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  };
  if (pool.error) return <p className="error">{pool.error}</p>;
  const view = pool.value;
  if (!view) return <p className="muted">{t('panel.loading')}</p>;
  return (
    <div className="team-desk" data-testid="pool-page">
      {view.mine.length > 0 ? (
        <section className="dashboard-section" data-testid="pool-mine">
          <h2>{t('pool.mine')}</h2>
          <ul>
            {view.mine.map((line) => (
              <li key={line.cardId}>
                <strong>{line.name}</strong> — {t('pool.returnsOn', { date: formatDate(language, line.returnsAt), why: t(`pool.reason.${line.reason}` as MessageKey) })}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section className="dashboard-section" data-testid="pool-list">
        <h2>{t('pool.tab')}</h2>
        {!view.enabled ? <p className="muted">{t('pool.off')}</p> : null}
        <p className="muted" data-testid="pool-limits">{t('pool.limits', { today: view.claimsToday, daily: view.dailyClaims, held: view.held, max: view.maxHeld })}</p>
        {notice ? <p className="saved" data-testid="pool-notice">{notice}</p> : null}
        {error ? <p className="error" data-testid="pool-error">{error}</p> : null}
        {view.lines.length === 0 ? (
          <p className="muted">{t('pool.empty')}</p>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th>{t('pool.customer')}</th>
                <th>{t('pool.class')}</th>
                <th>{t('pool.lastContact')}</th>
                <th>{t('pool.why')}</th>
                <th>{t('pool.since')}</th>
                <th>{t('pool.previous')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {view.lines.map((line) => (
                <tr key={line.cardId} data-testid="pool-line">
                  <td>{line.name}</td>
                  <td>{line.cls}</td>
                  <td>{day(line.lastContact)}</td>
                  <td>{line.reason ? t(`pool.reason.${line.reason}` as MessageKey) : ''}</td>
                  <td>{day(line.since)}</td>
                  <td>{line.previousOwner}</td>
                  <td>
                    <button type="button" className="primary" onClick={() => void claim(line.cardId, line.name)} data-testid="pool-claim">
                      {t('pool.claim')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
