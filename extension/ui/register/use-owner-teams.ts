/**
 * Each owner's team, for the register's team filter: what the server's custody API tells a
 * manager (their team) or an admin (every team). undefined for a rep, offline or signed out:
 * the team filter is then not shown.
 */
import { useEffect, useState } from 'react';
import { useCustodyApi, useRole } from '../common/use-custody.ts';

export function useOwnerTeams(): ReadonlyMap<string, string> | undefined {
  const api = useCustodyApi();
  const role = useRole();
  const [teams, setTeams] = useState<ReadonlyMap<string, string>>();
  useEffect(() => {
    setTeams(undefined);
    if (!api || role === 'rep') return;
    let live = true;
    api
      .team()
      .then(({ members }) => live && setTeams(new Map(members.filter((m) => m.team).map((m) => [m.name, m.team!]))))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [api, role]);
  return teams;
}
