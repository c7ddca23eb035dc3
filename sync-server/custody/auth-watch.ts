/**
 * Keeps checking that a connection's token is still valid: on every frame (`current()`) and
 * every few seconds while the connection is quiet, the same schedule on `/sync` and `/y`. Each
 * check reads the user afresh, so a role or team change applies from the next frame. A revoked
 * token ends the connection with 4401; a disabled user's with 4410 (devices delete the cards).
 */
import { authenticate } from './auth.ts';
import type { Storage, User } from '../storage/storage.ts';

export const TOKEN_RECHECK_MS = 5_000;

export interface TokenWatch {
  /** The token's user as of now, or undefined once it is no longer valid. */
  current(): Promise<User | undefined>;
  stop(): void;
}

export function watchToken(storage: Storage, token: string, onEnded: (why: 'revoked' | 'disabled') => void): TokenWatch {
  let stopped = false;
  const current = async (): Promise<User | undefined> => {
    if (stopped) return undefined;
    const status = await authenticate(storage, token);
    if (stopped) return undefined;
    if (status?.state === 'valid') return status.user;
    stop();
    onEnded(status?.state === 'disabled' ? 'disabled' : 'revoked');
    return undefined;
  };
  // A failed read (the database briefly away) ends nothing: the next check decides.
  const timer = setInterval(() => void current().catch(() => undefined), TOKEN_RECHECK_MS);
  const stop = () => {
    stopped = true;
    clearInterval(timer);
  };
  return { current, stop };
}
