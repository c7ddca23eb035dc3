/** The other accounts whose cards this device keeps apart (they come back on signing in again). */
import { useEffect, useState } from 'react';
import type { ArchiveEntry } from '../../store/account-archive.ts';
import { useLanguage } from '../common/use-language.tsx';
import { useDeviceSync, useStoreVersion } from '../common/use-store.ts';

export function KeptAccounts() {
  const store = useDeviceSync();
  const version = useStoreVersion();
  const { t } = useLanguage();
  const [kept, setKept] = useState<ArchiveEntry[]>([]);
  useEffect(() => {
    let live = true;
    void store.accountArchives().then((entries) => live && setKept(entries));
    return () => {
      live = false;
    };
  }, [store, version]);
  if (kept.length === 0) return null;
  return (
    <ul className="kept-accounts" data-testid="kept-accounts">
      {kept.map((entry) => (
        <li key={entry.dbName}>{t('account.kept', { user: entry.identity.user, server: entry.identity.server, cards: entry.cards })}</li>
      ))}
    </ul>
  );
}
