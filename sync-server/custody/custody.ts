/**
 * Custody (DOMAIN.md §4): teams, users, disabling, handovers, loans, proposals of controlled
 * changes, lookups of whose customer a company is, the audit, and the company-wide ABC cut-offs.
 * One service used by the HTTP API (api.ts) and the admin CLI (admin.ts), so both follow the
 * same rules (rights.ts) and leave the same records. Every change of who may read a card is
 * written to the ordered log as grant / revoke entries for the users concerned (computed as the
 * difference of `readersOf` before and after), in the same transaction, and bumps the access
 * version that running servers watch. Content changes (the owner mirror, an approved value) go
 * through the injected `edit`, which the server runs in its hub's queue.
 */
import { CompanyClasses, type CompanyCutoffs } from './company-classes.ts';
import { CustodyError, NO_SUCH_CARD } from './custody-error.ts';
import { CompanyPolicy } from './policy-service.ts';
import { CustomerPool } from './pool.ts';
import { poolOwner, poolTeamOf } from '../../shared/policy/pool-rules.ts';
import { claimStrength, decideClaims, type Claim } from './customer-claims.ts';
import { fieldByKey, validateFieldValue } from '../../shared/fields.ts';
import type { FieldValue } from '../../shared/card-types.ts';
import type { LoanApprover } from '../../shared/policy/policy.ts';
import type { Mutation } from '../../shared/mutations-types.ts';
import type { EditResult } from '../fanout/card-edit.ts';
import {
  canChangeControlled,
  canDecideFor,
  CONTROLLED_KEYS,
  feedScope,
  readersOf,
  readReason,
  readUntil,
  scopeTest,
  decidesForAny,
  mayApproveLoan,
  mayHandOverTo,
  mayListTeam,
  seesHandover,
  seesLoan,
  seesPerson,
  seesProposal,
  type CardFacts,
  type FeedScope,
  type Principal,
  type ReadReason,
  type Role,
} from '../../shared/rights/rights.ts';
import { SerialLock } from '../storage/serial-lock.ts';
import { mayTakeOut, type TakeOutKind } from '../../shared/rights/take-out.ts';
import { defaultSuccessor, successorProblem, type SuccessorProblem } from '../../shared/rights/leavers.ts';
import type { AccessEntry, AuditEvent, Handover, HandoverKind, Loan, Proposal, Storage, StoredCard } from '../storage/storage.ts';

export type CardEditor = (cardId: string, actor: string, mutation: Mutation) => Promise<EditResult>;

export { NO_SUCH_CARD };
/** The same for a loan request or a proposal, by its number. */
export const NO_SUCH_REQUEST = 'No such request, or no right to decide on it';

export { CustodyError };

const NAME = /^[\p{L}\p{N}._@-]{1,64}$/u;
const MAX_REASON = 500;
const DAY = 86_400_000;
/** The longest loan or cover: a year. */
const MAX_PERIOD = 366 * DAY;
export const HANDOVER_KINDS: readonly HandoverKind[] = ['leaving', 'territory', 'cover'];

/** A refusal about a request's card is the refusal for a request that does not exist; other errors pass. */
function asNoSuchRequest(error: unknown): never {
  throw error instanceof CustodyError && error.status === 404 ? new CustodyError('not-found', NO_SUCH_REQUEST, 404) : error;
}

/** An audit entry as a custody change writes it (the time and the token's tag are added). */
type AuditLine = Omit<AuditEvent, 'id' | 'at' | 'token'>;

/** Read again inside the deciding transaction: of two approvers deciding at once, the second is told. */
async function stillRequested(tx: Storage, id: number): Promise<void> {
  if ((await tx.getLoan(id))?.status !== 'requested') throw new CustodyError('decided', 'This request was already decided');
}

function requireReason(reason: unknown): string {
  if (typeof reason !== 'string' || reason.trim() === '') throw new CustodyError('reason-required', 'A reason is required');
  if (reason.length > MAX_REASON) throw new CustodyError('too-long', `The reason is longer than ${MAX_REASON} characters`);
  return reason.trim();
}

function requireFuture(until: unknown, now: number, what: string, maxDays?: number): number {
  if (typeof until !== 'number' || !Number.isFinite(until)) throw new CustodyError('invalid-date', `${what} needs an end date`);
  if (until <= now) throw new CustodyError('invalid-date', `${what} must end in the future`);
  if (until > now + MAX_PERIOD) throw new CustodyError('invalid-date', `${what} may last at most a year`);
  // The company's loan length limit (policy loans.maxDays).
  if (maxDays !== undefined && until > now + maxDays * DAY) throw new CustodyError('too-long', `${what} may last at most ${maxDays} day(s) (company policy)`);
  return until;
}

/** Why a user who may decide for a card may not approve its loan (the company says who approves). */
function approverRefusal(approver: LoanApprover): string {
  return approver === 'general-manager' ? 'The company has loans approved by the general manager' : 'The company has loans approved by the manager of the card\'s team';
}

/** Parses an ISO-8601 date or date-time (a bare date means the end of that day, local time). */
export function parseUntil(text: string): number {
  const bare = /^\d{4}-\d{2}-\d{2}$/.test(text);
  const at = bare ? new Date(`${text}T23:59:59`).getTime() : Date.parse(text);
  if (!Number.isFinite(at)) throw new CustodyError('invalid-date', `"${text}" is not an ISO-8601 date`);
  return at;
}

/**
 * A loan or proposal on a card changed without changing who reads it (asked, declined, proposed,
 * decided): the connections of `users` and of those who read the card (its owner's managers,
 * admins) tell their devices, whose open pages read their custody again.
 */
export interface CustodyNotice {
  cardId: string;
  owner: string;
  users: string[];
}

export class Custody {
  /** Each user's proposals in this process, one at a time (the open-proposal quota). */
  private readonly proposing = new Map<string, SerialLock>();
  /** The company policy: custody applies its class cut-offs, loan approvers and loan length. */
  readonly policy: CompanyPolicy;

