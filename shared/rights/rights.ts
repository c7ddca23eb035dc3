/**
 * Who may do what with a card: the one place the custody rules live (DOMAIN.md §4). Shared by the
 * server, which enforces them, and the extension, which reads them to offer only what will be
 * accepted (field-access.ts); the card's structure and what each path allows is card-structure.ts. The
 * per-frame checks (`readReason`, `canWrite`, `canChangeControlled`), the feed's queries
 * (`feedScope`, turned into SQL by the storage) and the access-change log (`readersOf`) are all
 * derived from the same few definitions below, so a new rule is one change here. Every other read
 * path asks here too: who sees a person (the team list, a person's audit, handovers: `seesPerson`),
 * a loan or a proposal (`seesLoan`, `seesProposal`), and when a right ends by itself (`readUntil`,
 * `FeedScope.changesAt`: a loan's end applies to open connections at that moment).
 *
 * Read:  the owner; the managers of the owner's team; admins; a borrower with an active loan.
 * Write: the owner; the managers of the owner's team; admins; a borrower whose loan allows writing.
 * Controlled fields (credit limits, rating, class and stage overrides): managers of the card's
 * team and admins. The owner field mirrors the server's owner: it moves only by handover.
 * A disabled user can do nothing. Everyone else learns nothing, not even that the card exists.
 */
import { CARD_KEY } from '../doc-layout.ts';
import { FIELDS } from '../fields.ts';

export type Role = 'rep' | 'manager' | 'admin';
export const ROLES: readonly Role[] = ['rep', 'manager', 'admin'];

/** A user as the rules see them. */
export interface Principal {
  name: string;
  role: Role;
  team: string | null;
  disabled: boolean;
}

/** What the rules need to know about one card. */
export interface CardFacts {
  id: string;
  owner: string;
  /** The team of the card's owner (null: none). */
  ownerTeam: string | null;
}

/** An active loan of a card to a user (its end not yet reached). */
export interface ActiveLoan {
  cardId: string;
  borrower: string;
  until: number;
  write: boolean;
}

export type ReadReason = 'own' | 'team' | 'loan' | 'admin';

/** Card-map keys only a manager of the card's team or an admin may change (DOMAIN.md §4): the catalogue's `setBy: 'manager'`. */
export const CONTROLLED_KEYS: readonly string[] = FIELDS.filter((field) => field.setBy === 'manager').map((field) => field.key);
/** The card-map key that mirrors the server's owner; no update from a device may change it. */
export const OWNER_KEY = CARD_KEY.owner;

function managesTeamOf(user: Principal, card: CardFacts): boolean {
  return user.role === 'manager' && user.team !== null && user.team === card.ownerTeam;
}

/**
 * The user's widest loan of the card now: one allowing edits before a read-only one, then the one
 * that runs longest (two loans of one card may overlap: a read-only one, then one with edits).
 */
export function activeLoan(user: Principal, card: CardFacts, loans: readonly ActiveLoan[], now = Date.now()): ActiveLoan | undefined {
  let widest: ActiveLoan | undefined;
  for (const loan of loans) {
    if (loan.cardId !== card.id || loan.borrower !== user.name || loan.until <= now) continue;
    if (!widest || (loan.write && !widest.write) || (loan.write === widest.write && loan.until > widest.until)) widest = loan;
  }
  return widest;
}

/** Why `user` may read `card`, or undefined if they may not. */
export function readReason(user: Principal, card: CardFacts, loans: readonly ActiveLoan[], now = Date.now()): ReadReason | undefined {
  if (user.disabled) return undefined;
  if (user.role === 'admin') return 'admin';
  if (card.owner === user.name) return 'own';
  if (managesTeamOf(user, card)) return 'team';
  if (activeLoan(user, card, loans, now)) return 'loan';
  return undefined;
}

