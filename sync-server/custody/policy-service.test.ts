/**
 * The company policy's one cache (policy-service.ts): with the instance watched, every reader —
 * custody, the pool, classification, the write path, the connections' version check — shares
 * one read per access change; a change made here is seen at once without a read; an access
 * change from elsewhere (`invalidate`, as hub.announce does) makes the next reader read again;
 * a failed read is not kept. Unwatched (the admin CLI), every read goes to the store.
 */
import { describe, expect, it } from 'vitest';
import type { Storage, StoredPolicy } from '../storage/storage.ts';
import { CompanyPolicy } from './policy-service.ts';

/** A store that holds policy versions and counts its reads of the newest. */
function fakeStore() {
  const versions: StoredPolicy[] = [];
  const store = {
    reads: 0,
    failNext: false,
    versions,
    async policy() {
      store.reads++;
      if (store.failNext) {
        store.failNext = false;
        throw new Error('the database is down');
      }
      return versions.at(-1);
    },
    async savePolicy(policy: StoredPolicy, after: number) {
      if ((versions.at(-1)?.version ?? 0) !== after) return false;
      versions.push(policy);
      return true;
    },
    async audit() {},
    async bumpAccessVersion() {},
    /** One connection: the callback runs on the store itself. */
    async transaction<T>(fn: (tx: unknown) => Promise<T>): Promise<T> {
      return fn(store);
    },
  };
  return store;
}

const ADMIN = { name: 'gm', role: 'admin' as const, team: null, disabled: false };

describe('the policy cache', () => {
  it('serves every reader from one read per access change', async () => {
    const store = fakeStore();
    const policy = new CompanyPolicy(store as unknown as Storage, () => 1_000, () => undefined);
    policy.watched();
    // A hundred requests of every kind: one read.
    await Promise.all(Array.from({ length: 100 }, (_, i) => (i % 2 ? policy.current() : policy.rules())));
    expect(store.reads).toBe(1);
    // Another instance changed it (stored there); this one hears the access change.
    store.versions.push({ version: 1, at: 2_000, by: 'other', policy: JSON.stringify({ loans: { maxDays: 30 } }) });
    expect((await policy.current()).version).toBe(0);
    policy.invalidate();
    expect((await policy.current()).version).toBe(1);
    expect((await policy.rules()).loans.maxDays).toBe(30);
    expect(store.reads).toBe(2);
  });

  it('a change made here is seen at once, without a read; the check-and-save itself reads the store', async () => {
    const store = fakeStore();
    let announced = 0;
    const policy = new CompanyPolicy(store as unknown as Storage, () => 5_000, () => (announced++, policy.invalidate()));
    policy.watched();
    await policy.current();
    const { policy: saved } = await policy.set(ADMIN, [['loans.maxDays', '14']]);
    expect(announced).toBe(1);
    const reads = store.reads;
    expect(await policy.current()).toEqual(saved);
    expect((await policy.rules()).loans.maxDays).toBe(14);
    expect(store.reads).toBe(reads);
  });

  it('does not keep a failed read', async () => {
    const store = fakeStore();
    const policy = new CompanyPolicy(store as unknown as Storage, () => 1_000, () => undefined);
    policy.watched();
    store.failNext = true;
    await expect(policy.current()).rejects.toThrow('the database is down');
    expect((await policy.current()).version).toBe(0);
    expect(store.reads).toBe(2);
  });

  it('unwatched (the admin CLI), reads the store every time', async () => {
    const store = fakeStore();
    const policy = new CompanyPolicy(store as unknown as Storage, () => 1_000, () => undefined);
    await policy.current();
    await policy.rules();
    expect(store.reads).toBe(2);
  });
});