  constructor(
    readonly storage: Storage,
    private readonly edit: CardEditor,
    private readonly onAccessChange: () => void = () => undefined,
    private readonly now: () => number = Date.now,
  ) {
    this.policy = new CompanyPolicy(storage, now, onAccessChange);
    this.pool = new CustomerPool(storage, this.policy, now, onAccessChange, (cardIds, owner, actor, reason) => this.mirrorOwner(cardIds, owner, actor, reason));
    this.classes = new CompanyClasses(storage, this.policy, now);
  }

  private noticeListener: (notice: CustodyNotice) => void = () => undefined;

  /** Who hears of loans and proposals that changed (the hub). */
  onNotice(listener: (notice: CustodyNotice) => void): void {
    this.noticeListener = listener;
  }

  private notice(notice: CustodyNotice): void {
    try {
      this.noticeListener(notice);
    } catch (error) {
      console.error('sync-server: a custody notice failed', error);
    }
  }

  /** The company's ABC cut-offs, kept in memory and told when they move (company-classes.ts). */
  readonly classes: CompanyClasses;

  /** The customer pool (公海): the sweep, claims, locks (pool.ts). */
  readonly pool: CustomerPool;

  // ── The rules applied to stored facts ───────────────────────────────────────────────────

  async factsOf(card: { id: string; owner: string }, storage: Storage = this.storage): Promise<CardFacts> {
    // A card in a team's pool belongs to that team: its managers read it (pool-rules.ts).
    const pooled = poolTeamOf(card.owner);
    return { id: card.id, owner: card.owner, ownerTeam: pooled ?? (await storage.getUser(card.owner))?.team ?? null };
  }

  async readReason(user: Principal, card: { id: string; owner: string }): Promise<ReadReason | undefined> {
    return (await this.readRight(user, card)).reason;
  }

  /** Why the user may read the card (undefined: not at all) and until when (Infinity: no end of its own). */
  async readRight(user: Principal, card: { id: string; owner: string }): Promise<{ reason: ReadReason | undefined; until: number }> {
    const facts = await this.factsOf(card);
    const loans = await this.storage.activeLoans({ cardId: card.id }, this.now());
    const now = this.now();
    return { reason: readReason(user, facts, loans, now), until: readUntil(user, facts, loans, now) };
  }

  async scopeOf(user: Principal): Promise<FeedScope> {
    // A manager's team includes its pool: the cards in it are the team's (pool-rules.ts).
    const members = user.role === 'manager' && user.team ? [...(await this.storage.teamMembers(user.team)), poolOwner(user.team)] : [];
    return feedScope(user, members, await this.storage.activeLoans({ borrower: user.name }, this.now()), this.now());
  }

  /** A card the user may decide for (loans, proposals, handover), or a refusal that reveals nothing. */
  private async decidable(user: Principal, cardId: string): Promise<CardFacts> {
    const card = await this.storage.getCard(cardId);
    const facts = card && (await this.factsOf(card));
    if (!facts || !canDecideFor(user, facts)) throw new CustodyError('not-found', NO_SUCH_CARD, 404);
    return facts;
  }

  /**
   * Runs `change` (which moves owners, loans, teams or users) and logs, for each of `cardIds`,
   * who gained and who lost the right to read it; bumps the access version; and writes the
   * change's audit entries (`lines`, from what `change` returned): one transaction, so a change
   * stored always has its audit entries, and a change refused or failed has none.
   */
  private async changingAccess<T>(cardIds: readonly string[], by: string, change: (tx: Storage) => Promise<T>, lines?: (value: T) => AuditLine[], token = ''): Promise<T> {
    const result = await this.storage.transaction(async (tx) => {
      const readers = async () => {
        const users = await tx.listUsers();
        const teamOf = new Map(users.map((user) => [user.name, user.team]));
        const loans = await tx.activeLoans({}, this.now());
        const map = new Map<string, Set<string>>();
        for (const id of cardIds) {
          const card = await tx.getCard(id);
          if (card) map.set(id, readersOf({ id, owner: card.owner, ownerTeam: poolTeamOf(card.owner) ?? teamOf.get(card.owner) ?? null }, users, loans, this.now()));
        }
        return map;
      };
      const before = await readers();
      const value = await change(tx);
      const after = await readers();
      const entries: AccessEntry[] = [];
      for (const id of cardIds) {
        const was = before.get(id) ?? new Set<string>();
        const is = after.get(id) ?? new Set<string>();
        for (const reader of is) if (!was.has(reader)) entries.push({ cardId: id, reader, kind: 'grant' });
        for (const reader of was) if (!is.has(reader)) entries.push({ cardId: id, reader, kind: 'revoke' });
      }
      await tx.logAccess(entries, by);
      await tx.bumpAccessVersion();
      if (lines) await this.audit(lines(value), token, tx);
      return value;
    });
    this.onAccessChange();
    return result;
  }

  /** Runs `change` and writes its audit entries (`lines`, from what it returned) in one transaction. */
  private audited<T>(change: (tx: Storage) => Promise<T>, lines: (value: T) => AuditLine[], token = ''): Promise<T> {
    return this.storage.transaction(async (tx) => {
      const value = await change(tx);
      await this.audit(lines(value), token, tx);
      return value;
    });
  }

  private async audit(events: AuditLine[], token = '', storage: Storage = this.storage): Promise<void> {
    if (events.length === 0) return;
    const at = this.now();
    await storage.audit(events.map((event) => ({ ...event, at, token })));
  }

  // ── Teams and users ─────────────────────────────────────────────────────────────────────

  async addTeam(name: string, by = 'admin-cli'): Promise<void> {
    if (!NAME.test(name)) throw new CustodyError('invalid-name', 'A team name is 1–64 letters, digits, dots, dashes or underscores');
    if (await this.storage.teamExists(name)) throw new CustodyError('exists', `The team "${name}" already exists`);
    await this.audited((tx) => tx.addTeam(name), () => [{ user: by, action: 'team-add', cardId: null, detail: name }]);
  }

