import { useState } from 'react';
import type { CardView, TimelineKind } from '../../../shared/card-types.ts';
import { errorMessage, type MessageKey } from '../../i18n/index.ts';
import { momentOfInput, todayInput } from '../common/form-dates.ts';
import { useLanguage } from '../common/use-language.tsx';
import { Timeline } from '../sidepanel/Timeline.tsx';
import { LogContactToggle } from '../sidepanel/LogContactToggle.tsx';
import { TimelineCorrect } from './TimelineCorrect.tsx';
import { useMutate } from './use-mutate.ts';

const KINDS: TimelineKind[] = ['visit', 'call', 'email', 'meeting', 'message', 'letter', 'complaint', 'note', 'worth-sharing'];

function KindOptions() {
  const { t } = useLanguage();
  return (
    <>
      {KINDS.map((k) => (
        <option key={k} value={k}>
          {t(`kind.${k}` as MessageKey)}
        </option>
      ))}
    </>
  );
}

export function TimelineSection({ card }: { card: CardView }) {
  const { language, t } = useLanguage();
  const mutate = useMutate();
  const [filter, setFilter] = useState<TimelineKind | ''>('');
  const [kind, setKind] = useState<TimelineKind>('visit');
  const [date, setDate] = useState(todayInput());
  const [text, setText] = useState('');
  const [followUp, setFollowUp] = useState('');
  const [handling, setHandling] = useState('');
  const [outcome, setOutcome] = useState('');
  const [error, setError] = useState<string>();
  const entries = filter ? card.timeline.filter((e) => e.kind === filter) : card.timeline;

  const add = async () => {
    const at = momentOfInput(date);
    const follow = momentOfInput(followUp);
    const failure = await mutate({
      type: 'note-add',
      cardId: card.id,
      kind,
      text,
      ...(at !== undefined ? { at } : {}),
      ...(follow !== undefined ? { followUp: follow } : {}),
      ...(kind === 'complaint' && handling ? { handling } : {}),
      ...(kind === 'complaint' && outcome ? { outcome } : {}),
    });
    if (failure) return setError(errorMessage(language, failure));
    setText('');
    setFollowUp('');
    setHandling('');
    setOutcome('');
    setError(undefined);
  };

  return (
    <section className="card-page-section" data-testid="section-timeline">
      <h2>{t('cardPage.timeline')}</h2>
      <div className="no-print">
        <LogContactToggle cardId={card.id} people={card.contacts} />
      </div>
      <form
        className="entry-form no-print"
        onSubmit={(event) => {
          event.preventDefault();
          void add();
        }}
      >
        <div className="entry-form-row">
          <label>
            {t('cardPage.entryKind')}
            <select value={kind} onChange={(e) => setKind(e.target.value as TimelineKind)} data-testid="entry-kind">
              <KindOptions />
            </select>
          </label>
          <label>
            {t('cardPage.entryDate')}
            <input type="date" value={date} onChange={(e) => setDate(e.target.value)} />
          </label>
          <label>
            {t('cardPage.followUp')}
            <input type="date" value={followUp} onChange={(e) => setFollowUp(e.target.value)} data-testid="entry-follow-up" />
          </label>
        </div>
        <textarea rows={3} placeholder={t('cardPage.entryText')} value={text} onChange={(e) => setText(e.target.value)} data-testid="entry-text" />
        {kind === 'complaint' ? (
          <div className="entry-form-row">
            <input placeholder={t('cardPage.handling')} value={handling} onChange={(e) => setHandling(e.target.value)} />
            <input placeholder={t('cardPage.outcome')} value={outcome} onChange={(e) => setOutcome(e.target.value)} />
          </div>
        ) : null}
        {error ? <p className="error" role="alert">{error}</p> : null}
        <button type="submit" className="primary" data-testid="entry-add">
          {t('cardPage.add')}
        </button>
      </form>
      <label className="filter no-print">
        <select value={filter} onChange={(e) => setFilter(e.target.value as TimelineKind | '')} data-testid="timeline-filter">
          <option value="">{t('cardPage.filterAll')}</option>
          <KindOptions />
        </select>
      </label>
      <Timeline entries={entries} limit={500} superseded={(card.superseded?.timeline ?? []).filter((s) => !filter || s.entry.kind === filter)} action={(entry) => <TimelineCorrect cardId={card.id} entry={entry} />} />
    </section>
  );
}
