/** Reconnect delays: exponential from `base`, capped, with jitter so devices don't stampede. */
export function backoffDelay(attempt: number, random: () => number, base = 500, cap = 30_000): number {
  const exponential = Math.min(cap, base * 2 ** Math.min(attempt, 16));
  return Math.round(exponential / 2 + random() * (exponential / 2));
}
