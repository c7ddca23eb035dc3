/**
 * How often one network address may try an invitation code (POST /api/invitations/redeem, the
 * one request without a token): a bucket of `burst` tries per address, refilled by one every
 * `refillMs`. A person mistyping a code has tries to spare; a script guessing codes is refused
 * after a few, with the time to wait. Kept in memory per server process; the oldest addresses are
 * forgotten past `maxAddresses`, so a flood of addresses cannot grow it without end.
 */
export interface AttemptLimit {
  /** Takes one try for `address`: 0 when allowed, else the milliseconds until the next one is. */
  take(address: string, now?: number): number;
}

export interface AttemptLimitOptions {
  burst: number;
  refillMs: number;
  maxAddresses?: number;
}

/** Invitation codes: 10 tries per address, one more each minute. */
export const INVITATION_ATTEMPTS: AttemptLimitOptions = { burst: 10, refillMs: 60_000, maxAddresses: 50_000 };

export function createAttemptLimit({ burst, refillMs, maxAddresses = 50_000 }: AttemptLimitOptions): AttemptLimit {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(address, now = Date.now()) {
      const bucket = buckets.get(address) ?? { tokens: burst, at: now };
      bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.at) / refillMs);
      bucket.at = now;
      // Re-inserted: the map's order is then least recently seen first.
      buckets.delete(address);
      buckets.set(address, bucket);
      if (buckets.size > maxAddresses) buckets.delete(buckets.keys().next().value!);
      if (bucket.tokens < 1) return Math.ceil((1 - bucket.tokens) * refillMs);
      bucket.tokens -= 1;
      return 0;
    },
  };
}
