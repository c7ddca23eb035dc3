/**
 * Keeps checking that a connection's token is still valid: on every frame (`stillValid()`)
 * and every few seconds while the connection is quiet, the same schedule on `/sync` and `/y`.
 * A revoked token (or a disabled user) ends the connection with 4401.
 */
import { authenticate } from './auth.ts';
import type { Storage } from './storage.ts';

export const TOKEN_RECHECK_MS = 5_000;

export interface TokenWatch {
  stillValid(): boolean;
  stop(): void;
}

export function watchToken(storage: Storage, token: string, onRevoked: () => void): TokenWatch {
  let stopped = false;
  const stillValid = () => {
    if (stopped) return false;
    if (authenticate(storage, token)) return true;
    stop();
    onRevoked();
    return false;
  };
  const timer = setInterval(stillValid, TOKEN_RECHECK_MS);
  const stop = () => {
    stopped = true;
    clearInterval(timer);
  };
  return { stillValid, stop };
}
