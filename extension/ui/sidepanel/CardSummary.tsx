import type { ReactNode } from 'react';
import type { CardIndexRow, CardView, ContactView } from '../../../shared/card-types.ts';
import { OPTIONS } from '../../../shared/fields.ts';
import { closenessOf, type PersonCloseness } from '../../../shared/closeness.ts';
import { summariseLedger } from '../../../shared/derive/ledger.ts';
import { lastContactAt, nextFollowUp, paymentTermsOf } from '../../../shared/index-row.ts';
import { formatDate, formatMoney, formatRelative, labelOf, type MessageKey } from '../../i18n/index.ts';
import { AccessNotice } from '../common/AccessNotice.tsx';
import { CardAccessProvider, useCardAccess } from '../common/card-access.tsx';
import { CreditNotice } from '../common/CreditNotice.tsx';
import { companyCreditFloor } from '../../../shared/credit-floor.ts';
import { useLanguage } from '../common/use-language.tsx';
import { CustodyLine } from './CustodyLine.tsx';
import { LogContactToggle } from './LogContactToggle.tsx';
import { QuickNote } from './QuickNote.tsx';
import { Timeline } from './Timeline.tsx';

function initials(name: string): string {
  const trimmed = name.trim();
  if (/^[\u3400-\u9fff]/.test(trimmed)) return trimmed.slice(0, 2);
  return trimmed
    .split(/\s+/)
    .slice(0, 2)
    .map((word) => word.charAt(0).toUpperCase())
    .join('');
}

function Person({ contact, closeness, highlighted }: { contact: ContactView; closeness: PersonCloseness | undefined; highlighted: boolean }) {
  const { t } = useLanguage();
  const cooling = closeness?.cooling?.cooling ? closeness.cooling : undefined;
  return (
    <li className={highlighted ? 'person highlighted' : 'person'} data-testid="person" data-cooling={cooling ? 'true' : undefined}>
      <span className="avatar" aria-hidden="true">{initials(contact.name)}</span>
      <span className="person-main">
        <span className="person-name">
          {contact.name}
          {closeness?.level ? <span className={`chip closeness-chip closeness-${closeness.level}`} data-testid="person-closeness">{t(`closeness.level.${closeness.level}` as MessageKey)}</span> : null}
          {cooling ? <span className="chip cooling-chip" data-testid="person-cooling" title={t('cooling.line', { silent: cooling.silentDays, usual: cooling.usualDays })}>{t('cooling.chip')}</span> : null}
        </span>
        <span className="person-role">{t(`role.${contact.role}` as MessageKey)}</span>
        {contact.email ? <span className="person-email">{contact.email}</span> : null}
        {cooling ? <span className="person-cooling" data-testid="person-cooling-line">{t('cooling.line', { silent: cooling.silentDays, usual: cooling.usualDays })}</span> : null}
      </span>
    </li>
  );
}

export interface CardSummaryProps {
  card: CardView;
  row?: CardIndexRow | undefined;
  senderEmail?: string | undefined;
  matchedBy?: 'email' | 'domain' | undefined;
  now: number;
  /** Actions that change the card (log this email): shown only when the user may change it. */
  children?: ReactNode;
}

export function CardSummary({ card, row, senderEmail, matchedBy, now, children }: CardSummaryProps) {
  const { language, t } = useLanguage();
  const access = useCardAccess(card.id, typeof card.fields.owner === 'string' ? card.fields.owner : undefined, false);
  const writable = access.access.write;
  const minRating = companyCreditFloor();
  const f = card.fields;
  const text = (key: string) => (typeof f[key] === 'string' ? (f[key] as string) : '');
  const lastContact = lastContactAt(card);
  const followUp = nextFollowUp(card);
  const receivables = summariseLedger(card.ledger, paymentTermsOf(card), now).receivables;
  const sender = senderEmail?.toLowerCase();
  const closeness = new Map(card.contacts.map((c) => [c.id, closenessOf(card, c.id, now)]));
  const isCooling = (c: ContactView) => Number(closeness.get(c.id)?.cooling?.cooling === true);
  // The sender first, then anyone cooling (so the panel's three show them), then the card's order.
  const people = [...card.contacts].sort((a, b) => Number(b.email === sender) - Number(a.email === sender) || isCooling(b) - isCooling(a));
  const facts = [text('city'), text('phone'), text('website')].filter(Boolean);
  const stage = OPTIONS.stage.find((o) => o.value === row?.stage);

  return (
    <CardAccessProvider value={access}>
    <article className="card" data-testid="card" data-card-name={text('name')} data-access={writable ? 'write' : 'read'}>
      <header className="card-header">
        <h1 className="card-name" data-testid="card-name">{text('name')}</h1>
        {facts.length > 0 ? <p className="card-facts">{facts.join(' · ')}</p> : null}
        <CustodyLine cardId={card.id} fallbackOwner={text('owner')} />
        <p className="card-chips">
          {row?.abc ? <span className={`chip abc-${row.abc}`} data-testid="summary-abc">{t('card.class', { value: row.abc })}</span> : null}
          {stage ? <span className="chip" data-testid="summary-stage">{labelOf(language, stage.label)}</span> : null}
          {matchedBy ? <span className="card-match">{t(matchedBy === 'email' ? 'card.matchedBy.email' : 'card.matchedBy.domain')}</span> : null}
        </p>
        <button type="button" className="link" onClick={() => void chrome.tabs.create({ url: chrome.runtime.getURL(`/card.html?id=${encodeURIComponent(card.id)}`) })} data-testid="open-full-card">
          {t('card.openFull')}
        </button>
      </header>

      <dl className="card-stats">
        <div>
          <dt>{t('card.lastContact')}</dt>
          <dd data-testid="last-contact">{lastContact ? formatRelative(language, lastContact, now) : t('card.never')}</dd>
        </div>
        <div>
          <dt>{t('card.nextDue')}</dt>
          <dd className={followUp && followUp < now ? 'overdue' : ''}>{followUp ? formatDate(language, followUp) : t('card.nothingDue')}</dd>
        </div>
        <div>
          <dt>{t('card.receivables')}</dt>
          <dd>{formatMoney(language, receivables)}</dd>
        </div>
      </dl>
      <CreditNotice receivables={receivables} limit={typeof card.fields.creditLimitApproved === 'number' ? card.fields.creditLimitApproved : 0} rating={typeof card.fields.creditRating === 'string' ? card.fields.creditRating : ''} minRating={minRating} quiet />

      <section className="card-section">
        <h2>{t('card.people')}</h2>
        <ul className="people">
          {people.slice(0, 3).map((contact) => (
            <Person key={contact.id} contact={contact} closeness={closeness.get(contact.id)} highlighted={!!sender && contact.email === sender} />
          ))}
        </ul>
        {people.length > 3 ? <p className="muted">{t('card.contactsMore', { count: people.length - 3 })}</p> : null}
      </section>

      <section className="card-section">
        <h2>{t('card.timeline')}</h2>
        {/* A card the user may not change offers no note box nor contact form: the server would refuse them. */}
        {writable ? (
          <>
            <LogContactToggle cardId={card.id} people={card.contacts} />
            <QuickNote cardId={card.id} />
          </>
        ) : (
          <AccessNotice />
        )}
        <Timeline entries={card.timeline} limit={8} />
      </section>
    </article>
    {writable ? children : null}
    </CardAccessProvider>
  );
}
