/** A card's trade terms in a few words, for the order form and the collection plan ("settled on the 25th, then 30 days · bills of 90 days"). */
import type { PaymentTerms } from '../../../shared/derive/terms.ts';
import { DEFAULT_TERMS_DAYS } from '../../../shared/derive/terms.ts';
import type { MessageKey } from '../../i18n/index.ts';

type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

export function describeTerms(terms: PaymentTerms, t: Translate): string {
  const parts: string[] = [];
  if (terms.settlementDay !== undefined) parts.push(t('terms.monthly', { day: terms.settlementDay, days: terms.paymentTermsDays ?? 0 }));
  else parts.push(terms.paymentTermsDays !== undefined ? t('terms.net', { days: terms.paymentTermsDays }) : t('terms.netDefault', { days: DEFAULT_TERMS_DAYS }));
  if ((terms.billTenorDays ?? 0) > 0 && !['cash', 'transfer', 'instalments'].includes(terms.paymentMethod ?? '')) parts.push(t('terms.bills', { days: terms.billTenorDays! }));
  return parts.join(' · ');
}
