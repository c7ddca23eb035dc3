/**
 * Reads where a websocket upgrade wants to go from its request line, refusing anything odd
 * (no Host header, absolute-URL request lines, undecodable escapes, overlong paths) with an HTTP status
 * instead of an exception: `/sync`, or `/y/<cardId>?token=…`.
 */
import { isCardId } from '../../shared/card-id.ts';

export type UpgradeTarget =
  | { kind: 'sync' }
  | { kind: 'y'; cardId: string; token: string }
  | { kind: 'refused'; status: 400 | 404; reason: string };

const MAX_URL = 4096;
const SYNC_PATH = '/sync';
const Y_PATH = '/y/:cardId';
/** The websocket entries, as `upgradeTarget` matches them. */
export const UPGRADE_ROUTES: readonly string[] = [SYNC_PATH, Y_PATH];

export function upgradeTarget(raw: string | undefined, host?: string): UpgradeTarget {
  if (!host) return { kind: 'refused', status: 400, reason: 'Bad Request' };
  if (!raw || raw.length > MAX_URL || !raw.startsWith('/') || raw.startsWith('//')) return { kind: 'refused', status: 400, reason: 'Bad request line' };
  let url: URL;
  try {
    url = new URL(raw, 'http://localhost');
  } catch {
    return { kind: 'refused', status: 400, reason: 'Bad request line' };
  }
  if (url.pathname === SYNC_PATH) return { kind: 'sync' };
  const y = new RegExp(`^${Y_PATH.replace(':cardId', '([^/]+)')}$`).exec(url.pathname);
  if (!y) return { kind: 'refused', status: 404, reason: 'Not found' };
  let cardId: string;
  try {
    cardId = decodeURIComponent(y[1]!);
  } catch {
    return { kind: 'refused', status: 400, reason: 'Bad card id' };
  }
  if (!isCardId(cardId)) return { kind: 'refused', status: 400, reason: 'Card ids are UUIDs' };
  return { kind: 'y', cardId, token: url.searchParams.get('token') ?? '' };
}