  async addUser(name: string, role: Role, team: string | null, by = 'admin-cli'): Promise<void> {
    if (!NAME.test(name)) throw new CustodyError('invalid-name', 'A user name is 1–64 letters, digits, dots, dashes or underscores');
    if (await this.storage.getUser(name)) throw new CustodyError('exists', `The user "${name}" already exists`);
    if (team !== null && !(await this.storage.teamExists(team))) throw new CustodyError('unknown-team', `No team "${team}": add it first with "team add"`);
    // A member of a team is an access change: its managers' open connections now read their cards.
    const lines = (): AuditLine[] => [{ user: by, action: 'user-add', cardId: null, detail: `${name} (${role}${team ? `, team ${team}` : ''})` }];
    if (team === null) await this.audited((tx) => tx.addUser(name, role, team), lines);
    else await this.changingAccess([], by, (tx) => tx.addUser(name, role, team), lines);
  }

  /** Moves a user to another team (null: none). Their cards' team managers change with them. */
  async moveUser(name: string, team: string | null, by = 'admin-cli'): Promise<void> {
    const user = await this.storage.getUser(name);
    if (!user) throw new CustodyError('unknown-user', `No user "${name}"`);
    if (team !== null && !(await this.storage.teamExists(team))) throw new CustodyError('unknown-team', `No team "${team}": add it first with "team add"`);
    const owners = new Set([name]);
    // A manager gains the new team's cards and loses the old team's.
    if (user.role === 'manager') for (const t of [user.team, team]) if (t) for (const member of await this.storage.teamMembers(t)) owners.add(member);
    const cardIds: string[] = [];
    for (const owner of owners) for (const card of await this.storage.cardOwners(owner)) cardIds.push(card.id);
    await this.changingAccess(cardIds, by, (tx) => tx.setUserTeam(name, team), () => [{ user: by, action: 'user-move', cardId: null, detail: `${name}: ${user.team ?? '—'} → ${team ?? '—'}` }]);
  }

  /**
   * A leaver (DOMAIN.md §1.5): every card they own goes to a successor first — `to`, else the
   * manager of their team (leavers.ts) — as a "leaving" handover; then every token is revoked and
   * their devices are told to delete this server's cards. Refused, with nothing changed, when no
   * successor can hold the cards. Run again on a user already disabled, it hands over what they
   * still own (data from before this rule), so a disabled owner never remains on a card.
   */
  async disableUser(name: string, options: { to?: string; by?: string } = {}): Promise<{ handedTo: string | null; cards: number }> {
    const by = options.by ?? 'admin-cli';
    const user = await this.storage.getUser(name);
    if (!user) throw new CustodyError('unknown-user', `No user "${name}"`);
    const owned = await this.storage.cardOwners(name);
    const successor = owned.length > 0 || options.to ? await this.successorOf(user, options.to, owned.length) : undefined;
    if (successor && owned.length > 0) {
      const admin: Principal = { name: by, role: 'admin', team: null, disabled: false };
      await this.handover({ from: name, to: successor.name, reason: `${name} left the company`, kind: 'leaving', by: admin });
    }
    if (!user.disabled) {
      const loans = (await this.storage.activeLoans({ borrower: name }, this.now())).map((loan) => loan.cardId);
      await this.changingAccess(loans, by, (tx) => tx.disableUser(name), () => [{ user: by, action: 'user-disable', cardId: null, detail: successor && owned.length > 0 ? `${name}: ${owned.length} card(s) to ${successor.name}` : name }]);
    }
    return { handedTo: owned.length > 0 ? successor!.name : null, cards: owned.length };
  }

  /** Who takes over a leaver's cards (leavers.ts), or a refusal that says what to do. */
  private async successorOf(leaver: Principal, named: string | undefined, cards: number): Promise<Principal> {
    if (named !== undefined) {
      const successor = await this.storage.getUser(named);
      const problem = successorProblem(leaver, successor);
      if (problem === undefined) return successor!;
      const why: Record<SuccessorProblem, string> = {
        unknown: `No user "${named}" to take over ${leaver.name}'s cards`,
        same: `${leaver.name} cannot take over their own cards: name another user with --to`,
        disabled: `${named} is disabled and cannot take over ${leaver.name}'s cards: name an active user with --to`,
        admin: `${named} is an admin and cannot hold customer cards (no team or manager would see them): name a rep or a manager with --to`,
      };
      throw new CustodyError(problem === 'unknown' ? 'unknown-user' : 'invalid-successor', why[problem]);
    }
    const found = defaultSuccessor(leaver, await this.storage.listUsers());
    if (found === 'none') throw new CustodyError('successor-required', `${leaver.name} owns ${cards} card(s) and ${leaver.team === null ? 'has no team' : `team ${leaver.team} has no active manager`}: name who takes them over with --to <user>`);
    if (found === 'several') throw new CustodyError('successor-required', `${leaver.name} owns ${cards} card(s) and team ${leaver.team} has several managers: name who takes them over with --to <user>`);
    return found;
  }

  // ── Handover (交接) ──────────────────────────────────────────────────────────────────────

