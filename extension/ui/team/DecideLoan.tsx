/**
 * Approve a loan request (possibly shortened, possibly allowing writing) or decline it, with a
 * reason: the same call (POST /api/loans/:id/decision) on the Team page's loans and in the
 * manager's inbox; the server checks who may decide (the company's loans.approver) and for how
 * long, and the borrower's device hears of the decision as before.
 */
import { useState } from 'react';
import type { CustodyApi, LoanInfo } from '../../sync/custody-api.ts';
import { useLanguage } from '../common/use-language.tsx';
import { endOfInputDay, todayInput } from '../common/form-dates.ts';
import { custodyFailureText } from '../common/custody-failure.ts';

export function DecideLoan({ api, loan, onDone }: { api: CustodyApi; loan: LoanInfo; onDone: () => void }) {
  const { language, t } = useLanguage();
  const [until, setUntil] = useState(todayInput(loan.wantedUntil));
  const [write, setWrite] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();
  const decide = async (approve: boolean) => {
    try {
      await api.decideLoan(loan.id, { approve, until: endOfInputDay(until), write, reason });
      onDone();
    } catch (failure) {
      setError(custodyFailureText(language, failure));
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
