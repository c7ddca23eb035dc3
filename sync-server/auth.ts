/**
 * Tokens: random secrets handed to a user's devices; only their SHA-256 hash is stored, so a
 * copy of the database does not hold usable tokens.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Storage, User } from './storage.ts';

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function newToken(): string {
  return `cct_${randomBytes(24).toString('base64url')}`;
}

/** The user a token belongs to, if it is known and not revoked. */
export function authenticate(storage: Storage, token: string): User | undefined {
  if (typeof token !== 'string' || token.length < 8 || token.length > 200) return undefined;
  return storage.userOfToken(hashToken(token));
}
