/**
 * Loans (借阅) on the desk: a manager sees the requests for the team's cards and approves
 * (possibly shortened, possibly allowing writing), or declines with a reason; everyone sees
 * their own requests and how they stand.
 */
import { useState } from 'react';
import type { CustodyApi, LoanInfo } from '../../sync/custody-api.ts';
import { formatDate, type MessageKey } from '../../i18n/index.ts';
import { useLanguage } from '../common/use-language.tsx';
import { endOfInputDay, todayInput } from '../common/form-dates.ts';
import { useLoaded } from './use-loaded.ts';

function Decide({ api, loan, onDone }: { api: CustodyApi; loan: LoanInfo; onDone: () => void }) {
  const { t } = useLanguage();
  const [until, setUntil] = useState(todayInput(loan.wantedUntil));
  const [write, setWrite] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();
  const decide = async (approve: boolean) => {
    try {
      await api.decideLoan(loan.id, { approve, until: endOfInputDay(until), write, reason });
      onDone();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  };
  return (
    <div className="decide" data-testid={`decide-loan-${loan.id}`}>
      <label>
        {t('team.until')} <input type="date" value={until} max={todayInput(loan.wantedUntil)} onChange={(e) => setUntil(e.target.value)} data-testid="loan-until" />
      </label>
      <label className="check">
        <input type="checkbox" checked={write} onChange={(e) => setWrite(e.target.checked)} data-testid="loan-write" /> {t('team.allowWriting')}
      </label>
      <input placeholder={t('team.decisionReason')} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} data-testid="loan-reason" />
      <button type="button" className="primary" disabled={!reason.trim()} onClick={() => void decide(true)} data-testid="loan-approve">
        {t('team.approve')}
      </button>
      <button type="button" disabled={!reason.trim()} onClick={() => void decide(false)} data-testid="loan-decline">
        {t('team.decline')}
      </button>
      {error ? <p className="error" role="alert">{error}</p> : null}
    </div>
  );
}

export function LoanRequests({ api, me, canDecide }: { api: CustodyApi; me: string; canDecide: boolean }) {
  const { language, t } = useLanguage();
  const loans = useLoaded(() => api.loans(), [api]);
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
                {loan.status === 'requested' && canDecide && loan.borrower !== me ? <Decide api={api} loan={loan} onDone={loans.reload} /> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      )}
    </section>
  );
}
