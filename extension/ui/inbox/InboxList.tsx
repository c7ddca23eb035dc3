/**
 * The manager's inbox (one list for everything waiting on her: loan requests, proposed changes,
 * orders submitted for credit approval) and a rep's decisions, from the worker's inbox feed
 * (inbox/inbox-feed.ts). Everything is decided right here: credit approvals by the card's
 * mutation, loans and proposals by the same custody calls and forms as the Team page's
 * (DecideLoan: until when, whether writing is allowed; DecideProposal), so the decision reaches the
 * requester as from there. A decided item leaves the list at once; the worker is asked for a fresh
 * feed. Without the server (signed out, offline) only the Team page's link is offered. Used on the
 * Team desk and, compact, in the side panel.
 */
import { fieldByKey } from '../../../shared/fields.ts';
import { askForFreshFeed, type InboxFeed } from '../../inbox/inbox-feed.ts';
import type { InboxItem } from '../../inbox/inbox-items.ts';
import { describeDecision } from '../../inbox/describe-decision.ts';
import { formatDate, formatMoney, type MessageKey } from '../../i18n/index.ts';
import { fieldName } from '../common/field-name.ts';
import { DecideCredit } from '../card/CreditApprovals.tsx';
import { useLanguage } from '../common/use-language.tsx';
import { useCustodyApi } from '../common/use-custody.ts';
import { DecideLoan } from '../team/DecideLoan.tsx';
import { DecideProposal } from '../team/DecideProposal.tsx';
import { useState } from 'react';

function shownValue(json: string): string {
  try {
    const value = JSON.parse(json) as unknown;
    return value === null ? '—' : String(value);
  } catch {
    return '';
  }
}

/** The count of what waits, as a badge (nothing when none waits). */
export function InboxBadge({ feed }: { feed: InboxFeed | undefined }) {
  const count = feed?.items.length ?? 0;
  if (count === 0) return null;
  return (
    <span className="inbox-badge" data-testid="inbox-badge">
      {count}
    </span>
  );
}

function ItemLine({ item }: { item: InboxItem }) {
  const { language, t } = useLanguage();
  switch (item.kind) {
    case 'loan':
      return <>{t('inbox.loanLine', { who: item.loan.borrower, date: formatDate(language, item.loan.wantedUntil), reason: item.loan.reason })}</>;
    case 'proposal': {
      const def = fieldByKey(item.proposal.field);
      return <>{t('inbox.proposalLine', { who: item.proposal.by, field: def ? fieldName(language, def) : t('refused.step.other'), value: shownValue(item.proposal.value), reason: item.proposal.reason })}</>;
    }
    case 'credit':
      return (
        <>
          {t('inbox.creditLine', { who: item.by, amount: formatMoney(language, item.amount), date: formatDate(language, item.at) })}
          <div className="muted">{t('inbox.creditWhy', { after: formatMoney(language, item.after), limit: item.limit > 0 ? formatMoney(language, item.limit) : '—', rating: item.rating || '—' })}</div>
        </>
      );
  }
}

export function InboxList({ feed, compact = false, onOpenCard, onOpenTeam }: { feed: InboxFeed | undefined; compact?: boolean; onOpenCard: (cardId: string) => void; onOpenTeam?: () => void }) {
  const { t } = useLanguage();
  const api = useCustodyApi();
  // Items decided here, hidden until the next feed no longer lists them.
  const [decided, setDecided] = useState<ReadonlySet<string>>(new Set());
  const done = (id: string) => () => {
    setDecided((old) => new Set([...old, id]));
    askForFreshFeed();
  };
  const items = (feed?.items ?? []).filter((item) => !decided.has(item.id));
  return (
    <section className={compact ? 'inbox compact' : 'dashboard-section inbox'} data-testid="inbox">
      <h2>
        {t('inbox.title')} <InboxBadge feed={feed} />
      </h2>
      {feed?.offline && feed.decides ? <p className="muted">{t('inbox.offline')}</p> : null}
      {items.length === 0 ? <p className="muted" data-testid="inbox-empty">{t('inbox.empty')}</p> : null}
      {items.length === 0 ? null : (
        <ul className="inbox-items">
          {items.map((item) => (
            <li key={item.id} data-testid="inbox-item" data-kind={item.kind}>
              <span className={`chip inbox-kind-${item.kind}`}>{t(`inbox.kind.${item.kind}` as MessageKey)}</span>{' '}
              <button type="button" className="link" onClick={() => onOpenCard(item.cardId)} data-testid="inbox-open-card">
                {item.customer || t('custody.unnamed')}
              </button>
              <div className="inbox-line">
                <ItemLine item={item} />
              </div>
              {item.kind === 'credit' ? (
                <DecideCredit cardId={item.cardId} approval={{ order: { id: item.orderId, kind: 'order', date: item.at, amount: item.amount, by: item.by } }} onDone={done(item.id)} />
              ) : api && item.kind === 'loan' ? (
                <DecideLoan api={api} loan={item.loan} onDone={done(item.id)} />
              ) : api && item.kind === 'proposal' ? (
                <DecideProposal api={api} proposal={item.proposal} onDone={done(item.id)} />
              ) : onOpenTeam ? (
                <button type="button" className="link" onClick={onOpenTeam} data-testid="inbox-decide-on-team">
                  {t('inbox.decideOnTeam')}
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function DecisionsList({ feed, limit = 10, onOpenCard }: { feed: InboxFeed | undefined; limit?: number; onOpenCard: (cardId: string) => void }) {
  const { language, t } = useLanguage();
  const decisions = (feed?.decisions ?? []).slice(0, limit);
  if (decisions.length === 0) return null;
  return (
    <section className="decisions" data-testid="decisions">
      <h2>{t('decisions.title')}</h2>
      <ul>
        {decisions.map((decision) => (
          <li key={decision.id} data-testid="decision" data-kind={decision.kind}>
            <button type="button" className="link" onClick={() => onOpenCard(decision.cardId)}>
              {describeDecision(language, decision)}
            </button>
            <span className="muted">{formatDate(language, decision.at)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
