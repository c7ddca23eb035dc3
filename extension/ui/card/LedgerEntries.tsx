/**
 * The card's orders and payments, newest first: each entry with who recorded it; an entry a
 * correction replaced stays on the list, struck through, with who corrected it, when and why.
 * A rep corrects an entry here (a new entry, shared/mutations.ts `ledger-correct`).
 */
import { Fragment, useState } from 'react';
import type { CardView, LedgerEntry, SupersededEntry } from '../../../shared/card-types.ts';
import { personName, errorMessage, formatDate, formatMoney } from '../../i18n/index.ts';
import { todayInput, momentOfInput } from '../common/form-dates.ts';
import { useLanguage } from '../common/use-language.tsx';
import { useMutate } from './use-mutate.ts';

type Line = { entry: LedgerEntry; replaced?: SupersededEntry<LedgerEntry> };

export function LedgerEntries({ card, dueOf }: { card: CardView; dueOf: (entry: LedgerEntry) => number | undefined }) {
  const { language, t } = useLanguage();
  const [correcting, setCorrecting] = useState<string>();
  const money = (value: number) => formatMoney(language, value);
  const lines: Line[] = [...card.ledger.map((entry) => ({ entry })), ...(card.superseded?.ledger ?? []).map((replaced) => ({ entry: replaced.entry, replaced }))];
  lines.sort((a, b) => b.entry.date - a.entry.date || (a.replaced ? 1 : 0) - (b.replaced ? 1 : 0) || b.entry.id.localeCompare(a.entry.id));
  return (
    <table className="table ledger-entries" data-testid="ledger-entries">
      <tbody>
        {lines.map(({ entry, replaced }) => {
          const due = entry.kind === 'order' && !replaced ? dueOf(entry) : undefined;
          return (
            <Fragment key={entry.id}>
              <tr className={replaced ? 'superseded' : ''} data-testid={replaced ? 'ledger-superseded' : 'ledger-row'} data-entry-id={entry.id}>
                <td>{formatDate(language, entry.date)}</td>
                <td>{entry.kind === 'payment' ? t('cardPage.payment') : t('cardPage.order')}</td>
                <td className="number" data-testid="ledger-amount-cell">{replaced ? <s>{money(entry.amount)}</s> : money(entry.amount)}</td>
                <td>{due ? t('terms.dueOn', { date: formatDate(language, due) }) : ''}</td>
                <td className="wrap">{entry.products ?? ''}</td>
                <td className="muted" data-testid="ledger-by">
                  {t('correct.by', { by: personName(language, entry.by) })}
                  {entry.merged ? ` · ${t('merge.mergedBy', { by: entry.merged.by })}` : ''}
                </td>
                <td className="no-print">
                  {!replaced && (entry.kind === 'order' || entry.kind === 'payment') ? (
                    <button type="button" className="link" onClick={() => setCorrecting(correcting === entry.id ? undefined : entry.id)} data-testid="ledger-correct">
                      {t('correct.action')}
                    </button>
                  ) : null}
                </td>
              </tr>
              {replaced ? (
                <tr className="superseded-note">
                  <td colSpan={7} data-testid="ledger-corrected-by">{t('correct.correctedBy', { by: replaced.by, date: formatDate(language, replaced.at), reason: replaced.reason })}</td>
                </tr>
              ) : entry.corrects ? (
                <tr className="correction-note">
                  <td colSpan={7} data-testid="ledger-correction-note">{t('correct.correction', { by: personName(language, entry.by), date: formatDate(language, entry.correctedAt ?? entry.date), reason: entry.reason ?? '' })}</td>
                </tr>
              ) : null}
              {correcting === entry.id ? (
                <tr>
                  <td colSpan={7}>
                    <LedgerCorrectForm cardId={card.id} entry={entry} onDone={() => setCorrecting(undefined)} />
                  </td>
                </tr>
              ) : null}
            </Fragment>
          );
        })}
      </tbody>
    </table>
  );
}

function LedgerCorrectForm({ cardId, entry, onDone }: { cardId: string; entry: LedgerEntry; onDone: () => void }) {
  const { language, t } = useLanguage();
  const mutate = useMutate();
  const [amount, setAmount] = useState(String(entry.amount));
  const [date, setDate] = useState(todayInput(entry.date));
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();
  const save = async () => {
    const typed = Number(amount.replace(/[,\s]/g, ''));
    const moment = momentOfInput(date);
    const failure = await mutate({
      type: 'ledger-correct',
      cardId,
      entryId: entry.id,
      reason,
      ...(typed !== entry.amount ? { amount: typed } : {}),
      ...(moment !== undefined && todayInput(entry.date) !== date ? { date: moment } : {}),
    });
    if (failure) return setError(errorMessage(language, failure));
    onDone();
  };
  return (
    <form
      className="inline-form"
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
      data-testid="ledger-correct-form"
    >
      <input type="date" value={date} onChange={(e) => setDate(e.target.value)} data-testid="correct-date" />
      <input inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} data-testid="correct-amount" aria-label={t('cardPage.amount')} />
      <input placeholder={t('correct.reason')} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="correct-reason" />
      <button type="submit" className="primary" data-testid="correct-save">{t('correct.save')}</button>
      <button type="button" onClick={onDone}>{t('cardPage.cancel')}</button>
      {error ? <span className="error" role="alert">{error}</span> : null}
    </form>
  );
}