  /**
   * Moves all (or the chosen) cards of `from` to `to`, with a reason; a cover ends at `until`,
   * when the cards go back (returnCovers). Recorded on every card moved.
   */
  async handover(input: { from: string; to: string; reason: string; kind: HandoverKind; cardIds?: string[]; until?: number; by: Principal }): Promise<Handover> {
    const now = this.now();
    const reason = requireReason(input.reason);
    if (!HANDOVER_KINDS.includes(input.kind)) throw new CustodyError('invalid-value', 'The kind of handover is leaving, territory or cover');
    const from = await this.storage.getUser(input.from);
    const to = await this.storage.getUser(input.to);
    if (!from) throw new CustodyError('unknown-user', `No user "${input.from}"`);
    if (!to || to.disabled) throw new CustodyError('unknown-user', `No active user "${input.to}"`);
    if (from.name === to.name) throw new CustodyError('invalid-value', 'The cards already belong to this user');
    const until = input.kind === 'cover' ? requireFuture(input.until, now, 'A cover') : null;
    const owned = (await this.storage.cardOwners(from.name)).map((card) => card.id);
    const cardIds = input.cardIds && input.cardIds.length > 0 ? input.cardIds : owned;
    for (const id of cardIds) {
      const card = await this.storage.getCard(id);
      if (!card || card.owner !== from.name) throw new CustodyError('not-found', NO_SUCH_CARD, 404);
      await this.decidable(input.by, id);
    }
    // The receiver's side too: a manager hands over within their team only.
    if (!mayHandOverTo(input.by, to)) throw new CustodyError('forbidden', `${to.name} is not in your team`, 403);
    if (cardIds.length === 0) throw new CustodyError('nothing', `${from.name} has no cards`);
    const record = { from: from.name, to: to.name, reason, kind: input.kind, until, by: input.by.name, at: now, cardIds, returnedAt: null };
    const label = input.kind === 'cover' ? `cover until ${new Date(until!).toISOString().slice(0, 10)}` : input.kind;
    const id = await this.changingAccess(
      cardIds,
      input.by.name,
      async (tx) => {
        for (const cardId of cardIds) await tx.setOwner(cardId, to.name);
        return tx.addHandover(record);
      },
      () => cardIds.map((cardId) => ({ user: input.by.name, action: 'handover', cardId, detail: `${from.name} → ${to.name} (${label}): ${reason}` })),
    );
    await this.mirrorOwner(cardIds, to.name, input.by.name, `Handover (${label}) from ${from.name}: ${reason}`);
    return { id, ...record };
  }

  private ending: Promise<unknown> = Promise.resolve();

  /**
   * Ends what has come to its end — loans, then covers — one run at a time in this process (the
   * access watch's tick and the access clock both call it), so no cover is returned twice.
   */
  endDue(): Promise<void> {
    const run = this.ending.then(async () => {
      await this.endLoans();
      await this.returnCovers();
    });
    this.ending = run.catch(() => undefined);
    return run;
  }

  /** Covers whose end has passed: their cards still held by the cover go back. */
  async returnCovers(): Promise<number> {
    let returned = 0;
    for (const cover of await this.storage.dueCovers(this.now())) {
      const back: string[] = [];
      // A cover of someone who has left since ends with the cards kept: a disabled user never owns a card.
      const leaver = (await this.storage.getUser(cover.from))?.disabled !== false;
      if (!leaver) for (const id of cover.cardIds) if ((await this.storage.getCard(id))?.owner === cover.to) back.push(id);
      await this.changingAccess(
        back,
        'server',
        async (tx) => {
          for (const id of back) await tx.setOwner(id, cover.from);
          await tx.updateHandover({ ...cover, returnedAt: this.now() });
        },
        (): AuditLine[] => [
          ...back.map((cardId) => ({ user: 'server', action: 'handover-return' as const, cardId, detail: `${cover.to} → ${cover.from} (end of cover)` })),
          ...(leaver ? cover.cardIds.map((cardId) => ({ user: 'server', action: 'handover-kept' as const, cardId, detail: `${cover.from} has left: the cover by ${cover.to} ends with the cards kept` })) : []),
        ],
      );
      await this.mirrorOwner(back, cover.from, cover.by, `End of cover by ${cover.to}: the cards return`);
      returned += back.length;
    }
    return returned;
  }

  private async mirrorOwner(cardIds: string[], owner: string, actor: string, reason: string): Promise<void> {
    for (const cardId of cardIds) {
      const result = await this.edit(cardId, actor, { type: 'card-set-field', cardId, field: 'owner', value: owner, reason });
      if (!result.ok) console.error(`sync-server: the owner field of card ${cardId} could not be updated (${result.message})`);
    }
  }

  // ── Loans (借阅) ─────────────────────────────────────────────────────────────────────────

  /**
   * A rep asks to read a card they cannot read, until a date, with a reason; a borrower asks
   * again to renew (续借) — a new request, decided like the first.
   */
  async requestLoan(user: Principal, cardId: string, wantedUntil: number, reason: string, token = ''): Promise<Loan> {
    const now = this.now();
    const text = requireReason(reason);
    const until = requireFuture(wantedUntil, now, 'A loan', (await this.policy.rules()).loans.maxDays);
    const card = await this.storage.getCard(cardId);
    // Asking needs only the card's id, which the exact-match lookup gives; nothing more leaks.
    if (!card) throw new CustodyError('not-found', NO_SUCH_CARD, 404);
    const readable = await this.readReason(user, card);
    if (readable && readable !== 'loan') throw new CustodyError('already-readable', 'You can already read this card');
    const open = await this.storage.listLoans({ borrower: user.name, cardIds: [cardId], status: ['requested'] });
    if (open.length > 0) throw new CustodyError('already-requested', 'You have already asked to borrow this card');
    const loan: Omit<Loan, 'id'> = {
      cardId, borrower: user.name, reason: text, requestedAt: now, wantedUntil: until, status: 'requested', write: false,
      approver: null, decidedAt: null, decisionReason: null, until: null, endedAt: null,
    };
    const id = await this.audited((tx) => tx.addLoan(loan), () => [{ user: user.name, action: 'loan-request', cardId, detail: `until ${new Date(until).toISOString()}: ${text}` }], token);
    this.notice({ cardId, owner: card.owner, users: [user.name] });
    return { id, ...loan };
  }

