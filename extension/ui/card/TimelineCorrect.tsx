/** The card page's "Correct" on a timeline entry: a new entry replaces it (shared/mutations.ts `timeline-correct`). */
import { useState } from 'react';
import type { TimelineEntry } from '../../../shared/card-types.ts';
import { errorMessage } from '../../i18n/index.ts';
import { momentOfInput, todayInput } from '../common/form-dates.ts';
import { useLanguage } from '../common/use-language.tsx';
import { useMutate } from './use-mutate.ts';

export function TimelineCorrect({ cardId, entry }: { cardId: string; entry: TimelineEntry }) {
  const { language, t } = useLanguage();
  const mutate = useMutate();
  const [open, setOpen] = useState(false);
  const [text, setText] = useState(entry.text);
  const [date, setDate] = useState(todayInput(entry.at));
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();
  if (!open) {
    return (
      <button type="button" className="link no-print" onClick={() => setOpen(true)} data-testid="timeline-correct">
        {t('correct.action')}
      </button>
    );
  }
  const save = async () => {
    const moment = momentOfInput(date);
    const failure = await mutate({
      type: 'timeline-correct',
      cardId,
      entryId: entry.id,
      reason,
      ...(text !== entry.text ? { text } : {}),
      ...(moment !== undefined && date !== todayInput(entry.at) ? { at: moment } : {}),
    });
    if (failure) return setError(errorMessage(language, failure));
    setOpen(false);
  };
  return (
    <form
      className="entry-form no-print"
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
      data-testid="timeline-correct-form"
    >
      <input type="date" value={date} onChange={(e) => setDate(e.target.value)} />
      <textarea rows={2} value={text} onChange={(e) => setText(e.target.value)} aria-label={t('correct.text')} data-testid="correct-text" />
      <input placeholder={t('correct.reason')} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="correct-reason" />
      <div className="field-actions">
        <button type="submit" className="primary" data-testid="correct-save">{t('correct.save')}</button>
        <button type="button" onClick={() => setOpen(false)}>{t('cardPage.cancel')}</button>
      </div>
      {error ? <p className="error" role="alert">{error}</p> : null}
    </form>
  );
}
