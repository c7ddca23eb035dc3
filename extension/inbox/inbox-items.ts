/**
 * What waits on a manager and what was decided for a rep, in one list each (DOMAIN.md §4–§5):
 * the manager's inbox gathers loan requests and proposed changes (from the server's custody API)
 * and orders submitted for credit approval (from the index rows of the cards the manager holds);
 * a rep's decisions gather her own orders, loans and proposals once decided, and, for an owner,
 * the loans of her cards. Pure: the callers load the rows and the API's lists.
 */
import type { CardIndexRow } from '../../shared/card-types.ts';
import type { LoanInfo, ProposalInfo } from '../sync/custody-api.ts';

/** The receivables the order would bring the card to (the inbox says why an order waits). */
const standingAfter = (row: Pick<CardIndexRow, 'receivables'>, amount: number) => Math.round((row.receivables + amount) * 100) / 100;

export type InboxRow = Pick<CardIndexRow, 'id' | 'name' | 'owner' | 'approvals' | 'receivables' | 'creditLimit' | 'creditRating'>;

export type InboxItem =
  | { kind: 'loan'; id: string; cardId: string; customer: string; at: number; loan: LoanInfo }
  | { kind: 'proposal'; id: string; cardId: string; customer: string; at: number; proposal: ProposalInfo }
  | { kind: 'credit'; id: string; cardId: string; customer: string; at: number; orderId: string; amount: number; by: string; after: number; limit: number; rating: string };

/** Who is asking: the signed-in user, whether they decide for the cards they hold (managers, admins). */
export interface Viewer {
  user: string;
  decides: boolean;
}

/**
 * Everything waiting on this manager, oldest first: loans requested and proposals open that the
 * server lists to her (it lists only what she may decide or made herself: her own are left out),
 * and pending orders on the cards she holds, other than her own.
 */
export function managerInbox(viewer: Viewer, rows: readonly InboxRow[], loans: readonly LoanInfo[], proposals: readonly ProposalInfo[]): InboxItem[] {
  if (!viewer.decides) return [];
  const items: InboxItem[] = [];
  for (const loan of loans) {
    if (loan.status === 'requested' && loan.borrower !== viewer.user) items.push({ kind: 'loan', id: `loan:${loan.id}`, cardId: loan.cardId, customer: loan.cardName, at: loan.requestedAt, loan });
  }
  for (const proposal of proposals) {
    if (proposal.status === 'open' && proposal.by !== viewer.user) items.push({ kind: 'proposal', id: `proposal:${proposal.id}`, cardId: proposal.cardId, customer: proposal.cardName, at: proposal.at, proposal });
  }
  for (const row of rows) {
    for (const approval of row.approvals) {
      if (approval.status !== 'pending' || approval.by === viewer.user) continue;
      items.push({ kind: 'credit', id: `credit:${row.id}:${approval.orderId}`, cardId: row.id, customer: row.name, at: approval.date, orderId: approval.orderId, amount: approval.amount, by: approval.by, after: standingAfter(row, approval.amount), limit: row.creditLimit, rating: row.creditRating });
    }
  }
  return items.sort((a, b) => a.at - b.at || a.id.localeCompare(b.id));
}

export type Decision =
  | { kind: 'credit'; id: string; cardId: string; customer: string; at: number; status: 'approved' | 'declined'; amount: number; who: string; reason: string }
  | { kind: 'loan'; id: string; cardId: string; customer: string; at: number; status: 'active' | 'declined'; who: string; reason: string; until: number }
  | { kind: 'proposal'; id: string; cardId: string; customer: string; at: number; status: 'approved' | 'declined'; who: string; reason: string }
  | { kind: 'lent'; id: string; cardId: string; customer: string; at: number; who: string; until: number };

/**
 * What was decided for this user since `since`, newest first: her orders approved or declined, her
 * loan requests and proposals decided, and loans of cards she owns (the owner is told her card was
 * lent). Ids are stable, so a notification is shown once per decision.
 */
export function decisionsFor(user: string, rows: readonly InboxRow[], loans: readonly LoanInfo[], proposals: readonly ProposalInfo[], since: number): Decision[] {
  const out: Decision[] = [];
  for (const row of rows) {
    for (const approval of row.approvals) {
      if (approval.by !== user || approval.status === 'pending' || approval.decidedAt < since) continue;
      out.push({ kind: 'credit', id: `credit:${row.id}:${approval.orderId}`, cardId: row.id, customer: row.name, at: approval.decidedAt, status: approval.status, amount: approval.amount, who: approval.decidedBy, reason: approval.reason });
    }
  }
  for (const loan of loans) {
    const at = loan.decidedAt ?? 0;
    if (at < since || loan.approver === user) continue;
    if (loan.borrower === user && (loan.status === 'active' || loan.status === 'declined')) {
      out.push({ kind: 'loan', id: `loan:${loan.id}:${loan.status}`, cardId: loan.cardId, customer: loan.cardName, at, status: loan.status, who: loan.approver ?? '', reason: loan.decisionReason ?? '', until: loan.until ?? 0 });
    } else if (loan.owner === user && loan.borrower !== user && (loan.status === 'active' || loan.status === 'ended')) {
      out.push({ kind: 'lent', id: `lent:${loan.id}`, cardId: loan.cardId, customer: loan.cardName, at, who: loan.borrower, until: loan.until ?? 0 });
    }
  }
  for (const proposal of proposals) {
    if (proposal.by !== user || proposal.status === 'open' || proposal.decider === user) continue;
    // The API gives no decision time: a proposal counts from when it was made.
    if (proposal.at < since) continue;
    out.push({ kind: 'proposal', id: `proposal:${proposal.id}:${proposal.status}`, cardId: proposal.cardId, customer: proposal.cardName, at: proposal.at, status: proposal.status, who: proposal.decider ?? '', reason: proposal.decisionReason ?? '' });
  }
  return out.sort((a, b) => b.at - a.at || a.id.localeCompare(b.id));
}
