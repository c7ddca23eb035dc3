/**
 * Tokens: random secrets handed to a user's devices; only their SHA-256 hash is stored, so a
 * copy of the database does not hold usable tokens. A token is valid, unknown or revoked, or
 * belongs to a disabled user: only the last tells devices to delete this server's cards.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Storage, TokenStatus } from '../storage/storage.ts';

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function newToken(): string {
  return `cct_${randomBytes(24).toString('base64url')}`;
}

/** A string of a token's length (anything else is no token, and costs no read). */
export function tokenShaped(token: unknown): token is string {
  return typeof token === 'string' && token.length >= 8 && token.length <= 200;
}

/** A token's state, if it is well-formed: valid (with its user), of a disabled user, or unknown/revoked. */
export async function authenticate(storage: Storage, token: string): Promise<TokenStatus> {
  if (!tokenShaped(token)) return undefined;
  return storage.tokenStatus(hashToken(token));
}

/** The short form of a token's hash the audit keeps (enough to tell a user's devices apart). */
export function tokenTag(token: string): string {
  return hashToken(token).slice(0, 8);
}
