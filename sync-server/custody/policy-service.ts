/**
 * The company policy on the server (shared/policy/policy.ts declares it): read by custody (class
 * cut-offs, who approves loans and for how long, the customer pool), served to every signed-in
 * device (GET /api/policy) and set by admins only (the admin CLI's `policy set`, the admin page's
 * POST /api/policy). Each change is a new stored version (check-and-save: two admins saving at
 * once cannot lose one's change), one audit line per key changed ("v3 loans.maxDays: 366 → 30"),
 * and an access change announced, so every open connection runs a catch-up and its device
 * fetches the policy again (the refresh path the ABC cut-offs already take).
 *
 * One cache serves every reader (custody, the pool, classification, the write path's credit
 * floor, GET /api/policy, the connections' version check), once the instance says it hears every
 * access change (`watched`, the hub): a change made here replaces it at once; another instance's
 * change reaches this one as an access change (Redis notice or the access watch), whose
 * announcement drops the cache before any connection is told (hub.ts `announce`). A policy change
 * always bumps the access version, so nothing that was told of a change reads an older policy
 * here. Unwatched (the admin CLI, a bare Custody), every read goes to the database.
 */
import { DEFAULT_POLICY, normalisePolicy, policyChanges, PolicyError, withPolicyValues, type Policy, type VersionedPolicy } from '../../shared/policy/policy.ts';
import type { Principal } from '../../shared/rights/rights.ts';
import type { Storage } from '../storage/storage.ts';
import { CustodyError } from './custody-error.ts';

/** At most this many keys in one change (the policy has fewer). */
const MAX_KEYS = 100;

export class CompanyPolicy {
  constructor(
    private readonly storage: Storage,
    private readonly now: () => number,
    private readonly onChange: () => void,
  ) {}

  /** Whether this instance hears every access change (so the cache is kept true); set by `watched`. */
  private caching = false;
  private cached: Promise<VersionedPolicy> | undefined;

  /** This instance hears every access change and calls `invalidate` on it: from now on, reads come from one cache. */
  watched(): void {
    this.caching = true;
  }

  /** An access change (here or elsewhere) may be a policy change: the next read goes to the database. */
  invalidate(): void {
    this.cached = undefined;
  }

  /** The policy in force: the newest version, or the defaults (version 0) if the company never set one. Callers must not change it. */
  current(): Promise<VersionedPolicy> {
    if (!this.caching) return this.read();
    if (!this.cached) {
      const reading = this.read();
      this.cached = reading;
      // A failed read is not kept (and never drops a newer one): the next reader asks again.
      reading.catch(() => {
        if (this.cached === reading) this.cached = undefined;
      });
    }
    return this.cached;
  }

  /**
   * The policy at `version` or newer, as a device told of `version` asks for it: an instance that
   * has not heard of that version yet (it was set through another instance) reads the database
   * now, and its next readers too once it found a newer one. Asking for a version that does not
   * exist costs one read and leaves the cache as it is.
   */
  async atLeast(version: number): Promise<VersionedPolicy> {
    const current = await this.current();
    if (current.version >= version) return current;
    const fresh = await this.read();
    if (fresh.version > current.version) this.invalidate();
    return fresh;
  }

  private async read(): Promise<VersionedPolicy> {
    const stored = await this.storage.policy();
    if (!stored) return { version: 0, at: 0, by: '', policy: structuredClone(DEFAULT_POLICY) };
    let parsed: unknown;
    try {
      parsed = JSON.parse(stored.policy);
    } catch {
      parsed = undefined;
    }
    return { version: stored.version, at: stored.at, by: stored.by, policy: normalisePolicy(parsed) };
  }

  async rules(): Promise<Policy> {
    return (await this.current()).policy;
  }

  /** Sets keys from the admin's texts; refused for anyone but an admin, and for any key or value that does not pass. */
  async set(by: Principal, entries: readonly (readonly [string, string])[], token = ''): Promise<{ policy: VersionedPolicy; changes: string[] }> {
    if (by.disabled || by.role !== 'admin') throw new CustodyError('forbidden', 'Only an admin sets the company policy', 403);
    if (entries.length === 0) throw new CustodyError('invalid-value', 'Which key? policy set <key> <value>');
    if (entries.length > MAX_KEYS) throw new CustodyError('too-many', `At most ${MAX_KEYS} keys at once`);
    for (let attempt = 0; attempt < 5; attempt++) {
      // Check-and-save starts from the stored version, never from the cache.
      const before = await this.read();
      let next: Policy;
      try {
        next = withPolicyValues(before.policy, entries);
      } catch (error) {
        if (error instanceof PolicyError) throw new CustodyError('invalid-policy', error.message, 400, { key: error.key, refusal: error.refusal });
        throw error;
      }
      const changes = policyChanges(before.policy, next);
      if (changes.length === 0) return { policy: before, changes };
      const saved: VersionedPolicy = { version: before.version + 1, at: this.now(), by: by.name, policy: next };
      // The version, its audit lines and the access bump in one transaction: a version stored always says who set what.
      const stored = await this.storage.transaction(async (tx) => {
        if (!(await tx.savePolicy({ version: saved.version, at: saved.at, by: saved.by, policy: JSON.stringify(next) }, before.version))) return false;
        await tx.audit(changes.map((line) => ({ at: saved.at, user: by.name, token, action: 'policy-set', cardId: null, detail: `v${saved.version} ${line}` })));
        await tx.bumpAccessVersion();
        return true;
      });
      if (!stored) continue;
      // Announced (the hub drops the cache), then the saved version is the cache: seen here at once.
      this.onChange();
      this.invalidate();
      if (this.caching) this.cached = Promise.resolve(structuredClone(saved));
      return { policy: saved, changes };
    }
    throw new CustodyError('busy', 'The policy is being changed by someone else; try again', 409);
  }

  /** The stored versions, newest first (the admin page's history). */
  async history(by: Principal, limit = 50): Promise<{ version: number; at: number; by: string }[]> {
    if (by.disabled || by.role !== 'admin') throw new CustodyError('forbidden', 'Only an admin reads the policy history', 403);
    return (await this.storage.policyHistory(limit)).map(({ version, at, by: who }) => ({ version, at, by: who }));
  }
}
