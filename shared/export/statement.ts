/**
 * A customer statement (对账单) as rows for CSV: every order and payment of one card, oldest
 * first, with the running balance the customer owes (orders add, payments subtract).
 */
import type { CardView } from '../card-types.ts';
import type { OutCell } from './csv-write.ts';

export function statementRows(card: CardView, language: 'en' | 'zh-CN'): OutCell[][] {
  const zh = language === 'zh-CN';
  const header = zh ? ['日期', '类型', '金额', '余额', '产品', '到期日', '备注'] : ['Date', 'Kind', 'Amount', 'Balance', 'Products', 'Due date', 'Note'];
  const kinds: Record<string, string> = zh ? { order: '订单', payment: '收款', delivery: '交货', 'credit-decision': '信用决定' } : { order: 'Order', payment: 'Payment', delivery: 'Delivery', 'credit-decision': 'Credit decision' };
  const day = (epoch: number | undefined) => (epoch ? new Date(epoch).toISOString().slice(0, 10) : null);
  let balance = 0;
  const rows: OutCell[][] = [[zh ? '客户' : 'Customer', String(card.fields.name ?? '')], header];
  for (const entry of card.ledger) {
    if (entry.kind === 'order') balance += entry.amount;
    if (entry.kind === 'payment') balance -= entry.amount;
    rows.push([day(entry.date), kinds[entry.kind] ?? entry.kind, entry.amount, Math.round(balance * 100) / 100, entry.products ?? null, day(entry.dueDate), entry.note ?? null]);
  }
  return rows;
}
