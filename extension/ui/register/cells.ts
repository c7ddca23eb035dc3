/** How each register column reads (on screen, in print and in CSV), in the UI language. */
import type { CardIndexRow } from '../../../shared/card-types.ts';
import { OPTIONS } from '../../../shared/fields.ts';
import { formatDate, formatMoney, labelOf, personName, type Language, type MessageKey } from '../../i18n/index.ts';
import { MONEY_COLUMNS, type ColumnKey, type ListFilter, type ViewContext } from './register-view.ts';

type Options = { value: string; label: { en: string; zh: string } }[];

const OPTIONS_OF: Partial<Record<ColumnKey | ListFilter, Options>> = {
  stage: OPTIONS.stage,
  nature: OPTIONS.nature,
  tier: OPTIONS.tier,
  loyalty: OPTIONS.loyalty,
};

/** An enum value's label (stage, nature, tier, loyalty); other values as they are. */
export function valueLabel(language: Language, key: ColumnKey | ListFilter, value: string): string {
  const option = OPTIONS_OF[key]?.find((o) => o.value === value);
  return option ? labelOf(language, option.label) : value;
}

export function columnLabelKey(key: ColumnKey): MessageKey {
  return `register.col.${key}` as MessageKey;
}

export function isMoney(key: ColumnKey): boolean {
  return MONEY_COLUMNS.has(key);
}

export function cellText(language: Language, row: CardIndexRow, key: ColumnKey, ctx: ViewContext): string {
  const money = (value: number) => (value ? formatMoney(language, value) : '');
  const date = (value: number) => (value ? formatDate(language, value) : '');
  switch (key) {
    case 'number': return row.cardNumber;
    case 'name': return row.name;
    case 'city': return row.city;
    case 'class': return row.abc;
    case 'stage': return valueLabel(language, 'stage', row.stage);
    case 'owner': return row.owner ? personName(language, row.owner) : '';
    case 'key': return row.keyCustomer ? '★' : '';
    case 'lastContact': return date(row.lastContact);
    case 'nextDue': return date(row.nextDue);
    case 'receivables': return money(row.receivables);
    case 'overdue': return money(row.overdue);
    case 'purchases12m': return money(row.purchases12m);
    case 'rank': return ctx.ranks.get(row.id) ? String(ctx.ranks.get(row.id)) : '';
    case 'nature': return valueLabel(language, 'nature', row.nature);
    case 'tier': return valueLabel(language, 'tier', row.tier);
    case 'loyalty': return valueLabel(language, 'loyalty', row.loyalty);
    case 'industry': return row.industry;
    case 'tags': return row.tags.join(', ');
  }
}

/** A CSV cell: amounts as plain numbers, dates as YYYY-MM-DD, the rest as shown. */
export function csvCell(language: Language, row: CardIndexRow, key: ColumnKey, ctx: ViewContext): string | number {
  if (key === 'receivables') return row.receivables;
  if (key === 'overdue') return row.overdue;
  if (key === 'purchases12m') return row.purchases12m;
  if (key === 'lastContact') return row.lastContact ? new Date(row.lastContact).toISOString().slice(0, 10) : '';
  if (key === 'nextDue') return row.nextDue ? new Date(row.nextDue).toISOString().slice(0, 10) : '';
  return cellText(language, row, key, ctx);
}