  /** Approve (possibly shortened, possibly with writing) or decline a request, with a reason. */
  async decideLoan(user: Principal, id: number, decision: { approve: boolean; until?: number; write?: boolean; reason: string }, token = ''): Promise<Loan> {
    const loan = await this.storage.getLoan(id);
    if (!loan) throw new CustodyError('not-found', NO_SUCH_REQUEST, 404);
    const facts = await this.decidable(user, loan.cardId).catch(asNoSuchRequest);
    const rules = await this.policy.rules();
    if (!mayApproveLoan(user, facts, rules.loans.approver)) throw new CustodyError('not-approver', approverRefusal(rules.loans.approver), 403);
    if (loan.status !== 'requested') throw new CustodyError('decided', 'This request was already decided');
    const reason = requireReason(decision.reason);
    const now = this.now();
    if (!decision.approve) {
      const declined: Loan = { ...loan, status: 'declined', approver: user.name, decidedAt: now, decisionReason: reason };
      await this.audited(
        async (tx) => {
          await stillRequested(tx, id);
          await tx.updateLoan(declined);
        },
        () => [{ user: user.name, action: 'loan-decline', cardId: loan.cardId, detail: `${loan.borrower}: ${reason}` }],
        token,
      );
      this.notice({ cardId: loan.cardId, owner: facts.owner, users: [loan.borrower, user.name] });
      return declined;
    }
    const until = requireFuture(decision.until ?? loan.wantedUntil, now, 'A loan', rules.loans.maxDays);
    const borrower = await this.storage.getUser(loan.borrower);
    if (!borrower || borrower.disabled) throw new CustodyError('unknown-user', `${loan.borrower} is no longer an active user`);
    const active: Loan = { ...loan, status: 'active', write: decision.write === true, approver: user.name, decidedAt: now, decisionReason: reason, until };
    await this.changingAccess(
      [loan.cardId],
      user.name,
      async (tx) => {
        await stillRequested(tx, id);
        await tx.updateLoan(active);
      },
      () => [{ user: user.name, action: 'loan-approve', cardId: loan.cardId, detail: `${loan.borrower} until ${new Date(until).toISOString()}${active.write ? ' (may write)' : ''}: ${reason}` }],
      token,
    );
    return active;
  }

  /** An approver grants a loan directly (admin CLI `borrow grant`). */
  async grantLoan(by: Principal, cardId: string, to: string, until: number, reason: string, write: boolean): Promise<Loan> {
    const borrower = await this.storage.getUser(to);
    if (!borrower || borrower.disabled) throw new CustodyError('unknown-user', `No active user "${to}"`);
    const facts = await this.decidable(by, cardId);
    const rules = await this.policy.rules();
    if (!mayApproveLoan(by, facts, rules.loans.approver)) throw new CustodyError('not-approver', approverRefusal(rules.loans.approver), 403);
    const now = this.now();
    const text = requireReason(reason);
    const end = requireFuture(until, now, 'A loan', rules.loans.maxDays);
    const loan: Omit<Loan, 'id'> = {
      cardId, borrower: to, reason: text, requestedAt: now, wantedUntil: end, status: 'active', write,
      approver: by.name, decidedAt: now, decisionReason: text, until: end, endedAt: null,
    };
    const id = await this.changingAccess([cardId], by.name, (tx) => tx.addLoan(loan), () => [{ user: by.name, action: 'loan-grant', cardId, detail: `${to} until ${new Date(end).toISOString()}${write ? ' (may write)' : ''}: ${text}` }]);
    return { id, ...loan };
  }

  /** Loans whose end has passed become ended: their borrowers' devices delete the card. */
  async endLoans(): Promise<number> {
    const now = this.now();
    if ((await this.storage.dueLoans(now)).length === 0) return 0;
    // Read again under the write lock: another instance may have ended them meanwhile.
    const due = await this.storage.transaction(async (tx) => {
      const due = await tx.dueLoans(now);
      if (due.length === 0) return due;
      // The rights already stopped at `until`; this records it and tells the devices.
      const cardIds = [...new Set(due.map((loan) => loan.cardId))];
      const revokes: AccessEntry[] = due.map((loan) => ({ cardId: loan.cardId, reader: loan.borrower, kind: 'revoke' }));
      for (const loan of due) await tx.updateLoan({ ...loan, status: 'ended', endedAt: now });
      const users = await tx.listUsers();
      const loans = await tx.activeLoans({}, now);
      // Only those who cannot read the card another way lose it.
      const still = new Map<string, Set<string>>();
      for (const id of cardIds) {
        const card = await tx.getCard(id);
        still.set(id, card ? readersOf(await this.factsOf(card, tx), users, loans, now) : new Set<string>());
      }
      await tx.logAccess(revokes.filter((entry) => !still.get(entry.cardId)?.has(entry.reader)), 'server');
      await tx.bumpAccessVersion();
      await this.audit(due.map((loan) => ({ user: 'server', action: 'loan-end', cardId: loan.cardId, detail: loan.borrower })), '', tx);
      return due;
    });
    if (due.length === 0) return 0;
    this.onAccessChange();
    return due.length;
  }

  /** Loans a user may see (rights.ts `seesLoan`): their own; those of cards they own or may decide for. */
  async loansFor(user: Principal, filter: { borrower?: string } = {}): Promise<(Loan & { cardName: string; owner: string })[]> {
    const scope = await this.scopeOf(user);
    const candidates = scope.all
      ? await this.storage.listLoans({ borrower: filter.borrower })
      : [...(await this.storage.listLoans({ borrower: user.name })), ...(await this.listOnCardsOf(user, scope.owners, (cardIds) => this.storage.listLoans({ cardIds }))), ...(await this.loansOnOwnCards(user))];
    const facts = this.factsCache();
    const byId = new Map<number, Loan>();
    for (const loan of candidates) if (!filter.borrower || loan.borrower === filter.borrower) if (seesLoan(user, loan, await facts(loan.cardId))) byId.set(loan.id, loan);
    const out: (Loan & { cardName: string; owner: string })[] = [];
    for (const loan of [...byId.values()].sort((a, b) => b.id - a.id)) out.push({ ...loan, ...(await this.cardLabel(loan.cardId)) });
    return out;
  }

