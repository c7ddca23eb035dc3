/**
 * Credit control where the rep works (DOMAIN.md §1.8): receivables plus a new order against the
 * approved limit (核定额度), on the card, in its order form and in the side panel; and a flag when
 * the customer's credit rating is below the level chosen on the desk (`minRating`). Nothing is
 * shown when no limit is approved and the rating is not below; `quiet` shows only warnings (the
 * side panel).
 */
import type { ReactNode } from 'react';
import { creditCheck, ratedBelow } from '../../../shared/analysis/credit.ts';
import { formatMoney } from '../../i18n/index.ts';
import { useLanguage } from './use-language.tsx';

interface Props {
  receivables: number;
  limit: number;
  newOrder?: number;
  quiet?: boolean;
  /** The customer's credit rating (A best … D worst) and the lowest level taken without a flag. */
  rating?: string;
  minRating?: string;
}

export function CreditNotice({ receivables, limit, newOrder = 0, quiet = false, rating = '', minRating = '' }: Props) {
  const { language, t } = useLanguage();
  const low = ratedBelow(rating, minRating);
  const flag = low ? (
    <p className="credit-notice over" role="alert" data-testid={newOrder > 0 ? 'credit-order-low-rating' : 'credit-low-rating'}>
      {t(newOrder > 0 ? 'credit.orderLowRating' : 'credit.lowRating', { rating, level: minRating })}
    </p>
  ) : null;
  if (!(limit > 0)) return flag;
  const money = (value: number) => formatMoney(language, value);
  const row = { id: '', name: '', owner: '', receivables, overdue: 0, creditLimit: limit, creditRating: rating };
  const now = creditCheck(row);
  const order = creditCheck(row, newOrder);
  let notice: ReactNode = null;
  if (newOrder > 0 && order.over) notice = <p className="credit-notice over" role="alert" data-testid="credit-order-over">{t('credit.orderOver', { after: money(order.after), limit: money(limit) })}</p>;
  else if (now.over) notice = <p className="credit-notice over" role="alert" data-testid="credit-over">{t('credit.over', { receivables: money(receivables), limit: money(limit) })}</p>;
  else if (!quiet) notice = <p className="credit-notice" data-testid="credit-headroom">{t('credit.near', { headroom: money(now.headroom), limit: money(limit) })}</p>;
  return (
    <>
      {notice}
      {flag}
    </>
  );
}
