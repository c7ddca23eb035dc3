/**
 * Log a contact in one step (call, visit, meeting, email, message): who reached out (we them,
 * or they us: two-way contact counts towards closeness), what was said, what came of it, with
 * whom, and an optional follow-up. Used by the side panel, the card page and the
 * capture page; it writes one `note-add` (a contact kind restarts the cadence clock).
 */
import { useState } from 'react';
import { CONTACT_DIRECTIONS, type ContactDirection, type ContactView, type TimelineKind } from '../../../shared/card-types.ts';
import { errorMessage, type MessageKey } from '../../i18n/index.ts';
import { momentOfInput, todayInput } from './form-dates.ts';
import { useLanguage } from './use-language.tsx';
import { useStore } from './use-store.ts';

export const LOG_KINDS: readonly TimelineKind[] = ['call', 'visit', 'meeting', 'email', 'message'];
const OUTCOMES = ['reached', 'no-answer', 'left-message', 'agreed', 'needs-time', 'declined'] as const;

export function LogContact({ cardId, people, initialText = '', source, onLogged, onCancel }: { cardId: string; people: readonly ContactView[]; initialText?: string; source?: { url: string; title: string }; onLogged?: () => void; onCancel?: () => void }) {
  const store = useStore();
  const { language, t } = useLanguage();
  const [kind, setKind] = useState<TimelineKind>('call');
  const [direction, setDirection] = useState<ContactDirection>('out');
  const [date, setDate] = useState(todayInput());
  const [text, setText] = useState(initialText);
  const [outcome, setOutcome] = useState('');
  const [person, setPerson] = useState('');
  const [followUp, setFollowUp] = useState('');
  const [error, setError] = useState<string>();
  const [saving, setSaving] = useState(false);

  const save = async () => {
    if (saving) return;
    setSaving(true);
    const at = momentOfInput(date);
    const follow = momentOfInput(followUp);
    const result = await store.mutate({
      type: 'note-add',
      cardId,
      kind,
      direction,
      text: text.trim() || t(`kind.${kind}` as MessageKey),
      ...(at !== undefined ? { at } : {}),
      ...(outcome.trim() ? { outcome: outcome.trim() } : {}),
      ...(person ? { contactId: person } : {}),
      ...(follow !== undefined ? { followUp: follow } : {}),
      ...(source && /^https?:\/\//i.test(source.url) ? { sourceUrl: source.url, sourceTitle: source.title } : {}),
    });
    setSaving(false);
    if (!result.ok) return setError(errorMessage(language, result));
    setError(undefined);
    setText('');
    setOutcome('');
    setFollowUp('');
    setDirection('out');
    onLogged?.();
  };

  return (
    <form
      className="log-contact"
      data-testid="log-contact-form"
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <div className="log-contact-kinds" role="radiogroup" aria-label={t('log.kind')}>
        {LOG_KINDS.map((k) => (
          <label key={k} className={k === kind ? 'chosen' : undefined} data-testid={`log-kind-${k}`} data-chosen={k === kind}>
            <input type="radio" name="log-kind" value={k} checked={k === kind} onChange={() => setKind(k)} />
            {t(`kind.${k}` as MessageKey)}
          </label>
        ))}
      </div>
      <div className="log-contact-kinds log-contact-direction" role="radiogroup" aria-label={t('log.direction')}>
        {CONTACT_DIRECTIONS.slice().reverse().map((d) => (
          <label key={d} className={d === direction ? 'chosen' : undefined} data-testid={`log-direction-${d}`} data-chosen={d === direction}>
            <input type="radio" name="log-direction" value={d} checked={d === direction} onChange={() => setDirection(d)} />
            {t(`log.direction.${d}` as MessageKey)}
          </label>
        ))}
      </div>
      <textarea rows={2} value={text} maxLength={20_000} placeholder={t('log.text')} onChange={(e) => setText(e.target.value)} data-testid="log-text" />
      <input list="log-outcomes" value={outcome} maxLength={1_000} placeholder={t('log.outcome')} onChange={(e) => setOutcome(e.target.value)} data-testid="log-outcome" />
      <datalist id="log-outcomes">
        {OUTCOMES.map((o) => (
          <option key={o} value={t(`log.outcome.${o}` as MessageKey)} />
        ))}
      </datalist>
      <div className="log-contact-row">
        <label>
          {t('log.when')}
          <input type="date" value={date} onChange={(e) => setDate(e.target.value)} data-testid="log-date" />
        </label>
        {people.length > 0 ? (
          <label>
            {t('log.with')}
            <select value={person} onChange={(e) => setPerson(e.target.value)} data-testid="log-person">
              <option value="">—</option>
              {people.map((p) => (
                <option key={p.id} value={p.id}>{p.name}</option>
              ))}
            </select>
          </label>
        ) : null}
        <label>
          {t('log.followUp')}
          <input type="date" value={followUp} onChange={(e) => setFollowUp(e.target.value)} data-testid="log-follow-up" />
        </label>
      </div>
      {error ? <p className="error" role="alert">{error}</p> : null}
      <div className="log-contact-actions">
        {onCancel ? (
          <button type="button" onClick={onCancel}>
            {t('cardPage.cancel')}
          </button>
        ) : null}
        <button type="submit" className="primary" disabled={saving} data-testid="log-save">
          {t('log.save')}
        </button>
      </div>
    </form>
  );
}
