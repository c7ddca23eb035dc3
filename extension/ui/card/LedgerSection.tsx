import { useState } from 'react';
import type { CardView, LedgerKind } from '../../../shared/card-types.ts';
import { dueDateOf, summariseLedger } from '../../../shared/derive/ledger.ts';
import { dueDateFromTerms, partsOf } from '../../../shared/derive/terms.ts';
import { describeTerms } from '../common/describe-terms.ts';
import { paymentTermsOf } from '../../../shared/index-row.ts';
import { errorMessage, formatDate, formatMoney } from '../../i18n/index.ts';
import { momentOfInput, todayInput } from '../common/form-dates.ts';
import { CreditNotice } from '../common/CreditNotice.tsx';
import { useCreditFloorRule } from '../common/use-company-policy.ts';
import { approvalNeeded, standingOf } from '../../../shared/rights/credit-rule.ts';
import { pendingAmount } from '../../../shared/derive/credit-approval.ts';
import { useAccessOf } from '../common/card-access.tsx';
import { CreditApprovals } from './CreditApprovals.tsx';
import { useLanguage } from '../common/use-language.tsx';
import { LedgerEntries } from './LedgerEntries.tsx';
import { useMutate } from './use-mutate.ts';

export function LedgerSection({ card, now }: { card: CardView; now: number }) {
  const { language, t } = useLanguage();
  const mutate = useMutate();
  // The floor and the rule are the ones the server enforces (shared/rights/credit-rule.ts).
  const minRating = useCreditFloorRule();
  const { access } = useAccessOf();
  const summary = summariseLedger(card.ledger, paymentTermsOf(card), now);
  const [kind, setKind] = useState<LedgerKind>('order');
  const [amount, setAmount] = useState('');
  const [date, setDate] = useState(todayInput());
  const [products, setProducts] = useState('');
  /** The due date typed over the one the terms give ('' = follow the terms). */
  const [dueOverride, setDueOverride] = useState('');
  const [error, setError] = useState<string>();
  const terms = paymentTermsOf(card);
  const orderMoment = momentOfInput(date) ?? Date.now();
  const termsDue = todayInput(dueDateFromTerms(orderMoment, terms));
  const dueInput = dueOverride || termsDue;
  const parts = partsOf(terms);
  const money = (value: number) => formatMoney(language, value);
  const approvedLimit = typeof card.fields.creditLimitApproved === 'number' ? card.fields.creditLimitApproved : 0;
  const typed = Number(amount.replace(/[,\s]/g, ''));
  const orderAmount = Number.isFinite(typed) && typed > 0 ? typed : 0;
  const need = kind === 'order' ? approvalNeeded(standingOf(card), orderAmount, minRating, access.controlled) : { needed: false as const };
  const waiting = pendingAmount(card.creditApprovals ?? []);

  const add = async () => {
    const due = kind === 'order' ? momentOfInput(dueInput) : undefined;
    const failure = await mutate({
      type: 'ledger-add',
      cardId: card.id,
      kind,
      date: orderMoment,
      amount: Number(amount.replace(/[,\s]/g, '')),
      ...(products ? { products } : {}),
      ...(due !== undefined ? { dueDate: due } : {}),
      ...(kind === 'order' && parts > 1 ? { instalments: parts } : {}),
      ...(need.needed ? { pending: true as const } : {}),
    });
    if (failure) return setError(errorMessage(language, failure));
    setAmount('');
    setProducts('');
    setDueOverride('');
    setError(undefined);
  };

  return (
    <section className="card-page-section" data-testid="section-ledger">
      <h2>{t('cardPage.ledger')}</h2>
      <dl className="figures">
        <div>
          <dt>{t('cardPage.sales')}</dt>
          <dd data-testid="ledger-sales">{money(summary.sales)}</dd>
        </div>
        <div>
          <dt>{t('cardPage.receipts')}</dt>
          <dd>{money(summary.receipts)}</dd>
        </div>
        <div>
          <dt>{t('cardPage.receivables')}</dt>
          <dd data-testid="ledger-receivables">{money(summary.receivables)}</dd>
        </div>
        <div>
          <dt>{t('cardPage.overdue')}</dt>
          <dd className={summary.overdueAmount > 0 ? 'overdue' : ''} data-testid="ledger-overdue">
            {money(summary.overdueAmount)}
            {summary.oldestOverdueDays > 0 ? <small> · {t('cardPage.overdueDays', { days: summary.oldestOverdueDays })}</small> : null}
          </dd>
        </div>
        {waiting > 0 ? (
          <div>
            <dt>{t('credit.pendingTotal')}</dt>
            <dd data-testid="ledger-pending">{money(waiting)}</dd>
          </div>
        ) : null}
      </dl>
      {need.needed ? (
        <p className="credit-notice over" role="alert" data-testid="credit-needs-approval">
          {need.why === 'over-limit' ? t('credit.needsOver', { after: money(need.after), limit: money(need.limit) }) : t('credit.needsFloor', { rating: need.rating, floor: need.floor })}
        </p>
      ) : (
        <CreditNotice receivables={summary.receivables} limit={approvedLimit} newOrder={kind === 'order' ? orderAmount : 0} rating={typeof card.fields.creditRating === 'string' ? card.fields.creditRating : ''} minRating={minRating} />
      )}
      <CreditApprovals card={card} />
      {summary.salesByYear.length > 0 ? (
        <table className="table">
          <caption>{t('cardPage.salesByYear')}</caption>
          <thead>
            <tr>
              <th>{t('cardPage.year')}</th>
              <th>{t('cardPage.firstHalf')}</th>
              <th>{t('cardPage.secondHalf')}</th>
              <th>{t('cardPage.total')}</th>
            </tr>
          </thead>
          <tbody>
            {summary.salesByYear.map((year) => (
              <tr key={year.year}>
                <td>{year.year}</td>
                <td>{money(year.firstHalf)}</td>
                <td>{money(year.secondHalf)}</td>
                <td>{money(year.total)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <form
        className="inline-form no-print"
        onSubmit={(event) => {
          event.preventDefault();
          void add();
        }}
      >
        <select value={kind} onChange={(e) => setKind(e.target.value as LedgerKind)} data-testid="ledger-kind">
          <option value="order">{t('cardPage.order')}</option>
          <option value="payment">{t('cardPage.payment')}</option>
        </select>
        <input type="date" value={date} onChange={(e) => setDate(e.target.value)} data-testid="ledger-date" />
        <input placeholder={t('cardPage.amount')} inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} data-testid="ledger-amount" />
        <input placeholder={t('cardPage.products')} value={products} onChange={(e) => setProducts(e.target.value)} />
        {kind === 'order' ? (
          <label className="due-input">
            {t('terms.due')}
            <input type="date" value={dueInput} onChange={(e) => setDueOverride(e.target.value)} data-testid="ledger-due" />
            <small className="muted" data-testid="ledger-due-rule">
              {dueOverride && dueOverride !== termsDue ? t('terms.dueMoved', { date: formatDate(language, dueDateFromTerms(orderMoment, terms)) }) : describeTerms(terms, t)}
              {parts > 1 ? ` · ${t('terms.inParts', { count: parts })}` : ''}
            </small>
          </label>
        ) : null}
        <button type="submit" className={need.needed ? 'primary' : undefined} data-testid="ledger-add" data-needs-approval={need.needed ? 'true' : 'false'}>
          {need.needed ? t('credit.submit') : t('cardPage.add')}
        </button>
        {error ? <span className="error" role="alert">{error}</span> : null}
      </form>
      <LedgerEntries card={card} dueOf={(entry) => summary.openOrders.find((o) => o.orderId === entry.id)?.dueDate ?? dueDateOf(entry, terms)} />
    </section>
  );
}
