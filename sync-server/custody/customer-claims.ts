/**
 * Whose customer is this? Several cards may name the same email or company domain; which of
 * them is the customer's is decided by the customer's own identity, never by which card sorts
 * first or who asks. A card whose people write from the address (an email lookup), or from the
 * domain (a domain lookup), is the customer's; a card that only lists the domain is a weaker
 * claim, which any rep can make on her own card. The strongest claims decide: one owner among
 * them is the answer; several owners are a conflict, for managers to settle (custody.ts flags
 * it on each card's audit), and no owner is named to someone who can read none of them.
 */
import { domainOf } from '../../shared/email.ts';

export interface Claim {
  cardId: string;
  owner: string;
  /** The emails of the card's people and the domains it lists (its index row). */
  emails: readonly string[];
  domains: readonly string[];
}

/** 2: the customer's own people write from it; 1: the card only lists the domain; 0: neither. */
export function claimStrength(claim: Claim, key: { email?: string; domain?: string }): number {
  if (key.email) return claim.emails.includes(key.email) ? 2 : 0;
  if (!key.domain) return 0;
  if (claim.emails.some((email) => domainOf(email) === key.domain)) return 2;
  return claim.domains.includes(key.domain) ? 1 : 0;
}

export interface ClaimDecision {
  /** The strongest claims, in id order (one owner unless `conflict`). */
  strongest: Claim[];
  /** Claims of different owners share the strongest evidence. */
  conflict: boolean;
}

export function decideClaims(claims: readonly Claim[], key: { email?: string; domain?: string }): ClaimDecision | undefined {
  let best = 0;
  for (const claim of claims) best = Math.max(best, claimStrength(claim, key));
  if (best === 0) return undefined;
  const strongest = claims.filter((claim) => claimStrength(claim, key) === best).sort((a, b) => (a.cardId < b.cardId ? -1 : 1));
  return { strongest, conflict: new Set(strongest.map((claim) => claim.owner)).size > 1 };
}
