/**
 * Credit control (DOMAIN.md §1.8, §2): receivables plus a new order against the approved limit
 * (核定额度). A card without an approved limit is never over it. Customers whose credit rating is
 * below a chosen level (A best … D worst) are flagged whatever their limit. Receivables here are
 * the rows' (index-row.ts): orders waiting for a manager's approval, or declined, are not in them
 * (shared/derive/credit-approval.ts), so a waiting order uses up no headroom until it is approved.
 * Whether an order may be taken without approval is the rule in shared/rights/credit-rule.ts.
 */
import type { CardIndexRow } from '../card-types.ts';

export type CreditRow = Pick<CardIndexRow, 'id' | 'name' | 'owner' | 'receivables' | 'overdue' | 'creditLimit' | 'creditRating'>;

export interface CreditCheck {
  limit: number;
  receivables: number;
  /** Receivables once the new order is added. */
  after: number;
  /** Room left under the limit after the order (negative: over by that much). */
  headroom: number;
  over: boolean;
  /** The customer's rating is below the chosen level. */
  lowRating: boolean;
}

const RATINGS = ['A', 'B', 'C', 'D'];
const round = (value: number) => Math.round(value * 100) / 100;

/** True when `rating` is worse than `level` ('' ratings are not judged). */
export function ratedBelow(rating: string, level: string): boolean {
  const at = RATINGS.indexOf(rating);
  const bar = RATINGS.indexOf(level);
  return at >= 0 && bar >= 0 && at > bar;
}

export function creditCheck(row: CreditRow, newOrder = 0, minRating = ''): CreditCheck {
  const after = round(row.receivables + Math.max(0, newOrder));
  const limit = row.creditLimit;
  return { limit, receivables: row.receivables, after, headroom: limit > 0 ? round(limit - after) : Infinity, over: limit > 0 && after > limit, lowRating: ratedBelow(row.creditRating, minRating) };
}

export interface OverLimitLine extends CreditCheck {
  id: string;
  name: string;
  owner: string;
  overdue: number;
}

/** The customers over their limit (or rated below `minRating`), most over first. */
export function overLimitList(rows: readonly CreditRow[], minRating = ''): OverLimitLine[] {
  return rows
    .map((row) => ({ ...creditCheck(row, 0, minRating), id: row.id, name: row.name, owner: row.owner, overdue: row.overdue }))
    .filter((line) => line.over || line.lowRating)
    .sort((a, b) => Number(b.over) - Number(a.over) || a.headroom - b.headroom || a.name.localeCompare(b.name));
}
