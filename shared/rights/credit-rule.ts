/**
 * Credit control as a rule (DOMAIN.md §1.8, §2 credit limit 核定额度): the one model both enforcers
 * read. The server's update check (sync-server/checks/update-check.ts) refuses a change by someone
 * who may not approve credit (not a manager of the card's team, not an admin) that puts an order
 * in force which takes the customer's receivables over the approved limit, or adds sales to a
 * customer rated below the credit floor (shared/credit-floor.ts). The device asks the same rule
 * before it offers "Save" and offers "Submit for approval" instead: such an order is stored as
 * pending and counts only once a manager approved it (shared/derive/credit-approval.ts).
 *
 * What counts is the card as a whole after the change, against before: a sum of orders in one
 * change, or a correction that raises an amount, is judged like one large order; a change that
 * lowers receivables (a payment, a correction downwards) is never refused.
 */
import type { CardView } from '../card-types.ts';
import { ratedBelow } from '../analysis/credit.ts';
import { summariseLedger } from '../derive/ledger.ts';
import type { Verdict } from './card-structure.ts';

/** What the rule reads of a card: its approved limit (0: none approved), its rating, and the orders in force. */
export interface CreditStanding {
  limit: number;
  rating: string;
  /** The orders in force, summed. */
  sales: number;
  /** What is owed on the orders in force (never below zero). */
  receivables: number;
}

export type ApprovalNeed = { needed: false } | { needed: true; why: 'over-limit'; after: number; limit: number } | { needed: true; why: 'below-floor'; rating: string; floor: string };

export function standingOf(view: Pick<CardView, 'fields' | 'ledger'>): CreditStanding {
  const limit = view.fields.creditLimitApproved;
  const rating = view.fields.creditRating;
  // Receivables do not depend on the date (payments settle the oldest orders first).
  const summary = summariseLedger(view.ledger, undefined, 0);
  return { limit: typeof limit === 'number' && Number.isFinite(limit) && limit > 0 ? limit : 0, rating: typeof rating === 'string' ? rating : '', sales: summary.sales, receivables: summary.receivables };
}

/**
 * The card before a change, with the entries a merge copied in by that change counted as if
 * they were already there: a merge (shared/merge/card-merge.ts) moves orders from one card to
 * another, it makes no new sale, so it never needs a credit approval; an order added beside it
 * is still judged against everything the card then owes.
 */
export function withMergedCopies(before: Pick<CardView, 'fields' | 'ledger'>, after: Pick<CardView, 'ledger'>): Pick<CardView, 'fields' | 'ledger'> {
  const known = new Set(before.ledger.map((entry) => entry.id));
  const copied = after.ledger.filter((entry) => entry.merged !== undefined && !known.has(entry.id));
  return copied.length === 0 ? before : { fields: before.fields, ledger: [...before.ledger, ...copied] };
}

/**
 * Does an order of `amount` on a card standing so need a manager's approval? (The device asks
 * this before offering "Save".) Never for someone who may approve it.
 */
export function approvalNeeded(standing: CreditStanding, amount: number, floor: string, mayApprove: boolean): ApprovalNeed {
  if (mayApprove || !(amount > 0)) return { needed: false };
  const after = Math.round((standing.receivables + amount) * 100) / 100;
  if (standing.limit > 0 && after > standing.limit) return { needed: true, why: 'over-limit', after, limit: standing.limit };
  if (ratedBelow(standing.rating, floor)) return { needed: true, why: 'below-floor', rating: standing.rating, floor };
  return { needed: false };
}

/**
 * The server's judgement of one change: `before` is the stored card's standing (undefined for a
 * new card), `after` the card's with the change applied.
 */
export function judgeCredit(before: CreditStanding | undefined, after: CreditStanding, mayApprove: boolean, floor: string): Verdict {
  if (mayApprove) return { ok: true };
  const salesBefore = before?.sales ?? 0;
  const owedBefore = before?.receivables ?? 0;
  if (after.limit > 0 && after.receivables > after.limit && after.receivables > owedBefore) {
    return { ok: false, code: 'credit-approval', message: `These orders take the receivables to ${after.receivables}, over the approved limit of ${after.limit}: submit them for a manager's approval` };
  }
  if (after.sales > salesBefore && ratedBelow(after.rating, floor)) {
    return { ok: false, code: 'credit-approval', message: `The customer is rated ${after.rating}, below ${floor}: submit the order for a manager's approval` };
  }
  return { ok: true };
}
