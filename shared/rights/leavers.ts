/**
 * Who takes over a leaver's cards (DOMAIN.md §1.5: the customers belong to the company, and the
 * successor continues from the card). A disabled user never remains a card's owner: disabling
 * hands every card they own to a successor — the one named, else the manager of the leaver's
 * team — recorded as a "leaving" handover. The rules are here, once; the server's custody
 * service applies them (sync-server/custody/custody.ts `disableUser`).
 */
import type { Principal } from './rights.ts';

/** Why a user cannot take over a leaver's cards; undefined: they can. */
export type SuccessorProblem = 'unknown' | 'disabled' | 'same' | 'admin';

/**
 * Whether `successor` may hold the leaver's cards: an active user other than the leaver, and not
 * an admin (an admin belongs to no team, so no manager would see the cards and no rep would be
 * reminded of them).
 */
export function successorProblem(leaver: Pick<Principal, 'name'>, successor: Principal | undefined): SuccessorProblem | undefined {
  if (!successor) return 'unknown';
  if (successor.name === leaver.name) return 'same';
  if (successor.disabled) return 'disabled';
  if (successor.role === 'admin') return 'admin';
  return undefined;
}

/**
 * The successor when none is named: the active manager of the leaver's team (not the leaver).
 * 'none' when the team has no such manager (or the leaver has no team), 'several' when it has
 * more than one: the admin must then name the successor.
 */
export function defaultSuccessor(leaver: Principal, users: readonly Principal[]): Principal | 'none' | 'several' {
  if (leaver.team === null) return 'none';
  const managers = users.filter((user) => user.role === 'manager' && user.team === leaver.team && user.name !== leaver.name && !user.disabled);
  if (managers.length === 0) return 'none';
  return managers.length === 1 ? managers[0]! : 'several';
}
