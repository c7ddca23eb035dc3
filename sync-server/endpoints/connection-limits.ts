/**
 * What one address or one user may hold of the server: open connections from an address
 * before they sign in (a stranger's flood, half-open sockets included), signed-in connections
 * per user (devices), and per-user quotas, each a bucket that refills at a steady rate: SYNC
 * requests (each streams from the database), written changes and their bytes, and joins of a
 * card over /y that are audited (a rep rejoining in a loop wrote hundreds of audit rows a
 * second). Counted in memory, per server process. Over a limit the server refuses with HTTP
 * 503, close code 4429 or a NACK 'rate-limited' (the device keeps the change and sends it later).
 * The quota on open proposals is kept here with the others but counted by custody.ts in the
 * database (HTTP 429 'too-many-proposals').
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
  /** Changes written per user: a bucket of this many, refilled at writesPerSecond. */
  writeBurst: number;
  writesPerSecond: number;
  /** Bytes of changes written per user: a bucket of this many, refilled at writeBytesPerSecond. */
  writeBytesBurst: number;
  writeBytesPerSecond: number;
  /** Audited /y joins per user: a bucket of this many, refilled at joinsPerSecond. */
  joinBurst: number;
  joinsPerSecond: number;
  /**
   * Proposals of controlled changes one user may have waiting for a decision (custody.ts counts
   * them in the database, so the quota holds across reconnects and restarts).
   */
  openProposalsPerUser: number;
}

export const DEFAULT_LIMITS: LimitOptions = {
  unsignedPerAddress: 64,
  connectionsPerUser: 50,
  syncBurst: 30,
  syncPerSecond: 1,
  writeBurst: 5_000,
  writesPerSecond: 1_000,
  writeBytesBurst: 16 * 1024 * 1024,
  writeBytesPerSecond: 4 * 1024 * 1024,
  joinBurst: 60,
  joinsPerSecond: 2,
  openProposalsPerUser: 200,
};

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
  /** Takes one change of `bytes` from the user's write buckets; false (nothing taken) if either is short. */
  takeWrite(user: string, bytes: number, now?: number): boolean;
  /** Takes one audited /y join from the user's bucket; false if it is empty. */
  takeJoin(user: string, now?: number): boolean;
}

/** A bucket of `burst` tokens refilled at `perSecond`; one per user and kind. */
class Buckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  constructor(
    private readonly burst: number,
    private readonly perSecond: number,
  ) {}

  /** The user's tokens as of `now` (the bucket refilled). */
  private fill(user: string, now: number): { tokens: number; at: number } {
    const bucket = this.buckets.get(user) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + (Math.max(0, now - bucket.at) / 1000) * this.perSecond);
    bucket.at = now;
    this.buckets.set(user, bucket);
    return bucket;
  }

  has(user: string, n: number, now: number): boolean {
    return this.fill(user, now).tokens >= Math.min(n, this.burst);
  }

  take(user: string, n: number, now: number): boolean {
    const bucket = this.fill(user, now);
    // A single change larger than the whole burst may still pass with a full bucket.
    if (bucket.tokens < Math.min(n, this.burst)) return false;
    bucket.tokens -= n;
    return true;
  }
}

export function createConnectionLimits(overrides: Partial<LimitOptions> = {}): ConnectionLimits {
  const options = { ...DEFAULT_LIMITS, ...overrides };
  const unsigned = new Map<string, number>();
  const signed = new Map<string, number>();
  const buckets = new Map<string, { tokens: number; at: number }>();
  const writes = new Buckets(options.writeBurst, options.writesPerSecond);
  const writeBytes = new Buckets(options.writeBytesBurst, options.writeBytesPerSecond);
  const joins = new Buckets(options.joinBurst, options.joinsPerSecond);

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
    takeWrite(user, bytes, now = Date.now()) {
      if (!writes.has(user, 1, now) || !writeBytes.has(user, bytes, now)) return false;
      return writes.take(user, 1, now) && writeBytes.take(user, bytes, now);
    },
    takeJoin: (user, now = Date.now()) => joins.take(user, 1, now),
  };
}
