/**
 * The sync server's storage interface: everything the server keeps goes through this seam —
 * users, teams and tokens; cards (each card's merged Yjs state, its owner, the seq of its last
 * change, its index row); the ordered log (card changes and access changes share one sequence);
 * loans, proposals, handovers; the company policy's versions and the customer pool's moves and
 * locks; the append-only audit. Two backends: the embedded SQLite file
 * (storage-sqlite.ts, the default) and PostgreSQL (storage-postgres.ts, for several instances).
 * Every method is asynchronous and each write is one committed transaction (or part of the
 * caller's `transaction`, whose callback receives the storage to use inside it): when a call
 * resolves, its write is durable and an ACK may follow.
 * Sequence numbers come from the database under its write lock, so other processes (the admin
 * CLI, other server instances) may write too, and a seq is visible only once every lower seq is:
 * a reader that sees `maxSeq()` = N can read every entry up to N (DECISIONS.md).
 */
import type { AuditAction } from '../../shared/audit-actions.ts';
import type { ActiveLoan, FeedScope, Principal, Role } from '../../shared/rights/rights.ts';

export type { Role } from '../../shared/rights/rights.ts';
export { ROLES } from '../../shared/rights/rights.ts';

/** A signed-in user: a Principal. */
export type User = Principal;

/** One card's change to save (`saveCards`): the arguments of `saveCard`. */
export interface CardSave {
  id: string;
  state: Uint8Array;
  by: string;
  updateBytes: number;
  row: string;
  rowVersion: number;
  expected: { seq: number; owner: string } | null;
}

export interface StoredCard {
  id: string;
  owner: string;
  state: Uint8Array;
  seq: number;
}

/** One entry of a user's feed, in log order. */
/** A card's index row in the feed: its JSON text, or that text's UTF-8 bytes as stored ('' / empty: none). */
export type FeedRow = string | Uint8Array;

export type FeedEntry =
  /** The card's current state: it changed, or the user may now read it. */
  | { kind: 'put'; logSeq: number; id: string; owner: string; seq: number; state: Uint8Array; row: FeedRow }
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

/** Yjs client ids a user writes under from one device (checks/client-ids.ts). */
export interface ClientClaim {
  clients: number[];
  user: string;
  device: string;
}

export interface AuditEvent {
  id: number;
  at: number;
  user: string;
  /** The first 8 hex digits of the token's hash ('' for the admin CLI and the server). */
  token: string;
  action: AuditAction;
  cardId: string | null;
  detail: string;
  /**
   * The cards one entry stands for, when a run of many is audited once (a take-out: what left).
   * A card's audit finds the run by each of them (there `cardId` is that card and this is absent).
   */
  cards?: string[];
}

/** One card as the pool's sweep sees it (`poolFacts`). */
export interface PoolCardFacts {
  id: string;
  owner: string;
  name: string;
  lastContact: number;
  createdAt: number;
  abcOverride: string;
  /** The row's orders as JSON ([[date, amount], …]), or ''. */
  orders: string;
  /** When its owner last claimed it from the pool, and was last warned of its return (newest move of each kind by the owner; null: none). */
  claimedAt: number | null;
  warnedAt: number | null;
}

/** One version of the company policy (shared/policy/policy.ts), as JSON; the newest applies. */
export interface StoredPolicy {
  version: number;
  at: number;
  by: string;
  policy: string;
}

/** A customer's move into the team pool (公海), out of it by a claim, or its owner's warning before (pool.ts). */
export interface PoolMove {
  id: number;
  cardId: string;
  kind: 'return' | 'claim' | 'warn';
  /** return: the owner it left; claim: the rep who took it; warn: the owner warned. */
  user: string;
  team: string;
  at: number;
  /** Why it returned (a rule's key: no-contact, no-deal), or '' for a claim. */
  reason: string;
}

export interface Storage {
  /**
   * Runs `fn` in one transaction that holds the write lock from its start (seqs, access
   * changes): `fn` must make every storage call through `tx` (calling this storage from inside
   * would wait for the transaction to end). `tx.transaction` joins the transaction.
   */
  transaction<T>(fn: (tx: Storage) => Promise<T>): Promise<T>;