  /** Loans of the cards the user owns (a rep is told her card was lent); managers have them through their team. */
  private async loansOnOwnCards(user: Principal): Promise<Loan[]> {
    if (user.disabled || decidesForAny(user)) return [];
    const cardIds = await this.cardsOfAll([user.name]);
    return cardIds.length > 0 ? this.storage.listLoans({ cardIds }) : [];
  }

  /** Records kept per card (loans, proposals) of the cards these owners hold, for a user who may decide for some. */
  private async listOnCardsOf<T>(user: Principal, owners: readonly string[], list: (cardIds: string[]) => Promise<T[]>): Promise<T[]> {
    if (!decidesForAny(user)) return [];
    const cardIds = await this.cardsOfAll(owners);
    return cardIds.length > 0 ? list(cardIds) : [];
  }

  /** A card's facts by id, read once per call site (undefined: no such card). */
  private factsCache(): (cardId: string) => Promise<CardFacts | undefined> {
    const known = new Map<string, Promise<CardFacts | undefined>>();
    return (cardId) => {
      let facts = known.get(cardId);
      if (!facts) {
        facts = this.storage.getCard(cardId).then((card) => (card ? this.factsOf(card) : undefined));
        known.set(cardId, facts);
      }
      return facts;
    };
  }

  /** A card's trade name and owner, for lists of requests (the requester may not read the card). */
  async cardLabel(cardId: string): Promise<{ cardName: string; owner: string }> {
    const card = await this.storage.getCard(cardId);
    return { cardName: await this.nameOf(cardId), owner: card?.owner ?? '' };
  }

  private async nameOf(cardId: string): Promise<string> {
    const row = await this.rowOf(cardId);
    return typeof row?.name === 'string' ? row.name : '';
  }

  /** The ids of every card these users own. */
  private async cardsOfAll(owners: Iterable<string>): Promise<string[]> {
    const ids: string[] = [];
    for (const owner of owners) for (const card of await this.storage.cardOwners(owner)) ids.push(card.id);
    return ids;
  }

  private async rowOf(cardId: string): Promise<{ name?: unknown; emails?: unknown; domains?: unknown } | undefined> {
    const row = await this.storage.rowOf(cardId);
    try {
      return row ? (JSON.parse(row) as { name?: unknown; emails?: unknown; domains?: unknown }) : undefined;
    } catch {
      return undefined;
    }
  }

  // ── Proposals of controlled changes ─────────────────────────────────────────────────────

  /**
   * Records a proposal. A user may have at most `maxOpen` proposals waiting for a decision (the
   * quota: one rep's flood must not bury the desk): past it the request is refused with 429
   * 'too-many-proposals' before anything is read or written. One user's proposals are taken one
   * at a time in this process, so the count and the insert cannot interleave (with several
   * instances the quota may be passed by at most one proposal per other instance).
   */
  async propose(user: Principal, cardId: string, field: string, value: FieldValue, reason: string, token = '', maxOpen = Number.POSITIVE_INFINITY): Promise<Proposal> {
    let lock = this.proposing.get(user.name);
    if (!lock) this.proposing.set(user.name, (lock = new SerialLock()));
    try {
      return await lock.run(async () => {
        if (Number.isFinite(maxOpen)) {
          const open = (await this.storage.listProposals({ by: user.name, status: ['open'] })).length;
          if (open >= maxOpen) {
            throw new CustodyError('too-many-proposals', `You have ${open} proposals waiting for a decision; propose more once your manager has decided some`, 429);
          }
        }
        return await this.proposeNow(user, cardId, field, value, reason, token);
      });
    } finally {
      if (!lock.busy) this.proposing.delete(user.name);
    }
  }

  private async proposeNow(user: Principal, cardId: string, field: string, value: FieldValue, reason: string, token: string): Promise<Proposal> {
    const card = await this.storage.getCard(cardId);
    if (!card || !await this.readReason(user, card)) throw new CustodyError('not-found', NO_SUCH_CARD, 404);
    if (!(CONTROLLED_KEYS as readonly string[]).includes(field)) throw new CustodyError('not-controlled', 'Only controlled fields are proposed; change this field on the card');
    const def = fieldByKey(field);
    const valid = def ? validateFieldValue(def, value) : undefined;
    if (!valid || !valid.ok) throw new CustodyError('invalid-value', valid && !valid.ok ? valid.message : 'Invalid value');
    const text = requireReason(reason);
    const proposal: Omit<Proposal, 'id'> = {
      cardId, field, value: JSON.stringify(valid.value), reason: text, by: user.name, at: this.now(), status: 'open', decider: null, decidedAt: null, decisionReason: null,
    };
    const id = await this.audited((tx) => tx.addProposal(proposal), () => [{ user: user.name, action: 'proposal', cardId, detail: `${field} → ${proposal.value}: ${text}` }], token);
    this.notice({ cardId, owner: card.owner, users: [user.name] });
    return { id, ...proposal };
  }

