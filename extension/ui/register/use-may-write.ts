/**
 * Whether the user may write a card of the register (and so merge it), by the shared rule
 * (shared/rights canWrite): a rep their own cards, a manager their team's, an admin any. Loans
 * are left out: a borrower does not merge. Signed out, the device is its own user's: every card.
 */
import { useCallback } from 'react';
import type { CardIndexRow } from '../../../shared/card-types.ts';
import { canWrite } from '../../../shared/rights/rights.ts';
import { useCustodyApi, useMe, useRole } from '../common/use-custody.ts';
import { useSyncStatus } from '../common/use-sync-status.ts';

export function useMayWrite(teams: ReadonlyMap<string, string> | undefined): (row: CardIndexRow) => boolean {
  const api = useCustodyApi();
  const me = useMe(api);
  const role = useRole();
  const status = useSyncStatus();
  return useCallback(
    (row: CardIndexRow) => {
      if (!api) return true;
      const user = me ? { name: me.user, role: me.role, team: me.team, disabled: false } : { name: status.user ?? '', role, team: null, disabled: false };
      const ownerTeam = teams?.get(row.owner) ?? (row.owner === user.name ? user.team : null);
      return canWrite(user, { id: row.id, owner: row.owner, ownerTeam }, []);
    },
    [api, me, role, status.user, teams],
  );
}
