/**
 * How close we are to one person (远近, shared/closeness.ts): the level with when and by whom it
 * was set, the six signs to tick, the level they suggest (with the contacts logged with the
 * person: recent, frequent, two-way) to accept, the person's rhythm of contact and whether
 * the silence since is cooling, a level set by hand with a reason, the person's influence, mail and SMS
 * opt-in, and the level's history. Every change is a contact-set-field with its record.
 */
import { useState } from 'react';
import type { CardView, ContactView } from '../../../shared/card-types.ts';
import { CLOSENESS_KEY, CLOSENESS_LEVELS, CLOSENESS_SIGNS, closenessOf, INFLUENCE } from '../../../shared/closeness.ts';
import type { FieldValue } from '../../../shared/card-types.ts';
import { personName, errorMessage, formatDate, type MessageKey } from '../../i18n/index.ts';
import { useLanguage } from '../common/use-language.tsx';
import { useMutate } from './use-mutate.ts';

export function ClosenessPanel({ card, person }: { card: CardView; person: ContactView }) {
  const { language, t } = useLanguage();
  const mutate = useMutate();
  const [manual, setManual] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();
  const closeness = closenessOf(card, person.id, Date.now());
  if (!closeness) return null;
  const { suggestion } = closeness;
  const set = async (field: string, value: FieldValue, why?: string) => {
    const failure = await mutate({ type: 'contact-set-field', cardId: card.id, contactId: person.id, field, value, ...(why ? { reason: why } : {}) });
    setError(failure ? errorMessage(language, failure) : undefined);
    return !failure;
  };
  const toggleSign = (sign: string, on: boolean) => void set(CLOSENESS_KEY.signs, on ? [...closeness.signs, sign] : closeness.signs.filter((s) => s !== sign));
  const level = (value: string) => t(`closeness.level.${value}` as MessageKey);
  const why = t('closeness.suggestionWhy', { signs: suggestion.signs, contacts: closeness.contacts.length });
  return (
    <section className={`closeness closeness-${closeness.level ?? 'unset'}`} data-testid="closeness">
      <header className="closeness-head">
        <strong>{t('closeness.title')}</strong>{' '}
        {closeness.level ? (
          <span className="chip closeness-level" data-testid="closeness-level">
            {level(closeness.level)}
          </span>
        ) : (
          <span className="muted" data-testid="closeness-level">{t('closeness.unset')}</span>
        )}
        {closeness.since ? <span className="muted"> · {t('closeness.since', { date: formatDate(language, closeness.since), by: personName(language, closeness.setBy ?? '') })}</span> : null}
      </header>
      {closeness.cooling ? (
        <p className={closeness.cooling.cooling ? 'closeness-cooling error' : 'closeness-rhythm muted'} data-testid={closeness.cooling.cooling ? 'closeness-cooling' : 'closeness-rhythm'}>
          {t(closeness.cooling.cooling ? 'cooling.line' : 'cooling.rhythm', { silent: closeness.cooling.silentDays, usual: closeness.cooling.usualDays })}
        </p>
      ) : null}
      <fieldset className="closeness-signs">
        <legend>{t('closeness.signs')}</legend>
        {CLOSENESS_SIGNS.map((sign) => (
          <label key={sign}>
            <input type="checkbox" checked={closeness.signs.includes(sign)} onChange={(e) => toggleSign(sign, e.target.checked)} data-testid={`closeness-sign-${sign}`} /> {t(`closeness.sign.${sign}` as MessageKey)}
          </label>
        ))}
      </fieldset>
      <p className="closeness-suggest" data-testid="closeness-suggestion">
        {t('closeness.suggested', { level: level(suggestion.level) })} <span className="muted">({why}{suggestion.recent ? `, ${t('closeness.recent')}` : ''}{suggestion.frequent ? `, ${t('closeness.frequent')}` : ''}{suggestion.twoWay ? `, ${t('closeness.twoWay')}` : ''})</span>{' '}
        {suggestion.level !== closeness.level ? (
          <button type="button" className="link no-print" onClick={() => void set(CLOSENESS_KEY.level, suggestion.level, t('closeness.acceptedReason', { why }))} data-testid="closeness-accept">
            {t('closeness.accept')}
          </button>
        ) : null}
      </p>
      <div className="closeness-row no-print">
        <select value={manual} onChange={(e) => setManual(e.target.value)} data-testid="closeness-set">
          <option value="">{t('closeness.setByHand')}</option>
          {CLOSENESS_LEVELS.map((value) => (
            <option key={value} value={value}>{level(value)}</option>
          ))}
        </select>
        <input placeholder={t('cardPage.reasonOptional')} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="closeness-reason" />
        <button type="button" disabled={!manual} onClick={() => void set(CLOSENESS_KEY.level, manual, reason.trim() || undefined).then((done) => done && (setManual(''), setReason('')))} data-testid="closeness-save">
          {t('cardPage.save')}
        </button>
      </div>
      <div className="closeness-row">
        <label>
          {t('closeness.influence')}{' '}
          <select value={closeness.influence ?? ''} onChange={(e) => void set(CLOSENESS_KEY.influence, e.target.value || null)} data-testid="closeness-influence">
            <option value="">—</option>
            {INFLUENCE.map((value) => (
              <option key={value} value={value}>{t(`closeness.influence.${value}` as MessageKey)}</option>
            ))}
          </select>
        </label>
        <label>
          <input type="checkbox" checked={closeness.mailOptIn} onChange={(e) => void set(CLOSENESS_KEY.mailOptIn, e.target.checked)} data-testid="closeness-mail" /> {t('closeness.mailOptIn')}
        </label>
        <label>
          <input type="checkbox" checked={closeness.smsOptIn} onChange={(e) => void set(CLOSENESS_KEY.smsOptIn, e.target.checked)} data-testid="closeness-sms" /> {t('closeness.smsOptIn')}
        </label>
      </div>
      {error ? <p className="error" role="alert">{error}</p> : null}
      {closeness.history.length > 0 ? (
        <details className="closeness-history" open>
          <summary>{t('closeness.history')}</summary>
          <ol data-testid="closeness-history">
            {closeness.history.map((record, i) => (
              <li key={`${record.at}-${i}`}>
                {formatDate(language, record.at)} · {personName(language, record.by)}: {typeof record.from === 'string' ? level(record.from) : '—'} → {typeof record.to === 'string' ? level(record.to) : '—'}
                {record.reason ? <span className="muted"> — {record.reason}</span> : null}
              </li>
            ))}
          </ol>
        </details>
      ) : null}
    </section>
  );
}
