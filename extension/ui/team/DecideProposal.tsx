/**
 * Approve a proposed controlled change (the server applies the value, recorded with both names)
 * or decline it, with a reason: the same call (POST /api/proposals/:id/decision) on the Team
 * page's proposals and in the manager's inbox; the proposer's device hears of the decision.
 */
import { useState } from 'react';
import type { CustodyApi, ProposalInfo } from '../../sync/custody-api.ts';
import { useLanguage } from '../common/use-language.tsx';
import { custodyFailureText } from '../common/custody-failure.ts';

export function DecideProposal({ api, proposal, onDone }: { api: CustodyApi; proposal: ProposalInfo; onDone: () => void }) {
  const { language, t } = useLanguage();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();
  const decide = async (approve: boolean) => {
    try {
      await api.decideProposal(proposal.id, { approve, reason });
      onDone();
    } catch (failure) {
      setError(custodyFailureText(language, failure));
    }
  };
  return (
    <div className="decide" data-testid={`decide-proposal-${proposal.id}`}>
      <input placeholder={t('team.decisionReason')} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} data-testid="proposal-reason" />
      <button type="button" className="primary" disabled={!reason.trim()} onClick={() => void decide(true)} data-testid="proposal-approve">
        {t('team.approve')}
      </button>
      <button type="button" disabled={!reason.trim()} onClick={() => void decide(false)} data-testid="proposal-decline">
        {t('team.decline')}
      </button>
      {error ? <p className="error" role="alert">{error}</p> : null}
    </div>
  );
}