  async decideProposal(user: Principal, id: number, decision: { approve: boolean; reason: string }, token = ''): Promise<Proposal> {
    const proposal = await this.storage.getProposal(id);
    if (!proposal) throw new CustodyError('not-found', NO_SUCH_REQUEST, 404);
    const facts = await this.decidable(user, proposal.cardId).catch(asNoSuchRequest);
    if (!canChangeControlled(user, facts)) throw new CustodyError('not-found', NO_SUCH_REQUEST, 404);
    if (proposal.status !== 'open') throw new CustodyError('decided', 'This proposal was already decided');
    const reason = requireReason(decision.reason);
    const decided: Proposal = { ...proposal, status: decision.approve ? 'approved' : 'declined', decider: user.name, decidedAt: this.now(), decisionReason: reason };
    // The decision is taken first, under the write lock, with its audit entry: of two managers
    // deciding at once, one decides and the other is told it was decided (never a card changed
    // by an approval beside a proposal marked declined).
    await this.audited(
      async (tx) => {
        if ((await tx.getProposal(id))?.status !== 'open') throw new CustodyError('decided', 'This proposal was already decided');
        await tx.updateProposal(decided);
      },
      () => [{ user: user.name, action: decision.approve ? 'proposal-approve' : 'proposal-decline', cardId: proposal.cardId, detail: `${proposal.field} by ${proposal.by}: ${reason}` }],
      token,
    );
    if (decision.approve) {
      const value = JSON.parse(proposal.value) as FieldValue;
      const recorded = `${proposal.reason} — proposed by ${proposal.by}, approved by ${user.name}: ${reason}`;
      const result = await this.edit(proposal.cardId, user.name, { type: 'card-set-field', cardId: proposal.cardId, field: proposal.field, value, reason: recorded }).catch(
        (error: unknown) => ({ ok: false as const, code: 'server-error', message: error instanceof Error ? error.message : 'the card could not be changed' }),
      );
      if (!result.ok) {
        // The card did not take the change: the proposal waits again, and the audit says why.
        await this.audited((tx) => tx.updateProposal(proposal), () => [{ user: user.name, action: 'proposal-reopen', cardId: proposal.cardId, detail: `${proposal.field} by ${proposal.by}: the change could not be made (${result.message})` }], token);
        throw new CustodyError(result.code, result.message);
      }
    }
    this.notice({ cardId: proposal.cardId, owner: facts.owner, users: [proposal.by, user.name] });
    return decided;
  }

  /** Proposals a user may see (rights.ts `seesProposal`): their own; those on cards they may decide for. */
  async proposalsFor(user: Principal): Promise<(Proposal & { cardName: string; owner: string })[]> {
    const scope = await this.scopeOf(user);
    const candidates = scope.all
      ? await this.storage.listProposals({})
      : [...(await this.storage.listProposals({ by: user.name })), ...(await this.listOnCardsOf(user, scope.owners, (cardIds) => this.storage.listProposals({ cardIds })))];
    const facts = this.factsCache();
    const byId = new Map<number, Proposal>();
    for (const proposal of candidates) if (seesProposal(user, proposal, await facts(proposal.cardId))) byId.set(proposal.id, proposal);
    const out: (Proposal & { cardName: string; owner: string })[] = [];
    for (const proposal of [...byId.values()].sort((a, b) => b.id - a.id)) out.push({ ...proposal, ...(await this.cardLabel(proposal.cardId)) });
    return out;
  }

  // ── The team and its handovers ──────────────────────────────────────────────────────────

  /** The people a manager (their team) or an admin (everyone) sees, with their card counts. */
  async teamFor(user: Principal): Promise<{ team: string | null; members: { name: string; role: Role; team: string | null; disabled: boolean; cards: number }[] }> {
    if (!mayListTeam(user)) throw new CustodyError('forbidden', 'Only managers and admins see a team', 403);
    const members = [];
    for (const person of await this.storage.listUsers()) {
      if (!seesPerson(user, person)) continue;
      members.push({ name: person.name, role: person.role, team: person.team, disabled: person.disabled, cards: (await this.storage.cardOwners(person.name)).length });
    }
    return { team: user.team, members };
  }

  /** Handovers a user sees (rights.ts `seesHandover`): those from or to a person they see. */
  async handoversFor(user: Principal): Promise<Handover[]> {
    const people = new Map((await this.storage.listUsers()).map((person) => [person.name, person]));
    const all = await this.storage.listHandovers(user.role === 'rep' ? { user: user.name } : {});
    return all.filter((handover) => seesHandover(user, handover, people));
  }

  // ── Whose customer is this? ─────────────────────────────────────────────────────────────

