/**
 * Whose customer is this? For a sender without a card on this device, the server's exact-match
 * lookup (common/use-colleague-lookup.ts: the sender's email, then the company domain) tells whether a
 * colleague owns the customer: then only the company name, the owner and the team are shown,
 * with **Ask to borrow** (until a date, with a reason). The create form below warns first.
 */
import { useEffect, useState } from 'react';
import type { Lookup } from '../../sync/custody-api.ts';
import { endOfInputDay, todayInput } from '../common/form-dates.ts';
import { useCustodyApi } from '../common/use-custody.ts';
import { useLanguage } from '../common/use-language.tsx';

const DAY = 86_400_000;


export function ColleagueCustomer({ found }: { found: Lookup }) {
  const { t } = useLanguage();
  const api = useCustodyApi();
  const [asking, setAsking] = useState(false);
  const [until, setUntil] = useState(todayInput(Date.now() + 14 * DAY));
  const [reason, setReason] = useState('');
  const [state, setState] = useState<{ busy?: boolean; sent?: boolean; error?: string }>({});

  if (found.readable) return <p className="hint" data-testid="colleague-syncing">{t('custody.onItsWay', { name: found.name })}</p>;

  const ask = async () => {
    if (!api) return;
    setState({ busy: true });
    try {
      await api.requestLoan(found.cardId, endOfInputDay(until), reason);
      setState({ sent: true });
    } catch (error) {
      setState({ error: error instanceof Error ? error.message : String(error) });
    }
  };

  return (
    <section className="colleague" data-testid="colleague-customer">
      <h1>{found.name || t('custody.unnamed')}</h1>
      {/* Contested (cards of several owners claim it): the server names no owner. */}
      <p>{!found.owner ? t('custody.contested') : found.team ? t('custody.ownedByTeam', { owner: found.owner, team: found.team }) : t('custody.ownedBy', { owner: found.owner })}</p>
      {state.sent ? (
        <p className="hint" role="status" data-testid="borrow-sent">{t('custody.borrowSent')}</p>
      ) : asking ? (
        <form
          className="create-form"
          onSubmit={(event) => {
            event.preventDefault();
            void ask();
          }}
        >
          <label>
            <span>{t('custody.until')}</span>
            <input type="date" value={until} min={todayInput(Date.now() + DAY)} onChange={(e) => setUntil(e.target.value)} data-testid="borrow-until" required />
          </label>
          <label>
            <span>{t('custody.reason')}</span>
            <input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} data-testid="borrow-reason" required />
          </label>
          {state.error ? <p className="error" role="alert">{state.error}</p> : null}
          <button type="submit" className="primary wide" disabled={state.busy || !reason.trim()} data-testid="borrow-send">
            {t('custody.sendRequest')}
          </button>
        </form>
      ) : (
        <button type="button" className="primary wide" onClick={() => setAsking(true)} data-testid="ask-to-borrow">
          {t('custody.askToBorrow')}
        </button>
      )}
    </section>
  );
}
