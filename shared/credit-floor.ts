/**
 * The credit-rating floor (DOMAIN.md §1.8: less business with low-credit customers): an order for
 * a customer rated below it waits for a manager's approval (shared/rights/credit-rule.ts). One
 * function, so both enforcers — the server's update check and the device's order form — read
 * the same floor. Today it is the company default; the company policy (set by admins on the
 * server) takes its place when it is served.
 */

/** Ratings run A (best) to D (worst); a customer rated below C (that is, D) needs approval. */
export const DEFAULT_CREDIT_FLOOR = 'C';

/** The lowest credit rating an order is taken from without a manager's approval ('' = no floor). */
export function companyCreditFloor(): string {
  return DEFAULT_CREDIT_FLOOR;
}
