/**
 * Who may do what with a card: the one place the custody rules live (DOMAIN.md §4). Shared by the
 * server, which enforces them, and the extension, which reads them to offer only what will be
 * accepted (field-access.ts); the card's structure and what each path allows is card-structure.ts. The
 * per-frame checks (`readReason`, `canWrite`, `canChangeControlled`), the feed's queries
 * (`feedScope`, turned into SQL by the storage) and the access-change log (`readersOf`) are all
 * derived from the same few definitions below, so a new rule is one change here.
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

function activeLoan(user: Principal, card: CardFacts, loans: readonly ActiveLoan[], now: number): ActiveLoan | undefined {
  return loans.find((loan) => loan.cardId === card.id && loan.borrower === user.name && loan.until > now);
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

export function canWrite(user: Principal, card: CardFacts, loans: readonly ActiveLoan[], now = Date.now()): boolean {
  const reason = readReason(user, card, loans, now);
  if (reason === 'loan') return activeLoan(user, card, loans, now)?.write === true;
  return reason !== undefined;
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
 * The set of cards a user may read, in a form the storage turns into a query: every card, or
 * the cards of these owners plus these card ids. `readReason` and `inScope` agree by construction:
 * both come from the definitions above (the authorisation suite checks it).
 */
export interface FeedScope {
  all: boolean;
  owners: string[];
  cardIds: string[];
}

/** `teamMembers`: the users of the user's team (for a manager); `loans`: the user's active loans. */
export function feedScope(user: Principal, teamMembers: readonly string[], loans: readonly ActiveLoan[], now = Date.now()): FeedScope {
  if (user.disabled) return { all: false, owners: [], cardIds: [] };
  if (user.role === 'admin') return { all: true, owners: [], cardIds: [] };
  const owners = new Set([user.name]);
  if (user.role === 'manager' && user.team !== null) for (const member of teamMembers) owners.add(member);
  const cardIds = loans.filter((loan) => loan.borrower === user.name && loan.until > now).map((loan) => loan.cardId);
  return { all: false, owners: [...owners], cardIds: [...new Set(cardIds)] };
}

/** A fast membership test for a scope (connections test every live change against theirs). */
export function scopeTest(scope: FeedScope): (card: { id: string; owner: string }) => boolean {
  if (scope.all) return () => true;
  const owners = new Set(scope.owners);
  const cardIds = new Set(scope.cardIds);
  return (card) => owners.has(card.owner) || cardIds.has(card.id);
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
