/**
 * What the footer says about sync, from the background's status: "Synced" (green) only when
 * the device is online, its outbox is empty and nothing it sent was refused; otherwise what
 * waits and what was refused come first, so a green dot never stands beside unsent work.
 */
import type { SyncStatus } from '../../sync/types.ts';

export type FooterShown = 'synced' | 'waiting' | 'refused' | SyncStatus['state'];

export function footerShown(status: SyncStatus): FooterShown {
  if (status.refused) return 'refused';
  if (status.state === 'online') return status.pending ? 'waiting' : 'synced';
  return status.state;
}
