/**
 * What a device may offer its user on one card, read from the same rules the server enforces
 * (rights.ts for who the user is to the card, card-structure.ts for what each field allows):
 * edit it, propose a change to a manager, or only read it. A device never offers an edit the
 * server would refuse; it shows a read-only field or a "Propose change" instead.
 */
import { cardKeyRule } from './card-structure.ts';
import { activeLoan, canChangeControlled, canCreate, mayRetire, readReason, type ActiveLoan, type CardFacts, type Principal, type ReadReason } from './rights.ts';

export type FieldAccess = 'edit' | 'propose' | 'read';

/** The user's standing on one card. */
export interface CardAccess {
  /** Why the user reads the card (undefined: they may not). */
  reason: ReadReason | undefined;
  /** May change the card's fields, people, timeline and ledger. */
  write: boolean;
  /** May set the manager-only fields (approved limit, rating, class and stage overrides). */
  controlled: boolean;
  /** May merge the card into another or undo its merge (its own rep, its team's manager; never a borrower). */
  keeper: boolean;
  /** A loan the user reads the card through: until when, and whether it allows writing. */
  loan?: { until: number; write: boolean };
}

/** The user's access to `card` now. Cards not yet on the server (`card` undefined) are the user's own, in the user's team. */
export function cardAccess(user: Principal, card: CardFacts | undefined, loans: readonly ActiveLoan[], now = Date.now()): CardAccess {
  // A new card is the creator's, in the creator's team: a manager's or an admin's new card takes
  // controlled fields as the server's check does (hub: facts of a new card name its sender).
  if (!card) return { reason: canCreate(user) ? 'own' : undefined, write: canCreate(user), controlled: canCreate(user) && canChangeControlled(user, { id: '', owner: user.name, ownerTeam: user.team }), keeper: canCreate(user) };
  const reason = readReason(user, card, loans, now);
  if (reason === undefined) return { reason, write: false, controlled: false, keeper: false };
  if (reason === 'loan') {
    const loan = activeLoan(user, card, loans, now)!;
    return { reason, write: loan.write, controlled: false, keeper: false, loan: { until: loan.until, write: loan.write } };
  }
  return { reason, write: true, controlled: canChangeControlled(user, card), keeper: mayRetire(user, card) };
}

/** What the user may do with one field of the card map. */
export function fieldAccess(access: CardAccess, key: string): FieldAccess {
  if (!access.write) return 'read';
  const rule = cardKeyRule(key);
  if (rule === 'server' || rule === 'creation' || rule === 'merge') return 'read';
  if (rule === 'manager') return access.controlled ? 'edit' : 'propose';
  return 'edit';
}

/** Before sign-in the device is its own user's: everything but the server's fields may be edited. */
export const OFFLINE_ACCESS: CardAccess = { reason: 'own', write: true, controlled: true, keeper: true };

/** What the server tells a device of one card it may read (GET /api/cards/:id/custody). */
export interface ToldCustody {
  owner: string;
  /** The owner's team. */
  team: string | null;
  /** The user's active loan of the card, if they read it through one. */
  loanUntil: number | null;
  loanWrite: boolean;
}

/**
 * The user's access to a card the device holds, by the same rules as the server: from what the
 * server told of it, or, until it has (offline, a card made here and not yet sent), from the
 * card's own owner field. A card that names someone else is then read-only (admins excepted):
 * the device never offers an edit it cannot be sure the server will take.
 */
export function deviceCardAccess(user: Principal, cardId: string, told: ToldCustody | undefined, localOwner: string | undefined, now = Date.now()): CardAccess {
  // Not yet told who is signed in (the connection went before the server answered): the device
  // cannot judge, and a card it holds is most likely the user's. Edits stay open, controlled
  // fields are proposed; anything the server then refuses is kept and shown, never lost.
  if (!user.name && !told) return { reason: 'own', write: true, controlled: false, keeper: true };
  if (told) {
    const loans: ActiveLoan[] = told.loanUntil ? [{ cardId, borrower: user.name, until: told.loanUntil, write: told.loanWrite }] : [];
    return cardAccess(user, { id: cardId, owner: told.owner, ownerTeam: told.team }, loans, now);
  }
  if (!localOwner || localOwner === user.name) return cardAccess(user, { id: cardId, owner: user.name, ownerTeam: user.team }, [], now);
  if (user.role === 'admin') return cardAccess(user, { id: cardId, owner: localOwner, ownerTeam: null }, [], now);
  return { reason: undefined, write: false, controlled: false, keeper: false };
}