  addTeam(name: string): Promise<void>;
  listTeams(): Promise<{ name: string; members: number }[]>;
  teamExists(name: string): Promise<boolean>;
  addUser(name: string, role: Role, team?: string | null): Promise<void>;
  listUsers(): Promise<(User & { tokens: number })[]>;
  getUser(name: string): Promise<User | undefined>;
  teamMembers(team: string): Promise<string[]>;
  setUserTeam(name: string, team: string | null): Promise<void>;
  /** Marks the user disabled and revokes every token of theirs (as revoked by disabling). */
  disableUser(name: string): Promise<void>;
  /** Stores a token's hash for a user. */
  addToken(tokenHash: string, user: string): Promise<void>;
  /** Marks a token revoked; false if no such token. */
  revokeToken(tokenHash: string): Promise<boolean>;
  /** A token's state: valid (with its user), revoked by disabling its user, or unknown/revoked. */
  tokenStatus(tokenHash: string): Promise<TokenStatus>;
  /**
   * Keeps a one-time invitation (the hash of its code) for a user until it expires. Invitations
   * live in the server's key-value table (no schema change): `invitation:<hash>` → user, expiry.
   */
  addInvitation(codeHash: string, user: string, expiresAt: number): Promise<void>;
  /** Takes an invitation: its user if it exists and has not expired. It is gone either way (one use). */
  takeInvitation(codeHash: string, now: number): Promise<string | undefined>;

  /**
   * Yjs client ids are a device's: the user each of these ids was first written under (ids never
   * seen are absent). See client-ids.ts.
   */
  clientOwners(clients: number[]): Promise<Map<number, string>>;
  /** Records each claim's client ids as its user's (on its device), where no one holds them yet; all in one transaction, earlier claims first. */
  claimClients(claims: readonly ClientClaim[]): Promise<void>;

  getCard(id: string): Promise<StoredCard | undefined>;
  /** Every card id with its owner (handover, classification, audits). */
  cardOwners(owner?: string): Promise<{ id: string; owner: string }[]>;
  /** The card ids whose index row lists this email or domain (exact, lower-case). */
  cardsByKey(key: { email?: string; domain?: string }): Promise<string[]>;
  /**
   * Stores a card's new merged state (creating the card, owned by `by`, if new), assigns the
   * next seq, logs who sent the change; returns the seq. `expected` is the card as the caller
   * read it (its seq and owner; null: no such card yet): if the stored card is no longer that,
   * nothing is written and the result is undefined (read again, merge again), so two writers
   * (instances, the admin CLI) never overwrite each other's merge.
   */
  saveCard(id: string, state: Uint8Array, by: string, updateBytes: number, row: string, rowVersion: number, expected: { seq: number; owner: string } | null): Promise<number | undefined>;
  /**
   * Group commit: many cards' changes in one transaction, numbered in their order (one range of
   * the log, one disk flush). Each result is what `saveCard` would return for it (undefined: the
   * card was not as expected, nothing of it was written). At most one change per card.
   */
  saveCards(saves: CardSave[]): Promise<(number | undefined)[]>;
  /** Moves a card to a new owner (the caller logs the access change). */
  setOwner(id: string, owner: string): Promise<void>;
  /** Moves each card from `from` to `to` if `from` still owns it; the ids moved (the caller logs the access change). */
  moveOwners(moves: { id: string; from: string; to: string }[]): Promise<string[]>;
  /** Bulk load (imports, benchmarks): new cards in one transaction, each with its own seq. */
  importCards(cards: { id: string; owner: string; state: Uint8Array; row?: string; rowVersion?: number }[]): Promise<void>;
  /** Cards whose row is missing or of another version than `version`. */
  cardsWithoutRow(version: number, limit: number): Promise<{ id: string; state: Uint8Array; seq: number }[]>;
  /**
   * Sets a card's row without changing its seq (the state it describes is unchanged); with
   * `atSeq`, only while the card is still at that seq (the row was computed from that state).
   */
  setRow(id: string, row: string, version: number, atSeq?: number): Promise<void>;
  /** One card's index row (JSON), or undefined / '' when it has none. */
  rowOf(id: string): Promise<string | undefined>;
  /** Every card's index row (JSON), for company-wide figures such as the ABC cut-offs. */
  allRows(): Promise<string[]>;
  /**
   * What the customer pool's sweep reads of every card, taken out of its index row by the
   * database (no row parsed here): name, last contact, creation, class override, and the orders as JSON.
   */
  poolFacts(): Promise<PoolCardFacts[]>;

