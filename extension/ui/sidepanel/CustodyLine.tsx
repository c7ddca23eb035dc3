/**
 * Under the card's name: its owner (responsible rep) and team (from the card's access context,
 * card-access.tsx), and "on loan until …" ("read-only until …" for a read-only loan) for a
 * borrowed card, with **Renew** (续借: a new request, until a later date, with a reason).
 */
import { useState } from 'react';
import { personName, formatDate } from '../../i18n/index.ts';
import { useAccessOf } from '../common/card-access.tsx';
import { useCustodyApi } from '../common/use-custody.ts';
import { useLanguage } from '../common/use-language.tsx';

const DAY = 86_400_000;

function Renew({ cardId, from }: { cardId: string; from: number }) {
  const { t } = useLanguage();
  const api = useCustodyApi();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [state, setState] = useState<{ sent?: boolean; error?: string }>({});
  if (!api) return null;
  if (state.sent) return <span className="hint" data-testid="renew-sent"> {t('custody.renewSent')}</span>;
  if (!open)
    return (
      <button type="button" className="link" onClick={() => setOpen(true)} data-testid="renew">
        {t('custody.renew')}
      </button>
    );
  return (
    <form
      className="renew"
      onSubmit={(event) => {
        event.preventDefault();
        api.requestLoan(cardId, from + 14 * DAY, reason).then(
          () => setState({ sent: true }),
          (error: unknown) => setState({ error: error instanceof Error ? error.message : String(error) }),
        );
      }}
    >
      <input value={reason} onChange={(e) => setReason(e.target.value)} placeholder={t('custody.reason')} maxLength={500} required data-testid="renew-reason" />
      <button type="submit" disabled={!reason.trim()}>
        {t('custody.renewTwoWeeks')}
      </button>
      {state.error ? <span className="error"> {state.error}</span> : null}
    </form>
  );
}

export function CustodyLine({ cardId, fallbackOwner }: { cardId: string; fallbackOwner: string }) {
  const { language, t } = useLanguage();
  const { custody, access } = useAccessOf();
  const owner = custody?.owner ?? fallbackOwner;
  if (!owner) return null;
  return (
    <div className="card-custody" data-testid="card-custody">
      <span>{t('custody.owner', { owner: personName(language, owner) })}</span>
      {custody?.team ? <span> · {t('custody.team', { team: custody.team })}</span> : null}
      {custody?.loanUntil ? (
        <>
          {' '}
          <span className="chip loan" data-testid="on-loan">
            {access.loan && !access.loan.write ? t('access.readOnlyLoan', { date: formatDate(language, custody.loanUntil) }) : t(custody.loanWrite ? 'custody.onLoanWrite' : 'custody.onLoan', { date: formatDate(language, custody.loanUntil) })}
          </span>{' '}
          <Renew cardId={cardId} from={custody.loanUntil} />
        </>
      ) : null}
    </div>
  );
}
