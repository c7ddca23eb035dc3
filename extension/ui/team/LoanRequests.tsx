/**
 * Loans (借阅) on the desk: a manager sees the requests for the team's cards and approves
 * (possibly shortened, possibly allowing writing), or declines with a reason; everyone sees
 * their own requests and how they stand.
 */
import type { CustodyApi } from '../../sync/custody-api.ts';
import { formatDate, type MessageKey } from '../../i18n/index.ts';
import { useLanguage } from '../common/use-language.tsx';
import { useLoaded } from './use-loaded.ts';
import { DecideLoan } from './DecideLoan.tsx';
import { askForFreshFeed } from '../../inbox/inbox-feed.ts';

/** `reloadWith`: the list loads again whenever it changes (the inbox moved: TeamDesk). */
export function LoanRequests({ api, me, canDecide, reloadWith = '' }: { api: CustodyApi; me: string; canDecide: boolean; reloadWith?: string }) {
  const { language, t } = useLanguage();
  const loans = useLoaded(() => api.loans(), [api, reloadWith]);
  const decided = () => {
    loans.reload();
    askForFreshFeed();
  };
  const list = loans.value ?? [];
  return (
    <section className="dashboard-section" data-testid="team-loans">
      <h2>{t('team.loans')}</h2>
      {loans.error ? <p className="error">{loans.error}</p> : null}
      {list.length === 0 ? <p className="muted">{t('team.noLoans')}</p> : null}
      {list.length === 0 ? null : (
      <table className="table">
        <thead>
          <tr>
            <th>{t('team.customer')}</th>
            <th>{t('team.borrower')}</th>
            <th>{t('team.period')}</th>
            <th>{t('team.reason')}</th>
            <th>{t('team.state')}</th>
          </tr>
        </thead>
        <tbody>
          {list.map((loan) => (
            <tr key={loan.id} data-testid="loan-row" data-status={loan.status}>
              <td>
                {loan.cardName || t('custody.unnamed')}
                <div className="muted">{t('custody.owner', { owner: loan.owner })}</div>
              </td>
              <td>{loan.borrower}</td>
              <td>{t('team.untilDate', { date: formatDate(language, loan.until ?? loan.wantedUntil) })}</td>
              <td>{loan.reason}</td>
              <td>
                <span className={`chip loan-${loan.status}`}>{t(`team.loan.${loan.status}` as MessageKey)}</span>
                {loan.write && loan.status === 'active' ? <span className="muted"> · {t('team.mayWrite')}</span> : null}
                {loan.decisionReason && loan.status !== 'requested' ? <div className="muted">{t('team.decidedBy', { who: loan.approver ?? '', reason: loan.decisionReason })}</div> : null}
                {loan.status === 'requested' && canDecide && loan.borrower !== me ? <DecideLoan api={api} loan={loan} onDone={decided} /> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      )}
    </section>
  );
}
