/** The full customer card (客户资料卡): every section, editable in place, with its change records. */
import { useEffect, useState } from 'react';
import { OPTIONS } from '../../../shared/fields.ts';
import { personName, formatDate, labelOf } from '../../i18n/index.ts';
import { AccessNotice } from '../common/AccessNotice.tsx';
import { CardAccessProvider, useCardAccess, type CardAccessState } from '../common/card-access.tsx';
import { LanguageSwitch } from '../common/LanguageSwitch.tsx';
import { useLanguage } from '../common/use-language.tsx';
import { useCard, useIndexRow } from '../sidepanel/use-card.ts';
import { BaseDataSections } from './BaseDataSections.tsx';
import { ClassificationSection } from './ClassificationSection.tsx';
import { HistorySection } from './HistorySection.tsx';
import { LedgerSection } from './LedgerSection.tsx';
import { MergedNotice } from './MergedNotice.tsx';
import { PeopleSection } from './PeopleSection.tsx';
import { TimelineSection } from './TimelineSection.tsx';
import { UnknownsSection } from './UnknownsSection.tsx';
import { PoolLockLine } from './PoolLockLine.tsx';
import { useHalfYearRank } from './use-rank.ts';
import { useCustodyApi } from '../common/use-custody.ts';
import { useStore } from '../common/use-store.ts';
import { askToTakeOut, takeOutRefusal } from '../export/take-out.ts';

/** Whose card this is: owner, team and the user's loan of it, as the server tells it. */
function CustodyHeader({ state, localOwner }: { state: CardAccessState; localOwner: string }) {
  const { language, t } = useLanguage();
  const { custody, access } = state;
  const owner = custody?.owner ?? localOwner;
  if (!state.signedIn && !owner) return null;
  return (
    <p className="card-page-custody" data-testid="card-page-custody">
      {owner ? <span data-testid="card-page-owner">{t('custody.owner', { owner: personName(language, owner) })}</span> : null}
      {custody?.team ? <span data-testid="card-page-team"> · {t('custody.team', { team: custody.team })}</span> : null}
      {access.loan ? (
        <span className="chip loan" data-testid="card-page-loan">
          {' '}
          {access.loan.write ? t('custody.onLoanWrite', { date: formatDate(language, access.loan.until) }) : t('access.readOnlyLoan', { date: formatDate(language, access.loan.until) })}
        </span>
      ) : null}
      {state.signedIn && !custody ? <span className="muted"> · {t('access.notOnServer')}</span> : null}
    </p>
  );
}

export function CardPage({ cardId }: { cardId: string | undefined }) {
  const { language, t } = useLanguage();
  const { card, loading } = useCard(cardId);
  const accessState = useCardAccess(cardId, typeof card?.fields.owner === 'string' ? card.fields.owner : undefined);
  const readOnly = !accessState.access.write;
  const row = useIndexRow(cardId);
  const rank = useHalfYearRank(cardId);
  const [includeSensitive, setIncludeSensitive] = useState(false);
  const store = useStore();
  const api = useCustodyApi();
  const [printNotice, setPrintNotice] = useState('');
  const [printing, setPrinting] = useState(false);
  const now = Date.now();

  /** A print is a copy leaving the archive: the server says whether it may (never a borrowed card for a rep) and audits it. */
  async function print(id: string): Promise<void> {
    const answer = await askToTakeOut(store, api, 'print', 'a4', [id]);
    if (!answer.ok) return setPrintNotice(takeOutRefusal(t, answer));
    if (!answer.allowed.includes(id)) return setPrintNotice(t('takeOut.printRefused'));
    setPrintNotice('');
    setPrinting(true);
    requestAnimationFrame(() => {
      window.print();
      setPrinting(false);
    });
  }
  useEffect(() => {
    if (card) document.title = `${String(card.fields.name)} · ${t('app.title')}`;
  }, [card, t]);

  if (loading) return <p className="card-page muted">{t('cardPage.loading')}</p>;
  if (!card) return <p className="card-page" data-testid="card-not-found">{t('cardPage.notFound')}</p>;
  const stage = OPTIONS.stage.find((o) => o.value === row?.stage);

  return (
    <CardAccessProvider value={accessState}>
    {/* A borrowed card prints blank unless the server released this print (the browser's own print command included). */}
    <div className="card-page" data-access={readOnly ? 'read' : 'write'} data-print-blocked={accessState.access.loan && !printing ? 'yes' : undefined}>
      <header className="card-page-header">
        <div>
          <h1 data-testid="card-page-name">{String(card.fields.name)}</h1>
          <p className="chips">
            {row?.abc ? <span className={`chip abc-${row.abc}`} data-testid="chip-abc">{t('card.class', { value: row.abc })}</span> : null}
            {stage ? <span className="chip" data-testid="chip-stage">{labelOf(language, stage.label)}</span> : null}
            {card.fields.keyCustomer === true ? <span className="chip key">★</span> : null}
            {rank ? <span className="chip" data-testid="chip-rank">{t('card.rank', { rank: rank.rank, half: rank.half })}</span> : null}
          </p>
          <CustodyHeader state={accessState} localOwner={typeof card.fields.owner === 'string' ? card.fields.owner : ''} />
          <PoolLockLine cardId={card.id} state={accessState} />
        </div>
        <div className="card-page-tools no-print">
          <label className="sensitive-toggle">
            <input type="checkbox" checked={includeSensitive} onChange={(e) => setIncludeSensitive(e.target.checked)} /> {t('cardPage.includeSensitive')}
          </label>
          <button type="button" onClick={() => void print(card.id)} data-testid="print">
            {t('cardPage.print')}
          </button>
          <LanguageSwitch />
        </div>
      </header>
      <MergedNotice card={card} />
      <AccessNotice />
      {printNotice ? (
        <p className="access-notice no-print" role="status" data-testid="print-notice">
          {printNotice}
        </p>
      ) : null}
      {/* A card the user may not change: every editor below is off (the server would refuse it). */}
      <fieldset className="access-fieldset" disabled={readOnly}>
      <div className="card-page-columns">
        <div className="card-page-main">
          <BaseDataSections card={card} includeSensitive={includeSensitive} />
          <PeopleSection card={card} includeSensitive={includeSensitive} />
        </div>
        <div className="card-page-side">
          <ClassificationSection card={card} row={row} now={now} />
          <LedgerSection card={card} now={now} />
          <UnknownsSection card={card} />
        </div>
      </div>
      <TimelineSection card={card} />
      <HistorySection card={card} />
      </fieldset>
    </div>
    </CardAccessProvider>
  );
}
