/**
 * The daily review on the Team desk (shared/analysis/daily-review.ts): pick a day (today by
 * default, with the day before and after a click away); per rep, the contacts logged and what
 * came of each, follow-ups promised and missed, and new cards, from the cards the manager holds.
 */
import { useMemo, useState } from 'react';
import { dailyReview } from '../../../shared/analysis/daily-review.ts';
import { formatDate, type MessageKey } from '../../i18n/index.ts';
import { useAllRows } from '../common/use-all-rows.ts';
import { todayInput } from '../common/form-dates.ts';
import { useLanguage } from '../common/use-language.tsx';
import { openCard } from '../register/RegisterPage.tsx';

const DAY_MS = 86_400_000;

function startOfInput(text: string): number {
  const [y, m, d] = text.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d).getTime();
}

export function DailyReview() {
  const { language, t } = useLanguage();
  const rows = useAllRows();
  const [day, setDay] = useState(todayInput());
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(day);
  const review = useMemo(() => (rows && valid ? dailyReview(rows, startOfInput(day), Date.now()) : []), [rows, day, valid]);
  const move = (days: number) => setDay(todayInput(startOfInput(day) + days * DAY_MS + 12 * 3_600_000));
  const time = (at: number) => new Date(at).toLocaleTimeString(language, { hour: '2-digit', minute: '2-digit' });
  return (
    <section className="dashboard-section daily-review" data-testid="daily-review">
      <h2>{t('review.title')}</h2>
      <div className="inline-form">
        <button type="button" onClick={() => move(-1)} aria-label="−1" data-testid="review-prev">
          ‹
        </button>
        <label>
          {t('review.pick')} <input type="date" value={day} onChange={(e) => setDay(e.target.value)} data-testid="review-day" />
        </label>
        <button type="button" onClick={() => move(1)} aria-label="+1" data-testid="review-next">
          ›
        </button>
      </div>
      {review.length === 0 ? <p className="muted" data-testid="review-none">{t('review.none')}</p> : null}
      {review.length === 0 ? null : (
        <table className="table">
          <thead>
            <tr>
              <th>{t('review.rep')}</th>
              <th className="number">{t('review.contacts')}</th>
              <th>{t('review.outcomes')}</th>
              <th className="number">{t('review.promised')}</th>
              <th>{t('review.missed')}</th>
              <th>{t('review.newCards')}</th>
            </tr>
          </thead>
          <tbody>
            {review.map((rep) => (
              <tr key={rep.rep} data-testid="review-rep" data-rep={rep.rep}>
                <td>{rep.rep}</td>
                <td className="number" data-testid="review-contacts">{rep.contacts.length}</td>
                <td className="wrap">
                  <ul className="plain">
                    {rep.contacts.map((contact, i) => (
                      <li key={`${contact.cardId}-${i}`} data-testid="review-outcome">
                        <span className="muted">{time(contact.at)}</span> {t(`kind.${contact.kind}` as MessageKey)} ·{' '}
                        <button type="button" className="link" onClick={() => openCard(contact.cardId)}>
                          {contact.customer}
                        </button>
                        {language === 'zh-CN' ? '：' : ': '}
                        {contact.outcome || <span className="muted">{t('review.noOutcome')}</span>}
                      </li>
                    ))}
                  </ul>
                </td>
                <td className="number" data-testid="review-promised">{rep.promised}</td>
                <td className="wrap" data-testid="review-missed">
                  {rep.missed.length === 0
                    ? '0'
                    : rep.missed.map((m, i) => (
                        <div key={`${m.cardId}-${i}`}>
                          <button type="button" className="link" onClick={() => openCard(m.cardId)}>
                            {m.customer}
                          </button>{' '}
                          <span className="muted">{formatDate(language, m.due)}</span>
                        </div>
                      ))}
                </td>
                <td className="wrap" data-testid="review-new">
                  {rep.newCards.length === 0
                    ? '0'
                    : rep.newCards.map((c) => (
                        <div key={c.cardId}>
                          <button type="button" className="link" onClick={() => openCard(c.cardId)}>
                            {c.customer}
                          </button>
                        </div>
                      ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
