/** The live sync status, as the background publishes it in session storage. */
import { useEffect, useState } from 'react';
import { readSyncStatus, SYNC_STATUS_KEY } from '../../sync/settings.ts';
import type { SyncStatus } from '../../sync/types.ts';

export function useSyncStatus(): SyncStatus {
  const [status, setStatus] = useState<SyncStatus>({ state: 'signed-out' });
  useEffect(() => {
    void readSyncStatus().then(setStatus);
    const onChanged = (changes: Record<string, chrome.storage.StorageChange>, area: string) => {
      const change = changes[SYNC_STATUS_KEY];
      if (area === 'session' && change) setStatus((change.newValue as SyncStatus | undefined) ?? { state: 'signed-out' });
    };
    chrome.storage.onChanged.addListener(onChanged);
    return () => chrome.storage.onChanged.removeListener(onChanged);
  }, []);
  return status;
}