  /**
   * An exact-match lookup by email or company domain: the card if the user may read it, else
   * only the company name, its owner and the owner's team — never a listing. Which card is the
   * customer's is decided by its identity (customer-claims.ts); cards of different owners that
   * claim the same key are flagged on each card's audit, once per key and set of cards.
   */
  async lookup(user: Principal, key: { email?: string; domain?: string }): Promise<{ cardId: string; readable: boolean; name: string; owner: string; team: string | null; conflict?: boolean } | undefined> {
    const claims: (Claim & { name: string })[] = [];
    for (const id of await this.storage.cardsByKey(key)) {
      const card = await this.storage.getCard(id);
      if (!card) continue;
      const row = await this.rowOf(id);
      const list = (value: unknown) => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);
      claims.push({ cardId: id, owner: card.owner, emails: list(row?.emails), domains: list(row?.domains), name: typeof row?.name === 'string' ? row.name : '' });
    }
    const decision = decideClaims(claims, key);
    if (!decision) return undefined;
    await this.flagContested(claims, key);
    let readable: (typeof claims)[number] | undefined;
    for (const claim of decision.strongest as typeof claims) if (!readable && (await this.readReason(user, { id: claim.cardId, owner: claim.owner }))) readable = claim;
    const conflict = decision.conflict ? { conflict: true } : {};
    const chosen = readable ?? (decision.strongest[0] as (typeof claims)[number]);
    if (!readable && decision.conflict) return { cardId: chosen.cardId, readable: false, name: chosen.name, owner: '', team: null, ...conflict };
    return { cardId: chosen.cardId, readable: readable !== undefined, name: chosen.name, owner: chosen.owner, team: (await this.storage.getUser(chosen.owner))?.team ?? null, ...conflict };
  }

  private readonly flagged = new Set<string>();

  /** Cards of different owners claiming one email or domain: each card's audit says so (its managers read it there). */
  private async flagContested(claims: readonly Claim[], key: { email?: string; domain?: string }): Promise<void> {
    const matching = claims.filter((claim) => claimStrength(claim, key) > 0);
    if (new Set(matching.map((claim) => claim.owner)).size < 2) return;
    const what = key.email ?? key.domain ?? '';
    const mark = `${what}|${matching.map((claim) => claim.cardId).sort().join(',')}`;
    if (this.flagged.has(mark)) return;
    this.flagged.add(mark);
    await this.audit(matching.map((claim) => ({
      user: 'server',
      action: 'ownership-conflict',
      cardId: claim.cardId,
      detail: `${what} is also claimed by ${[...new Set(matching.filter((other) => other.owner !== claim.owner).map((other) => other.owner))].join(', ')}`,
    })));
  }

  /** A card's owner, team and the user's own loan of it (side panel), if the user may read it. */
  async custodyOf(user: Principal, cardId: string): Promise<{ owner: string; team: string | null; reason: ReadReason; loanUntil: number | null; loanWrite: boolean; poolLock: { by: string; at: number } | null } | undefined> {
    const card = await this.storage.getCard(cardId);
    const reason = card && (await this.readReason(user, card));
    if (!card || !reason) return undefined;
    const loan = (await this.storage.activeLoans({ cardId }, this.now())).find((l) => l.borrower === user.name);
    // Whoever reads the card sees whether it is locked against the pool, by whom and since when.
    const lock = (await this.storage.poolLocks()).get(cardId);
    return { owner: card.owner, team: (await this.storage.getUser(card.owner))?.team ?? null, reason, loanUntil: loan?.until ?? null, loanWrite: loan?.write ?? false, poolLock: lock ? { by: lock.by, at: lock.at } : null };
  }

  // ── One classification for the company ─────────────────────────────────────────────────

  /**
   * ABC cut-offs by the company policy: its fixed amounts, or its Pareto shares over every card's
   * purchases in the last 12 months (classification.ts: cut-offs only, no customer's total).
   */
  async abcCutoffs(): Promise<CompanyCutoffs> {
    return this.classes.current();
  }

  // ── What leaves the archive (export, print, backup) ────────────────────────────────────

  /**
   * A device asks before it releases a file (take-out.ts): which of `cardIds` the user may export,
   * print or back up. Only those go into the file. The run is audited now, before the file exists,
   * as one entry: the format, how many left and how many were refused, and the released cards
   * themselves (`cards`, by which each card's audit finds it); one row per card made a backup of
   * 10,000 cards write 10,001 rows (DECISIONS.md "A take-out is one audit entry"). The reply
   * names only cards the user may take out; the rest are a count, so it tells nothing of cards
   * the user may not read.
   */
  async takeOut(user: Principal, request: { kind: TakeOutKind; format: string; cardIds: readonly string[] }, token = ''): Promise<{ allowed: string[]; refused: number }> {
    const wanted = [...new Set(request.cardIds)];
    const owners = await this.ownersOf(wanted);
    const teams = new Map((await this.storage.listUsers()).map((person) => [person.name, person.team]));
    // How far each role may take cards out is the company's to set (shared/policy, export.*).
    const scope = (await this.policy.rules()).export[user.role];
    const allowed = wanted.filter((id) => {
      const owner = owners.get(id);
      return owner !== undefined && mayTakeOut(user, { id, owner, ownerTeam: teams.get(owner) ?? null }, scope);
    });
    const refused = wanted.length - allowed.length;
    const summary = `${request.format}: ${allowed.length} card(s)${refused > 0 ? `, ${refused} refused` : ''}`;
    await this.audit([{ user: user.name, action: request.kind, cardId: null, detail: summary, ...(allowed.length > 0 ? { cards: allowed } : {}) }], token);
    return { allowed, refused };
  }

  /** Which of `cardIds` the user may read now (a restore keeps only those); the rest are not told apart from cards that do not exist. */
  async readableOf(user: Principal, cardIds: readonly string[], token = ''): Promise<string[]> {
    const wanted = [...new Set(cardIds)];
    const owners = await this.ownersOf(wanted);
    const inScope = scopeTest(await this.scopeOf(user));
    const now = this.now();
    const readable = wanted.filter((id) => owners.has(id) && inScope({ id, owner: owners.get(id)! }, now));
    await this.audit([{ user: user.name, action: 'restore', cardId: null, detail: `${readable.length} of ${wanted.length} card(s) readable` }], token);
    return readable;
  }

  /** The owners of these cards (absent: no such card); one read of every id and owner for a long list. */
  private async ownersOf(cardIds: readonly string[]): Promise<Map<string, string>> {
    const owners = new Map<string, string>();
    if (cardIds.length > 50) {
      const wanted = new Set(cardIds);
      for (const card of await this.storage.cardOwners()) if (wanted.has(card.id)) owners.set(card.id, card.owner);
    } else {
      for (const id of cardIds) {
        const card = await this.storage.getCard(id);
        if (card) owners.set(id, card.owner);
      }
    }
    return owners;
  }

  // ── The audit ───────────────────────────────────────────────────────────────────────────

  /** The audit of a card (managers of its team, admins) or of a person (their manager, admins, themselves). */
  async auditFor(user: Principal, filter: { cardId?: string; user?: string }): Promise<AuditEvent[]> {
    if (filter.cardId) {
      await this.decidable(user, filter.cardId);
      return await this.storage.auditOf({ cardId: filter.cardId });
    }
    if (filter.user) {
      const person = await this.storage.getUser(filter.user);
      if (!seesPerson(user, person)) throw new CustodyError('not-found', 'No such person, or no right to see their record', 404);
      const events = await this.storage.auditOf({ user: filter.user });
      if (user.role === 'admin') return events;
      // What the person did on cards the viewer may not read shows without the card or its detail.
      const readable = new Map<string, Promise<boolean>>();
      const mayRead = (cardId: string) => {
        let known = readable.get(cardId);
        if (!known) {
          known = this.storage.getCard(cardId).then(async (card) => card !== undefined && (await this.readReason(user, card)) !== undefined);
          readable.set(cardId, known);
        }
        return known;
      };
      const out: AuditEvent[] = [];
      for (const entry of events) {
        // A run's card list is for admins: the viewer keeps its count (the detail), not ids of cards they may not read.
        const event: AuditEvent = { ...entry };
        delete event.cards;
        out.push(event.cardId === null || (await mayRead(event.cardId)) ? event : { ...event, cardId: null, detail: '' });
      }
      return out;
    }
    throw new CustodyError('invalid-value', 'Which card or person?');
  }
}
