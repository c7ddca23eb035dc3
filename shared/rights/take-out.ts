/**
 * What may leave the company's archive (DOMAIN.md §4 custody; issue #25): which cards a user may
 * export, print or back up. A rep takes out only her own cards, never borrowed ones; a manager
 * her team's; an admin every card. Borrowing lets a user read a card, never carry it away. The
 * server decides every export, print and backup on these rules before the device releases the
 * file, and audits what left (sync-server/custody/custody.ts `release`).
 *
 * The rights per role are the company's to set: the policy's `export.*` (shared/policy), which
 * the server passes in; `exportScopeOfRole` gives the policy's default.
 */
import { DEFAULT_POLICY, type ExportScope } from '../policy/policy.ts';
import type { CardFacts, Principal, Role } from './rights.ts';

export type { ExportScope };

/** What takes cards out of the archive. */
export type TakeOutKind = 'export' | 'print' | 'backup';
export const TAKE_OUT_KINDS: readonly TakeOutKind[] = ['export', 'print', 'backup'];

/** The policy's default (rep: own cards, manager: the team's, admin: all), for a company that set none. */
export function exportScopeOfRole(role: Role): ExportScope {
  return DEFAULT_POLICY.export[role];
}

/** Whether `user` may export, print or back up `card`. Never by a loan; nothing for a disabled user. */
export function mayTakeOut(user: Principal, card: CardFacts, scope: ExportScope = exportScopeOfRole(user.role)): boolean {
  if (user.disabled || scope === 'none') return false;
  if (scope === 'all') return true;
  if (card.owner === user.name) return true;
  return scope === 'team' && user.role === 'manager' && user.team !== null && user.team === card.ownerTeam;
}
