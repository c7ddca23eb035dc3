/**
 * Orders that wait for a manager's approval (credit control as policy, DOMAIN.md §1.8). An order
 * over the approved limit, or for a customer rated below the credit floor, is stored with
 * `pending: true` (shared/rights/credit-rule.ts decides when); a manager decides it with a
 * `credit-decision` ledger entry (`decides: <order id>`, `decision: 'approved' | 'declined'`,
 * who, when, why). Entries are never edited (card-structure.ts), so the decision is a record of
 * its own, as a correction is. This module owns the one rule every reader follows:
 *
 * - an order without `pending` is in force;
 * - a pending order is in force once approved, never while waiting or once declined;
 * - the first decision (by date, then id) stands: a second one, made offline elsewhere, is kept
 *   readable but changes nothing;
 * - decision entries themselves are records, never amounts.
 */
import type { ApprovalStatus, CreditApproval, LedgerEntry } from '../card-types.ts';

export type { ApprovalStatus, CreditApproval };

export interface ResolvedApprovals {
  /** The entries in force (orders that need no approval or were approved, payments, …), in the order given. */
  current: LedgerEntry[];
  /** Every order that was submitted for approval, with where it stands (oldest first). */
  approvals: CreditApproval[];
}

export function isDecision(entry: LedgerEntry): boolean {
  return entry.kind === 'credit-decision';
}

export function resolveCreditApprovals(ledger: readonly LedgerEntry[]): ResolvedApprovals {
  const decisions = new Map<string, LedgerEntry>();
  const ordered = ledger.filter((e) => isDecision(e) && typeof e.decides === 'string' && (e.decision === 'approved' || e.decision === 'declined'));
  ordered.sort((a, b) => a.date - b.date || a.id.localeCompare(b.id));
  for (const decision of ordered) if (!decisions.has(decision.decides!)) decisions.set(decision.decides!, decision);
  const current: LedgerEntry[] = [];
  const approvals: CreditApproval[] = [];
  for (const entry of ledger) {
    if (isDecision(entry)) continue;
    if (entry.kind !== 'order' || entry.pending !== true) {
      current.push(entry);
      continue;
    }
    const decision = decisions.get(entry.id);
    const status: ApprovalStatus = decision ? decision.decision! : 'pending';
    approvals.push({ order: entry, status, ...(decision ? { decision: { id: decision.id, by: decision.by, at: decision.date, reason: decision.reason ?? '' } } : {}) });
    if (status === 'approved') current.push(entry);
  }
  return { current, approvals };
}

/** The sum of the orders still waiting for a decision. */
export function pendingAmount(approvals: readonly CreditApproval[]): number {
  return Math.round(approvals.filter((a) => a.status === 'pending').reduce((sum, a) => sum + a.order.amount, 0) * 100) / 100;
}
