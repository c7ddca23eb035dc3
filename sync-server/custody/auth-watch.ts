/**
 * Keeps checking that a connection's token is still valid: on every frame (`current()`) and
 * every few seconds while the connection is quiet, the same schedule on `/sync` and `/y`. Each
 * check reads the user afresh, so a role or team change applies from the next frame. A revoked
 * token ends the connection with 4401; a disabled user's with 4410 (devices delete the cards).
 * Frames handled while a read is under way share it (on SQLite, the frames of one socket read;
 * on PostgreSQL, those that arrive within the read's round trip), so a revocation or a role
 * change applies from the next read, at most a round trip later. The token is hashed once per
 * connection, not per frame.
 */
import { hashToken, tokenShaped } from './auth.ts';
import type { Storage, User } from '../storage/storage.ts';

export const TOKEN_RECHECK_MS = 5_000;

export interface TokenWatch {
  /** The token's user as of now, or undefined once it is no longer valid. */
  current(): Promise<User | undefined>;
  stop(): void;
}

export function watchToken(storage: Storage, token: string, onEnded: (why: 'revoked' | 'disabled') => void): TokenWatch {
  let stopped = false;
  // A token of the wrong shape is no token (as authenticate() answers): no read.
  const hash = tokenShaped(token) ? hashToken(token) : undefined;
  let reading: Promise<User | undefined> | undefined;
  const read = async (): Promise<User | undefined> => {
    if (stopped) return undefined;
    const status = hash === undefined ? undefined : await storage.tokenStatus(hash);
    if (stopped) return undefined;
    if (status?.state === 'valid') return status.user;
    stop();
    onEnded(status?.state === 'disabled' ? 'disabled' : 'revoked');
    return undefined;
  };
  const current = (): Promise<User | undefined> => {
    reading ??= read().finally(() => {
      reading = undefined;
    });
    return reading;
  };
  // A failed read (the database briefly away) ends nothing: the next check decides.
  const timer = setInterval(() => void current().catch(() => undefined), TOKEN_RECHECK_MS);
  const stop = () => {
    stopped = true;
    clearInterval(timer);
  };
  return { current, stop };
}
