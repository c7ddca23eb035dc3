/**
 * The company's ABC cut-offs as every user may see them (DOMAIN.md: one classification for the
 * company). Computed over every card's purchases in the last 12 months, but what goes out says
 * no customer's total: each cut-off is the roundest amount that still separates the classes (a
 * card's class by `classByCutoffs` is unchanged), and amounts no order can have (not finite,
 * negative, over MAX_ORDER_AMOUNT: written by a hostile device past the mutations' checks) are
 * left out, so one order of 1e300 cannot make every other customer class C. The Pareto shares are
 * the company policy's (shared/policy/policy.ts); a policy that classes by fixed amounts needs no
 * customer's figures at all (`cutoffsOfPolicy`).
 */
import { abcCutoffs, DEFAULT_ABC, type AbcCutoffs, type AbcThresholds } from '../../shared/derive/abc.ts';
import { shareThresholdsOf, type Policy } from '../../shared/policy/policy.ts';

/** The largest amount one order may have (the mutations refuse more, shared/mutations.ts). */
export const MAX_ORDER_AMOUNT = 1e13;

export function saneAmount(amount: unknown): amount is number {
  return typeof amount === 'number' && Number.isFinite(amount) && amount >= 0 && amount <= MAX_ORDER_AMOUNT;
}

/** The 12-month purchases of one card from its index row's `orders` ([date, amount] pairs). */
export function purchasesOf(orders: unknown, since: number, now: number): number {
  let sum = 0;
  if (Array.isArray(orders)) for (const order of orders) if (Array.isArray(order) && typeof order[0] === 'number' && order[0] >= since && order[0] <= now && saneAmount(order[1])) sum += order[1];
  return sum;
}

/** The roundest number in (low, high]: fewest significant digits, then the largest such. */
export function roundestBetween(low: number, high: number): number {
  if (!(high > low) || !Number.isFinite(high)) return high;
  const magnitude = Math.floor(Math.log10(Math.abs(high) || 1));
  for (let digits = 1; digits <= 17; digits++) {
    const step = 10 ** (magnitude - digits + 1);
    const candidate = Math.floor(high / step) * step;
    if (candidate > low && candidate <= high) return Number(candidate.toPrecision(digits));
  }
  return high;
}

/** Cut-offs that classify every card as `abcCutoffs` does, without any card's exact amount. */
export function publicCutoffs(amounts: readonly number[], thresholds: AbcThresholds = DEFAULT_ABC): AbcCutoffs {
  const exact = abcCutoffs(amounts, thresholds);
  const below = (cut: number) => amounts.reduce((max, amount) => (amount < cut && amount > max ? amount : max), 0);
  return {
    aMin: Number.isFinite(exact.aMin) ? roundestBetween(below(exact.aMin), exact.aMin) : exact.aMin,
    bMin: Number.isFinite(exact.bMin) ? roundestBetween(below(exact.bMin), exact.bMin) : exact.bMin,
  };
}

/** The cut-offs the company policy gives: its fixed amounts, or the Pareto shares applied to `amounts()`. */
export async function cutoffsOfPolicy(policy: Policy, amounts: () => Promise<number[]>): Promise<AbcCutoffs> {
  if (policy.classes.basis === 'amount') return { aMin: policy.classes.aAmount, bMin: policy.classes.bAmount };
  return publicCutoffs(await amounts(), shareThresholdsOf(policy));
}
