/**
 * ABC classes by purchase amount over the last 12 months across all the cards a user holds
 * (Pareto). Customers are ranked by amount; a customer is A while the share of the total held by
 * the customers ranked above it is below `a` (default 70 %), B while below `b` (default 90 %),
 * else C — so the customer that crosses 70 % is still A. Equal amounts get the same class (that
 * of the first of them). A customer with no purchases is C; with no purchases at all, everyone is.
 */
export interface AbcThresholds {
  a: number;
  b: number;
}

export const DEFAULT_ABC: AbcThresholds = { a: 0.7, b: 0.9 };

export type AbcClass = 'A' | 'B' | 'C';

export function classifyAbc(amounts: readonly { cardId: string; amount: number }[], thresholds: AbcThresholds = DEFAULT_ABC): Map<string, AbcClass> {
  const result = new Map<string, AbcClass>();
  const ranked = [...amounts].sort((x, y) => y.amount - x.amount || x.cardId.localeCompare(y.cardId));
  const total = ranked.reduce((sum, entry) => sum + Math.max(0, entry.amount), 0);
  let before = 0;
  let previous: { amount: number; cls: AbcClass } | undefined;
  for (const entry of ranked) {
    let cls: AbcClass;
    if (total <= 0 || entry.amount <= 0) cls = 'C';
    else if (previous && previous.amount === entry.amount) cls = previous.cls;
    else {
      const share = before / total;
      cls = share < thresholds.a ? 'A' : share < thresholds.b ? 'B' : 'C';
    }
    result.set(entry.cardId, cls);
    previous = { amount: entry.amount, cls };
    before += Math.max(0, entry.amount);
  }
  return result;
}

/**
 * The classes above as amount cut-offs: A from `aMin`, B from `bMin` (Infinity when no card has
 * that class). Classes fall as amounts fall and equal amounts share one, so the cut-offs give
 * exactly `classifyAbc`'s classes, and a card's class needs only its own amount.
 */
export interface AbcCutoffs {
  aMin: number;
  bMin: number;
}

export function abcCutoffs(amounts: readonly number[], thresholds: AbcThresholds = DEFAULT_ABC): AbcCutoffs {
  const classes = classifyAbc(amounts.map((amount, i) => ({ cardId: String(i).padStart(10, '0'), amount })), thresholds);
  let aMin = Infinity;
  let bMin = Infinity;
  amounts.forEach((amount, i) => {
    const cls = classes.get(String(i).padStart(10, '0'));
    if (cls === 'A') aMin = Math.min(aMin, amount);
    if (cls === 'B') bMin = Math.min(bMin, amount);
  });
  return { aMin, bMin };
}

export function classByCutoffs(amount: number, cutoffs: AbcCutoffs): AbcClass {
  if (amount <= 0) return 'C';
  return amount >= cutoffs.aMin ? 'A' : amount >= cutoffs.bMin ? 'B' : 'C';
}
