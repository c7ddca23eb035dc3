/** A due item in words, in the UI language (used by the due list and the notifications). */
import type { DueItem } from '../../shared/reminders/due.ts';
import { formatMoney, translate, type Language, type MessageKey } from '../i18n/index.ts';

export function describeDue(language: Language, item: DueItem): string {
  const params: Record<string, string | number> = { ...item.params, days: item.kind === 'cadence' ? item.daysOverdue : item.params.days ?? item.daysOverdue };
  if (typeof item.params.amount === 'number') params.amount = formatMoney(language, item.params.amount);
  // Whom to deepen says why in words: their say in decisions (never the stored id).
  if (item.kind === 'deepen') params.why = ['decides', 'influences', 'uses'].includes(String(item.params.influence)) ? translate(language, `due.deepen.${String(item.params.influence)}` as MessageKey) : '';
  const text = translate(language, `due.${item.kind}` as MessageKey, params);
  // A faster cadence than the class's says why (a prospect, a first deal, a flag).
  const basis = item.kind === 'cadence' ? item.params.basis : undefined;
  if (basis === 'stage' || basis === 'hesitating' || basis === 'dissatisfied') return `${text} · ${translate(language, `cadence.basis.${basis}` as MessageKey, { days: item.params.days ?? '' })}`;
  return text;
}

export function describeWhen(language: Language, item: DueItem): string {
  if (item.daysOverdue > 0) return translate(language, 'due.daysOverdue', { days: item.daysOverdue });
  if (item.daysOverdue === 0) return translate(language, 'due.today');
  return translate(language, 'due.inDays', { days: -item.daysOverdue });
}
