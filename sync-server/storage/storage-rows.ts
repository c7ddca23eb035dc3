/**
 * The rows both storage backends keep, as their columns come back from SQL, and how they become
 * the storage interface's objects; and the lookup keys (emails, domains) of a card's index row.
 */
import type { Role } from '../../shared/rights/rights.ts';
import type { Handover, Loan, PoolCardFacts, PoolMove, Proposal, User } from './storage.ts';

/** The lookup keys of a card's index row: its people's emails and its company domains. */
export function keysOfRow(row: string): string[] {
  if (!row) return [];
  try {
    const parsed = JSON.parse(row) as { emails?: unknown; domains?: unknown };
    const keys: string[] = [];
    if (Array.isArray(parsed.emails)) for (const email of parsed.emails) if (typeof email === 'string' && email) keys.push(`email:${email.toLowerCase()}`);
    if (Array.isArray(parsed.domains)) for (const domain of parsed.domains) if (typeof domain === 'string' && domain) keys.push(`domain:${domain.toLowerCase()}`);
    return [...new Set(keys)];
  } catch {
    return [];
  }
}

export interface LoanRow {
  id: number;
  card_id: string;
  borrower: string;
  reason: string;
  requested_at: number;
  wanted_until: number;
  status: Loan['status'];
  /** 0/1 in SQLite, a boolean in PostgreSQL. */
  write: number | boolean;
  approver: string | null;
  decided_at: number | null;
  decision_reason: string | null;
  until: number | null;
  ended_at: number | null;
}

export const loanOf = (r: LoanRow): Loan => ({
  id: r.id,
  cardId: r.card_id,
  borrower: r.borrower,
  reason: r.reason,
  requestedAt: r.requested_at,
  wantedUntil: r.wanted_until,
  status: r.status,
  write: r.write === 1 || r.write === true,
  approver: r.approver,
  decidedAt: r.decided_at,
  decisionReason: r.decision_reason,
  until: r.until,
  endedAt: r.ended_at,
});

export interface ProposalRow {
  id: number;
  card_id: string;
  field: string;
  value: string;
  reason: string;
  by: string;
  at: number;
  status: Proposal['status'];
  decider: string | null;
  decided_at: number | null;
  decision_reason: string | null;
}

export const proposalOf = (r: ProposalRow): Proposal => ({
  id: r.id,
  cardId: r.card_id,
  field: r.field,
  value: r.value,
  reason: r.reason,
  by: r.by,
  at: r.at,
  status: r.status,
  decider: r.decider,
  decidedAt: r.decided_at,
  decisionReason: r.decision_reason,
});

export interface HandoverRow {
  id: number;
  from_user: string;
  to_user: string;
  reason: string;
  kind: Handover['kind'];
  until: number | null;
  by: string;
  at: number;
  card_ids: string;
  returned_at: number | null;
}

export const handoverOf = (r: HandoverRow): Handover => ({
  id: r.id,
  from: r.from_user,
  to: r.to_user,
  reason: r.reason,
  kind: r.kind,
  until: r.until,
  by: r.by,
  at: r.at,
  cardIds: JSON.parse(r.card_ids) as string[],
  returnedAt: r.returned_at,
});

export interface UserRow {
  name: string;
  role: Role;
  team: string | null;
  disabled_at: number | null;
}

export const userOf = (r: UserRow): User => ({ name: r.name, role: r.role, team: r.team, disabled: r.disabled_at !== null });

export interface PoolMoveRow {
  id: number;
  card_id: string;
  kind: PoolMove['kind'];
  user: string;
  team: string;
  at: number;
  reason: string;
}

export const poolMoveOf = (r: PoolMoveRow): PoolMove => ({ id: r.id, cardId: r.card_id, kind: r.kind, user: r.user, team: r.team, at: r.at, reason: r.reason });

/** A card's pool facts as either database extracts them from its row (numbers may come back as text or JSON). */
export function poolFactsOf(r: { id: string; owner: string; name: unknown; lastContact: unknown; createdAt: unknown; abcOverride: unknown; orders: unknown; claimedAt: unknown; warnedAt: unknown }): PoolCardFacts {
  const num = (value: unknown) => {
    const n = typeof value === 'string' ? Number(value) : value;
    return typeof n === 'number' && Number.isFinite(n) ? n : 0;
  };
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  return { id: r.id, owner: r.owner, name: text(r.name), lastContact: num(r.lastContact), createdAt: num(r.createdAt), abcOverride: text(r.abcOverride), orders: text(r.orders), claimedAt: r.claimedAt == null ? null : num(r.claimedAt), warnedAt: r.warnedAt == null ? null : num(r.warnedAt) };
}
