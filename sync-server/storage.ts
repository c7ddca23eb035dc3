/**
 * The sync server's storage interface: everything the server keeps goes through this seam —
 * users, teams and tokens; cards (each card's merged Yjs state, its owner, the seq of its last
 * change, its index row); the ordered log (card changes and access changes share one sequence);
 * loans, proposals, handovers; the append-only audit. The embedded default is SQLite
 * (storage-sqlite.ts). Every method is synchronous and each write is one committed transaction
 * (or part of the caller's `transaction`), so an ACK sent after a call returns is durable.
 * Sequence numbers come from the database, so another process (the admin CLI) may write too.
 */
import type { ActiveLoan, FeedScope, Principal, Role } from './rights.ts';

export type { Role } from './rights.ts';
export { ROLES } from './rights.ts';

/** A signed-in user: a Principal. */
export type User = Principal;

export interface StoredCard {
  id: string;
  owner: string;
  state: Uint8Array;
  seq: number;
}

/** One entry of a user's feed, in log order. */
export type FeedEntry =
  /** The card's current state: it changed, or the user may now read it. */
  | { kind: 'put'; logSeq: number; id: string; owner: string; seq: number; state: Uint8Array; row: string }
  /** The user's right to read the card ended (unless it came back since: check the rights). */
  | { kind: 'revoke'; logSeq: number; id: string; owner: string };

/** One change to who may read a card, logged for `reader`. */
export interface AccessEntry {
  cardId: string;
  reader: string;
  kind: 'grant' | 'revoke';
}

export type TokenStatus = { state: 'valid'; user: User; tokenHash: string } | { state: 'disabled'; user: string } | undefined;

export type LoanStatus = 'requested' | 'active' | 'declined' | 'ended' | 'withdrawn';

export interface Loan {
  id: number;
  cardId: string;
  borrower: string;
  reason: string;
  requestedAt: number;
  /** The end the borrower asked for, epoch ms. */
  wantedUntil: number;
  status: LoanStatus;
  write: boolean;
  approver: string | null;
  decidedAt: number | null;
  decisionReason: string | null;
  /** The end granted (epoch ms), once approved. */
  until: number | null;
  endedAt: number | null;
}

export type ProposalStatus = 'open' | 'approved' | 'declined';

export interface Proposal {
  id: number;
  cardId: string;
  field: string;
  /** The proposed value, as JSON. */
  value: string;
  reason: string;
  by: string;
  at: number;
  status: ProposalStatus;
  decider: string | null;
  decidedAt: number | null;
  decisionReason: string | null;
}

export type HandoverKind = 'leaving' | 'territory' | 'cover';

export interface Handover {
  id: number;
  from: string;
  to: string;
  reason: string;
  kind: HandoverKind;
  /** Cover: when the cards go back (epoch ms). */
  until: number | null;
  by: string;
  at: number;
  cardIds: string[];
  returnedAt: number | null;
}

export interface AuditEvent {
  id: number;
  at: number;
  user: string;
  /** The first 8 hex digits of the token's hash ('' for the admin CLI and the server). */
  token: string;
  action: string;
  cardId: string | null;
  detail: string;
}

export interface Storage {
  /** Runs `fn` in one transaction (nested calls join it). */
  transaction<T>(fn: () => T): T;

  addTeam(name: string): void;
  listTeams(): { name: string; members: number }[];
  teamExists(name: string): boolean;
  addUser(name: string, role: Role, team?: string | null): void;
  listUsers(): (User & { tokens: number })[];
  getUser(name: string): User | undefined;
  teamMembers(team: string): string[];
  setUserTeam(name: string, team: string | null): void;
  /** Marks the user disabled and revokes every token of theirs (as revoked by disabling). */
  disableUser(name: string): void;
  /** Stores a token's hash for a user. */
  addToken(tokenHash: string, user: string): void;
  /** Marks a token revoked; false if no such token. */
  revokeToken(tokenHash: string): boolean;
  /** A token's state: valid (with its user), revoked by disabling its user, or unknown/revoked. */
  tokenStatus(tokenHash: string): TokenStatus;

  getCard(id: string): StoredCard | undefined;
  /** Every card id with its owner (handover, classification, audits). */
  cardOwners(owner?: string): { id: string; owner: string }[];
  /** The card ids whose index row lists this email or domain (exact, lower-case). */
  cardsByKey(key: { email?: string; domain?: string }): string[];
  /**
   * Stores a card's new merged state (creating the card, owned by `by`, if new), assigns the
   * next seq, logs who sent the change; returns the seq.
   */
  saveCard(id: string, state: Uint8Array, by: string, updateBytes: number, row: string, rowVersion: number): number;
  /** Moves a card to a new owner (the caller logs the access change). */
  setOwner(id: string, owner: string): void;
  /** Bulk load (imports, benchmarks): new cards in one transaction, each with its own seq. */
  importCards(cards: { id: string; owner: string; state: Uint8Array; row?: string; rowVersion?: number }[]): void;
  /** Cards whose row is missing or of another version than `version`. */
  cardsWithoutRow(version: number, limit: number): { id: string; state: Uint8Array }[];
  /** Sets a card's row without changing its seq (the state it describes is unchanged). */
  setRow(id: string, row: string, version: number): void;
  /** One card's index row (JSON), or undefined / '' when it has none. */
  rowOf(id: string): string | undefined;
  /** Every card's index row (JSON), for company-wide figures such as the ABC cut-offs. */
  allRows(): string[];

  /** Appends access changes to the log, each with its own seq. */
  logAccess(entries: AccessEntry[], by: string): void;
  /**
   * The user's feed after `cursor`, in log order: cards in `scope` changed after it, and the
   * access entries logged for `reader` after it. At most `limit` entries.
   */
  feed(cursor: number, scope: FeedScope, reader: string, limit: number): FeedEntry[];
  countFeed(cursor: number, scope: FeedScope, reader: string): number;
  /** The highest seq in the log. */
  maxSeq(): number;
  /** Bumped by every access change (teams, roles, loans, handovers, disabling), in any process. */
  accessVersion(): number;
  bumpAccessVersion(): void;

  /** Loans: active ones (end not reached) for one borrower or card, or all. */
  activeLoans(filter: { borrower?: string; cardId?: string }, now: number): ActiveLoan[];
  addLoan(loan: Omit<Loan, 'id'>): number;
  getLoan(id: number): Loan | undefined;
  updateLoan(loan: Loan): void;
  listLoans(filter: { borrower?: string; cardIds?: string[]; status?: LoanStatus[] }): Loan[];

  addProposal(proposal: Omit<Proposal, 'id'>): number;
  getProposal(id: number): Proposal | undefined;
  updateProposal(proposal: Proposal): void;
  listProposals(filter: { by?: string; cardIds?: string[]; status?: ProposalStatus[] }): Proposal[];

  addHandover(handover: Omit<Handover, 'id'>): number;
  updateHandover(handover: Handover): void;
  /** Covers whose end has passed and whose cards have not gone back yet. */
  dueCovers(now: number): Handover[];
  listHandovers(filter: { user?: string }): Handover[];

  audit(events: Omit<AuditEvent, 'id'>[]): void;
  auditOf(filter: { cardId?: string; user?: string; limit?: number }): AuditEvent[];

  /** The database's random id, made when it was created (a reset or restore from elsewhere changes it). */
  databaseId(): string;
  close(): void;
}
