/** A decision in words, in the user's language (the panel's list and the desktop notification). */
import { formatDate, formatMoney, translate, type Language } from '../i18n/index.ts';
import type { Decision } from './inbox-items.ts';

export function describeDecision(language: Language, decision: Decision): string {
  const customer = decision.customer || '—';
  switch (decision.kind) {
    case 'credit':
      return translate(language, decision.status === 'approved' ? 'decisions.credit.approved' : 'decisions.credit.declined', { amount: formatMoney(language, decision.amount), customer, who: decision.who, reason: decision.reason });
    case 'loan':
      return translate(language, decision.status === 'active' ? 'decisions.loan.active' : 'decisions.loan.declined', { customer, who: decision.who, reason: decision.reason, date: formatDate(language, decision.until) });
    case 'proposal':
      return translate(language, decision.status === 'approved' ? 'decisions.proposal.approved' : 'decisions.proposal.declined', { customer, who: decision.who, reason: decision.reason });
    case 'lent':
      return translate(language, 'decisions.lent', { customer, who: decision.who, date: formatDate(language, decision.until) });
  }
}
