/**
 * The customer pool (公海) as the company policy sets it (policy.ts `pool`): when an untended
 * customer returns to its team's pool, and when its owner is warned. Shared so the server's sweep
 * (sync-server/custody/pool.ts) and what a device shows ("returns to the pool on …") agree.
 *
 * A customer of class X returns when it has had no logged contact for `noContactDays` (counted
 * from the later of its last contact and the day its owner took it), or no deal for `noDealDays`
 * (counted from the later of its last order and that day) — whichever comes first; 0 turns a rule
 * off. Customers with a deal are exempt when `exemptWon`; locked customers always are. The owner
 * is warned `warnDays` before; a customer returns only once its owner has been warned that long
 * (a company that turns the pool on does not empty its reps' books overnight).
 *
 * While in the pool a card is owned by its team's pool (`pool:<team>`, a name no user can have):
 * the team's managers and admins still read it, reps see it only in the pool list until one claims it.
 */
import type { Policy, PolicyClass } from './policy.ts';

const DAY = 86_400_000;
export const POOL_PREFIX = 'pool:';

/** The owner name of a team's pool. */
export function poolOwner(team: string): string {
  return `${POOL_PREFIX}${team}`;
}

/** The team whose pool this owner is, or undefined for a user. */
export function poolTeamOf(owner: string): string | undefined {
  return owner.startsWith(POOL_PREFIX) ? owner.slice(POOL_PREFIX.length) : undefined;
}

export type PoolReason = 'no-contact' | 'no-deal';

/** What the rules need to know of one held customer. */
export interface PoolFacts {
  cls: PolicyClass;
  /** Epoch ms of the last logged contact (0: never). */
  lastContact: number;
  /** Epoch ms of the last order (0: never). */
  lastDeal: number;
  /** When the current owner took the customer (a claim), else when the card was made. */
  heldSince: number;
  locked: boolean;
}

/** When the customer is due back in the pool by the rules, and why; undefined: never (exempt, or no rule). */
export function poolDue(facts: PoolFacts, policy: Policy): { at: number; reason: PoolReason } | undefined {
  if (facts.locked) return undefined;
  if (policy.pool.exemptWon && facts.lastDeal > 0) return undefined;
  const rule = policy.pool.rules[facts.cls];
  let due: { at: number; reason: PoolReason } | undefined;
  if (rule.noContactDays > 0) due = { at: Math.max(facts.lastContact, facts.heldSince) + rule.noContactDays * DAY, reason: 'no-contact' };
  if (rule.noDealDays > 0) {
    const at = Math.max(facts.lastDeal, facts.heldSince) + rule.noDealDays * DAY;
    if (!due || at < due.at) due = { at, reason: 'no-deal' };
  }
  return due;
}

/**
 * The sweep's decision for one customer at `now`, given when its owner was last warned of this
 * due date (undefined: never): leave it, warn the owner now, or return it. The return date the
 * owner sees is `returnsAt`: the rule's date, or the end of a warning given late.
 */
export function poolStep(
  due: { at: number; reason: PoolReason } | undefined,
  warnedAt: number | undefined,
  now: number,
  policy: Policy,
): { action: 'none' | 'warn' | 'return'; returnsAt?: number; reason?: PoolReason } {
  if (!due || !policy.pool.enabled) return { action: 'none' };
  const warnMs = policy.pool.warnDays * DAY;
  // A warning counts for this due date only if given within its window (a contact since moved the date on).
  const warned = warnedAt !== undefined && warnedAt >= due.at - warnMs ? warnedAt : undefined;
  if (warned === undefined) {
    if (now < due.at - warnMs) return { action: 'none' };
    if (warnMs === 0 && now >= due.at) return { action: 'return', returnsAt: due.at, reason: due.reason };
    return { action: 'warn', returnsAt: Math.max(due.at, now + warnMs), reason: due.reason };
  }
  const returnsAt = Math.max(due.at, warned + warnMs);
  return now >= returnsAt ? { action: 'return', returnsAt, reason: due.reason } : { action: 'none', returnsAt, reason: due.reason };
}
