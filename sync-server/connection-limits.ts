/**
 * What one address or one user may hold of the server: open connections from an address
 * before they sign in (a stranger's flood), signed-in connections per user (devices), and a
 * rate of SYNC requests per user (each streams from the database). Counted in memory, per
 * server process. Over a limit the server refuses with HTTP 503 or close code 4429.
 */

export interface LimitOptions {
  /** Connections from one address that have not signed in yet (handshaking or before AUTH). */
  unsignedPerAddress: number;
  /** Signed-in connections of one user (/sync and /y together). */
  connectionsPerUser: number;
  /** SYNC requests per user: a bucket of this many … */
  syncBurst: number;
  /** … refilled at this many per second. */
  syncPerSecond: number;
}

export const DEFAULT_LIMITS: LimitOptions = { unsignedPerAddress: 64, connectionsPerUser: 50, syncBurst: 30, syncPerSecond: 1 };

export interface ConnectionLimits {
  readonly options: LimitOptions;
  /** A new connection from `address`, not signed in yet; false if the address holds too many. */
  openUnsigned(address: string): boolean;
  /** That connection signed in, or ended before it did. */
  releaseUnsigned(address: string): void;
  /** A connection of `user` signed in; false if the user holds too many. */
  openSigned(user: string): boolean;
  releaseSigned(user: string): void;
  /** Takes one SYNC from the user's bucket; false if it is empty. */
  takeSync(user: string, now?: number): boolean;
}

export function createConnectionLimits(overrides: Partial<LimitOptions> = {}): ConnectionLimits {
  const options = { ...DEFAULT_LIMITS, ...overrides };
  const unsigned = new Map<string, number>();
  const signed = new Map<string, number>();
  const buckets = new Map<string, { tokens: number; at: number }>();

  const take = (counts: Map<string, number>, key: string, max: number) => {
    const n = counts.get(key) ?? 0;
    if (n >= max) return false;
    counts.set(key, n + 1);
    return true;
  };
  const release = (counts: Map<string, number>, key: string) => {
    const n = (counts.get(key) ?? 0) - 1;
    if (n > 0) counts.set(key, n);
    else counts.delete(key);
  };

  return {
    options,
    openUnsigned: (address) => take(unsigned, address, options.unsignedPerAddress),
    releaseUnsigned: (address) => release(unsigned, address),
    openSigned: (user) => take(signed, user, options.connectionsPerUser),
    // Buckets outlive connections (one small entry per user), so reconnecting does not refill them.
    releaseSigned: (user) => release(signed, user),
    takeSync(user, now = Date.now()) {
      const bucket = buckets.get(user) ?? { tokens: options.syncBurst, at: now };
      bucket.tokens = Math.min(options.syncBurst, bucket.tokens + ((now - bucket.at) / 1000) * options.syncPerSecond);
      bucket.at = now;
      buckets.set(user, bucket);
      if (bucket.tokens < 1) return false;
      bucket.tokens -= 1;
      return true;
    },
  };
}
