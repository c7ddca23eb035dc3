/** A manager's or an admin's choice of owner for an import's new cards (import-owner.ts hands them over). */
import { useEffect, useState } from 'react';
import type { CustodyApi, Me, Member } from '../../sync/custody-api.ts';
import { useLanguage } from '../common/use-language.tsx';

export function ImportOwner({ api, me, owner, onOwner }: { api: CustodyApi; me: Me; owner: string; onOwner: (owner: string) => void }) {
  const { t } = useLanguage();
  const [members, setMembers] = useState<Member[]>([]);
  useEffect(() => {
    let live = true;
    api.team().then(
      (team) => live && setMembers(team.members.filter((member) => !member.disabled && member.role !== 'admin' && member.name !== me.user)),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [api, me.user]);
  return (
    <label className="import-owner">
      {t('importOwner.label')}{' '}
      <select value={owner} onChange={(event) => onOwner(event.target.value)} data-testid="import-owner">
        <option value={me.user}>{t('importOwner.me', { name: me.user })}</option>
        {members.map((member) => (
          <option key={member.name} value={member.name}>
            {member.team ? `${member.name} · ${member.team}` : member.name}
          </option>
        ))}
      </select>
    </label>
  );
}
