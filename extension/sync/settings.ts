/**
 * The sync settings (server URL, token) and the live sync status, shared by the background
 * (which owns the connection) and the pages (settings form, status line). The status lives in
 * chrome.storage.session: visible to every extension page, never written to disk.
 */
import type { SyncStatus } from './types.ts';

export const SYNC_STATUS_KEY = 'syncStatus';
export const SYNC_SETTINGS_CHANGED = 'sync-settings-changed';
/** A page asks the background to sync again from the stored cursor (after a discard reset it). */
export const SYNC_AGAIN = 'sync-again';
export const DEFAULT_SERVER_URL = 'ws://127.0.0.1:1234';

export interface SyncSettings {
  serverUrl: string;
  token: string;
}

/** A server URL the client can use: ws:// or wss://, ending without a path (we add /sync). */
export function normaliseServerUrl(raw: string): string | undefined {
  const text = raw.trim().replace(/\/+$/, '').replace(/\/sync$/, '');
  try {
    const url = new URL(text);
    if (url.protocol !== 'ws:' && url.protocol !== 'wss:') return undefined;
    return `${url.protocol}//${url.host}`;
  } catch {
    return undefined;
  }
}

export async function readSyncStatus(): Promise<SyncStatus> {
  const items = await chrome.storage.session.get(SYNC_STATUS_KEY);
  return (items[SYNC_STATUS_KEY] as SyncStatus | undefined) ?? { state: 'signed-out' };
}

export function writeSyncStatus(status: SyncStatus): Promise<void> {
  return chrome.storage.session.set({ [SYNC_STATUS_KEY]: status });
}