/** When the user's right to read the card ends by itself (a loan's end); Infinity if it does not. */
export function readUntil(user: Principal, card: CardFacts, loans: readonly ActiveLoan[], now = Date.now()): number {
  const reason = readReason(user, card, loans, now);
  if (reason === undefined) return now;
  if (reason !== 'loan') return Infinity;
  // Reading lasts as long as the longest of the user's loans of the card.
  return Math.max(...loans.filter((loan) => loan.cardId === card.id && loan.borrower === user.name && loan.until > now).map((loan) => loan.until));
}

export function canWrite(user: Principal, card: CardFacts, loans: readonly ActiveLoan[], now = Date.now()): boolean {
  const reason = readReason(user, card, loans, now);
  if (reason === 'loan') return activeLoan(user, card, loans, now)?.write === true;
  return reason !== undefined;
}

/**
 * Who may merge the card into another, or undo its merge (retiring a customer is the keeper's
 * decision, DOMAIN.md §4): its own rep, a manager of its team, an admin; never a borrower, even
 * one whose loan allows edits.
 */
export function mayRetire(user: Principal, card: CardFacts): boolean {
  const reason = readReason(user, card, []);
  return reason !== undefined;
}

/** Who may invite a user (a one-time sign-in code, sync-server/custody/invitations.ts): an admin. */
export function mayInvite(user: Principal): boolean {
  return !user.disabled && user.role === 'admin';
}

/** Anyone signed in and not disabled may create a card; they become its owner. */
export function canCreate(user: Principal): boolean {
  return !user.disabled && ROLES.includes(user.role);
}

/** Controlled fields: a manager of the card's team, or an admin. */
export function canChangeControlled(user: Principal, card: CardFacts): boolean {
  return !user.disabled && (user.role === 'admin' || managesTeamOf(user, card));
}

/** Who may decide on loans, proposals and handovers of a card: the same people. */
export const canDecideFor = canChangeControlled;

/**
 * Who may approve a loan of a card, as the company policy says (shared/policy/policy.ts
 * `loans.approver`): the manager of the card's team, the general manager (an admin), or either.
 */
export function mayApproveLoan(user: Principal, card: CardFacts, approver: 'team-manager' | 'general-manager' | 'either'): boolean {
  if (user.disabled) return false;
  if (approver === 'team-manager') return managesTeamOf(user, card);
  if (approver === 'general-manager') return user.role === 'admin';
  return canDecideFor(user, card);
}

/** Whether the user may decide for any card at all (a manager of a team, an admin): lists need not look further otherwise. */
export function decidesForAny(user: Principal): boolean {
  return !user.disabled && (user.role === 'admin' || (user.role === 'manager' && user.team !== null));
}

/**
 * The set of cards a user may read, in a form the storage turns into a query: every card, or
 * the cards of these owners plus these card ids. `readReason` and `inScope` agree by construction:
 * both come from the definitions above (the authorisation suite checks it).
 */
export interface FeedScope {
  all: boolean;
  owners: string[];
  cardIds: string[];
  /** Each borrowed card's loan end (epoch ms): past it, the card is out of scope. */
  loanUntil?: Readonly<Record<string, number>>;
  /** The first moment the scope changes by itself (the earliest loan end); absent: never. */
  changesAt?: number;
}

/** `teamMembers`: the users of the user's team (for a manager); `loans`: the user's active loans. */
export function feedScope(user: Principal, teamMembers: readonly string[], loans: readonly ActiveLoan[], now = Date.now()): FeedScope {
  if (user.disabled) return { all: false, owners: [], cardIds: [] };
  if (user.role === 'admin') return { all: true, owners: [], cardIds: [] };
  const owners = new Set([user.name]);
  if (user.role === 'manager' && user.team !== null) for (const member of teamMembers) owners.add(member);
  const loanUntil: Record<string, number> = {};
  for (const loan of loans) if (loan.borrower === user.name && loan.until > now) loanUntil[loan.cardId] = Math.max(loanUntil[loan.cardId] ?? 0, loan.until);
  const ends = Object.values(loanUntil);
  return { all: false, owners: [...owners], cardIds: Object.keys(loanUntil), loanUntil, ...(ends.length > 0 ? { changesAt: Math.min(...ends) } : {}) };
}