  /** Appends access changes to the log, each with its own seq. */
  logAccess(entries: AccessEntry[], by: string): Promise<void>;
  /**
   * The user's feed after `cursor`, in log order: cards in `scope` changed after it, and the
   * access entries logged for `reader` after it. At most `limit` entries, read from one
   * snapshot (never a card change missing below an access entry it returns).
   */
  feed(cursor: number, scope: FeedScope, reader: string, limit: number): Promise<FeedEntry[]>;
  countFeed(cursor: number, scope: FeedScope, reader: string): Promise<number>;
  /** The highest seq in the log: every entry up to it is committed and readable. */
  maxSeq(): Promise<number>;
  /** Bumped by every access change (teams, roles, loans, handovers, disabling), in any process. */
  accessVersion(): Promise<number>;
  bumpAccessVersion(): Promise<void>;

  /** Loans: active ones (end not reached) for one borrower or card, or all. */
  activeLoans(filter: { borrower?: string; cardId?: string }, now: number): Promise<ActiveLoan[]>;
  addLoan(loan: Omit<Loan, 'id'>): Promise<number>;
  getLoan(id: number): Promise<Loan | undefined>;
  updateLoan(loan: Loan): Promise<void>;
  listLoans(filter: { borrower?: string; cardIds?: string[]; status?: LoanStatus[] }): Promise<Loan[]>;
  /** Active loans whose end has come (all of them, however many). */
  dueLoans(now: number): Promise<Loan[]>;

  addProposal(proposal: Omit<Proposal, 'id'>): Promise<number>;
  getProposal(id: number): Promise<Proposal | undefined>;
  updateProposal(proposal: Proposal): Promise<void>;
  /** At most 1,000, open ones first (they wait for a decision), then the newest. */
  listProposals(filter: { by?: string; cardIds?: string[]; status?: ProposalStatus[] }): Promise<Proposal[]>;

  addHandover(handover: Omit<Handover, 'id'>): Promise<number>;
  updateHandover(handover: Handover): Promise<void>;
  /** Covers whose end has passed and whose cards have not gone back yet. */
  dueCovers(now: number): Promise<Handover[]>;
  listHandovers(filter: { user?: string }): Promise<Handover[]>;

  /** The newest policy version, if the company ever set one. */
  policy(): Promise<StoredPolicy | undefined>;
  /** Stores the next version only if the newest is still `after` (0: none yet); false otherwise (read again). */
  savePolicy(policy: StoredPolicy, after: number): Promise<boolean>;
  /** The latest policy versions, newest first. */
  policyHistory(limit: number): Promise<StoredPolicy[]>;

  addPoolMoves(moves: Omit<PoolMove, 'id'>[]): Promise<void>;
  /** Moves into or out of the pool, newest first: of these cards, or by this user, of this kind, from this time. */
  poolMoves(filter: { cardIds?: string[]; user?: string; kind?: PoolMove['kind']; since?: number }): Promise<PoolMove[]>;
  /** Locks a customer against returning to the pool (by: the manager), or unlocks it (by null). */
  setPoolLock(cardId: string, by: string | null, at: number): Promise<void>;
  poolLocks(): Promise<Map<string, { by: string; at: number }>>;

  audit(events: Omit<AuditEvent, 'id'>[]): Promise<void>;
  auditOf(filter: { cardId?: string; user?: string; limit?: number }): Promise<AuditEvent[]>;

  /** The database's random id, made when it was created (a reset or restore from elsewhere changes it). */
  databaseId(): Promise<string>;
  close(): Promise<void>;
}
