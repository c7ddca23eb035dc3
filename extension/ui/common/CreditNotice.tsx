/**
 * Credit control where the rep works (DOMAIN.md §1.8): receivables plus a new order against the
 * approved limit (核定额度), on the card, in its order form and in the side panel. Nothing is
 * shown when no limit is approved; `quiet` shows only a warning (the side panel).
 */
import { creditCheck } from '../../../shared/analysis/credit.ts';
import { formatMoney } from '../../i18n/index.ts';
import { useLanguage } from './use-language.tsx';

interface Props {
  receivables: number;
  limit: number;
  newOrder?: number;
  quiet?: boolean;
}

export function CreditNotice({ receivables, limit, newOrder = 0, quiet = false }: Props) {
  const { language, t } = useLanguage();
  if (!(limit > 0)) return null;
  const money = (value: number) => formatMoney(language, value);
  const now = creditCheck({ id: '', name: '', owner: '', receivables, overdue: 0, creditLimit: limit, creditRating: '' });
  const order = creditCheck({ id: '', name: '', owner: '', receivables, overdue: 0, creditLimit: limit, creditRating: '' }, newOrder);
  if (newOrder > 0 && order.over) {
    return <p className="credit-notice over" role="alert" data-testid="credit-order-over">{t('credit.orderOver', { after: money(order.after), limit: money(limit) })}</p>;
  }
  if (now.over) return <p className="credit-notice over" role="alert" data-testid="credit-over">{t('credit.over', { receivables: money(receivables), limit: money(limit) })}</p>;
  if (quiet) return null;
  return <p className="credit-notice" data-testid="credit-headroom">{t('credit.near', { headroom: money(now.headroom), limit: money(limit) })}</p>;
}