/** A fast membership test for a scope (connections test every live change against theirs); a loan counts until its end. */
export function scopeTest(scope: FeedScope): (card: { id: string; owner: string }, now?: number) => boolean {
  if (scope.all) return () => true;
  const owners = new Set(scope.owners);
  const until = new Map(scope.cardIds.map((id) => [id, scope.loanUntil?.[id] ?? Infinity]));
  return (card, now = Date.now()) => owners.has(card.owner) || (until.get(card.id) ?? 0) > now;
}

/** Why a card in the scope is readable (the feed's audit says it), by the same rules as `readReason`. */
export function scopeReason(scope: FeedScope, user: Principal, card: { id: string; owner: string }): ReadReason {
  if (scope.all) return 'admin';
  if (card.owner === user.name) return 'own';
  return scope.owners.includes(card.owner) ? 'team' : 'loan';
}

/** A handover's receiver: an admin hands to anyone; a manager only to someone of their own team. */
export function mayHandOverTo(by: Principal, to: { team: string | null; disabled: boolean }): boolean {
  if (by.disabled || to.disabled) return false;
  return by.role === 'admin' || (by.team !== null && to.team === by.team);
}

/** Whether the scope is still what it was when made (no loan in it has ended since). */
export function scopeCurrent(scope: FeedScope, now = Date.now()): boolean {
  return scope.changesAt === undefined || now < scope.changesAt;
}

/**
 * Who sees a person's records (their place in the team list, their audit, their handovers): an
 * admin, the person themselves, a manager of the person's team. A disabled user sees no one.
 */
export function seesPerson(user: Principal, person: { name: string; team: string | null } | undefined): boolean {
  if (user.disabled || !person) return false;
  if (user.role === 'admin' || user.name === person.name) return true;
  return user.role === 'manager' && user.team !== null && user.team === person.team;
}

/** Who may list a team: its managers and admins. */
export function mayListTeam(user: Principal): boolean {
  return !user.disabled && (user.role === 'admin' || (user.role === 'manager' && user.team !== null));
}

/** A loan request or loan: its borrower, whoever may decide for the card, and the card's owner (told her card was lent). */
export function seesLoan(user: Principal, loan: { borrower: string }, card: CardFacts | undefined): boolean {
  if (user.disabled) return false;
  return loan.borrower === user.name || (card !== undefined && (card.owner === user.name || canDecideFor(user, card))) || user.role === 'admin';
}

/** A proposal of a controlled change: its author, and whoever may decide for the card. */
export function seesProposal(user: Principal, proposal: { by: string }, card: CardFacts | undefined): boolean {
  if (user.disabled) return false;
  return proposal.by === user.name || (card !== undefined && canDecideFor(user, card)) || user.role === 'admin';
}

/** A handover: seen by whoever sees the person it moved cards from or to. */
export function seesHandover(user: Principal, handover: { from: string; to: string }, people: ReadonlyMap<string, { name: string; team: string | null }>): boolean {
  return seesPerson(user, people.get(handover.from)) || seesPerson(user, people.get(handover.to));
}

/**
 * Everyone other than admins who may read the card (admins read every card, always): the owner,
 * the managers of the owner's team, active borrowers. The access log records changes to this set.
 */
export function readersOf(card: CardFacts, users: readonly Principal[], loans: readonly ActiveLoan[], now = Date.now()): Set<string> {
  const readers = new Set<string>();
  for (const user of users) {
    if (user.role === 'admin') continue;
    if (readReason(user, card, loans, now)) readers.add(user.name);
  }
  return readers;
}
