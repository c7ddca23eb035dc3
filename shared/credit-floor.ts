/**
 * The credit-rating floor (DOMAIN.md §1.8: less business with low-credit customers): an order for
 * a customer rated below it waits for a manager's approval (shared/rights/credit-rule.ts). One
 * function, so both enforcers — the server's update check and the device's order form — read
 * the same floor. The company sets it (shared/policy `creditFloor`, served to devices); this is
 * its default, for a company that set none and a device never signed in.
 */

/** Ratings run A (best) to D (worst); a customer rated below C (that is, D) needs approval. */
export const DEFAULT_CREDIT_FLOOR = 'C';

/** The lowest credit rating an order is taken from without a manager's approval ('' = no floor). */
export function companyCreditFloor(): string {
  return DEFAULT_CREDIT_FLOOR;
}
