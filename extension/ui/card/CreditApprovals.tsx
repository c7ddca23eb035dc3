/**
 * Orders submitted for a manager's approval on the card page (credit control as policy,
 * shared/derive/credit-approval.ts): each with who submitted it and where it stands; a manager of
 * the card's team (the shared rules' `controlled`) approves or declines it here, as on the inbox.
 */
import { useState } from 'react';
import type { CardView, CreditApproval } from '../../../shared/card-types.ts';
import { errorMessage, formatDate, formatMoney, type MessageKey } from '../../i18n/index.ts';
import { useAccessOf } from '../common/card-access.tsx';
import { useLanguage } from '../common/use-language.tsx';
import { useMutate } from './use-mutate.ts';

export function CreditApprovals({ card }: { card: CardView }) {
  const { language, t } = useLanguage();
  const { access } = useAccessOf();
  const approvals = [...(card.creditApprovals ?? [])].sort((a, b) => Number(b.status === 'pending') - Number(a.status === 'pending') || b.order.date - a.order.date);
  if (approvals.length === 0) return null;
  return (
    <table className="table credit-approvals" data-testid="credit-approvals">
      <caption>{t('credit.approvals')}</caption>
      <tbody>
        {approvals.map((approval) => (
          <tr key={approval.order.id} data-testid="credit-approval-row" data-status={approval.status}>
            <td>{formatDate(language, approval.order.date)}</td>
            <td className="number">{formatMoney(language, approval.order.amount)}</td>
            <td className="wrap">{approval.order.products ?? ''}</td>
            <td className="muted">{t('credit.submittedBy', { by: approval.order.by })}</td>
            <td>
              <span className={`chip approval-${approval.status}`} data-testid="credit-approval-status">{t(`credit.status.${approval.status}` as MessageKey)}</span>
              {approval.decision ? (
                <div className="muted">
                  {t('credit.decided', { who: approval.decision.by, date: formatDate(language, approval.decision.at) })}
                  {approval.decision.reason ? ` · ${approval.decision.reason}` : ''}
                </div>
              ) : null}
              {approval.status === 'pending' && access.controlled ? <DecideCredit cardId={card.id} approval={approval} /> : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Approve or decline one order (a decline needs a reason); used on the card page and in the inbox. */
export function DecideCredit({ cardId, approval, onDone }: { cardId: string; approval: Pick<CreditApproval, 'order'>; onDone?: () => void }) {
  const { language, t } = useLanguage();
  const mutate = useMutate();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();
  const decide = async (approve: boolean) => {
    const failure = await mutate({ type: 'credit-decide', cardId, orderId: approval.order.id, approve, reason });
    if (failure) return setError(errorMessage(language, failure));
    setError(undefined);
    onDone?.();
  };
  return (
    <div className="decide no-print">
      <input placeholder={t('credit.decisionReason')} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} data-testid="credit-reason" />
      <button type="button" className="primary" onClick={() => void decide(true)} data-testid="credit-approve">
        {t('credit.approve')}
      </button>
      <button type="button" disabled={!reason.trim()} onClick={() => void decide(false)} data-testid="credit-decline">
        {t('credit.decline')}
      </button>
      {error ? <span className="error" role="alert">{error}</span> : null}
    </div>
  );
}
