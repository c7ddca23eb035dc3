/**
 * The customer statement (客户往来明细表) for a date range: the balance brought forward, every
 * order (debit) and payment (credit) in the range in date order with the running balance, the
 * totals and the balance carried forward. From the card's ledger; credit decisions and
 * deliveries move no money and are left out.
 */
import type { LedgerEntry, LedgerKind } from '../card-types.ts';

export interface StatementLine {
  id: string;
  date: number;
  kind: LedgerKind;
  products: string;
  note: string;
  debit: number;
  credit: number;
  balance: number;
}

export interface Statement {
  from: number;
  to: number;
  opening: number;
  lines: StatementLine[];
  debits: number;
  credits: number;
  closing: number;
}

const round = (value: number) => Math.round(value * 100) / 100;

/** `from` inclusive, `to` inclusive (epoch ms; pass the end of the last day). */
export function customerStatement(ledger: readonly LedgerEntry[], from: number, to: number): Statement {
  const money = ledger.filter((e) => e.kind === 'order' || e.kind === 'payment').sort((a, b) => a.date - b.date || a.id.localeCompare(b.id));
  const signed = (e: LedgerEntry) => (e.kind === 'order' ? e.amount : -e.amount);
  const opening = round(money.filter((e) => e.date < from).reduce((sum, e) => sum + signed(e), 0));
  let balance = opening;
  let debits = 0;
  let credits = 0;
  const lines: StatementLine[] = [];
  for (const entry of money) {
    if (entry.date < from || entry.date > to) continue;
    balance = round(balance + signed(entry));
    const debit = entry.kind === 'order' ? entry.amount : 0;
    const credit = entry.kind === 'payment' ? entry.amount : 0;
    debits += debit;
    credits += credit;
    lines.push({ id: entry.id, date: entry.date, kind: entry.kind, products: entry.products ?? '', note: entry.note ?? '', debit, credit, balance });
  }
  return { from, to, opening, lines, debits: round(debits), credits: round(credits), closing: balance };
}
