/** Who this device is signed in as: the user, their role and team (as the server says), and the server. */
import { useEffect, useState } from 'react';
import type { Me } from '../../sync/custody-api.ts';
import { useCustodyApi } from '../common/use-custody.ts';
import { useLanguage } from '../common/use-language.tsx';
import { useStore } from '../common/use-store.ts';

export function SignedInAs() {
  const store = useStore();
  const api = useCustodyApi();
  const { t } = useLanguage();
  const [me, setMe] = useState<Me>();
  const [server, setServer] = useState('');
  useEffect(() => {
    setMe(undefined);
    if (!api) return;
    let live = true;
    void store.getSetting<string>('syncUrl').then((url) => live && setServer(url ?? ''));
    api.me().then(
      (found) => live && setMe(found),
      () => undefined, // offline: the sync status line says so
    );
    return () => {
      live = false;
    };
  }, [api, store]);
  if (!me) return null;
  const role = t(`account.role.${me.role}`);
  return (
    <p className="signed-in-as" data-testid="signed-in-as">
      {me.team ? t('account.signedInTeam', { user: me.user, role, team: me.team, server }) : t('account.signedIn', { user: me.user, role, server })}
    </p>
  );
}
