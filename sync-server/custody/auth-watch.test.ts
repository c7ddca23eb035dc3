/**
 * The token watch (auth-watch.ts): frames handled while a read is under way share it, a frame
 * after it reads again (a revocation applies from there), a revoked or disabled user's token ends
 * the watch once, a token of the wrong shape is refused without a read, and a failed read ends
 * nothing.
 */
import { describe, expect, it } from 'vitest';
import type { Storage, TokenStatus } from '../storage/storage.ts';
import { hashToken } from './auth.ts';
import { watchToken } from './auth-watch.ts';

const TOKEN = 'cct_a-token-of-the-right-length';
const USER = { name: 'li.wei', role: 'rep' as const, team: 'east', disabled: false };

function fakeStore(first: TokenStatus) {
  const store = {
    status: first,
    fail: false,
    hashes: [] as string[],
    async tokenStatus(hash: string): Promise<TokenStatus> {
      store.hashes.push(hash);
      if (store.fail) throw new Error('the database is away');
      return store.status;
    },
  };
  return store;
}

function watch(store: ReturnType<typeof fakeStore>, token = TOKEN) {
  const ended: string[] = [];
  const w = watchToken(store as unknown as Storage, token, (why) => ended.push(why));
  return { w, ended };
}

describe('the token watch', () => {
  it('shares one read among the frames handled together, and reads again for a later frame', async () => {
    const store = fakeStore({ state: 'valid', user: USER, tokenHash: hashToken(TOKEN) });
    const { w, ended } = watch(store);
    const together = await Promise.all([w.current(), w.current(), w.current()]);
    expect(together.map((user) => user?.name)).toEqual(['li.wei', 'li.wei', 'li.wei']);
    expect(store.hashes).toEqual([hashToken(TOKEN)]);

    // Revoked in between: the next frame's read sees it, and the watch ends once.
    store.status = undefined;
    const [a, b] = await Promise.all([w.current(), w.current()]);
    expect([a, b]).toEqual([undefined, undefined]);
    expect(store.hashes).toHaveLength(2);
    expect(ended).toEqual(['revoked']);
    expect(await w.current()).toBeUndefined();
    expect(store.hashes).toHaveLength(2);
    w.stop();
  });

  it("ends a disabled user's connection as disabled", async () => {
    const store = fakeStore({ state: 'disabled', user: 'li.wei' });
    const { w, ended } = watch(store);
    expect(await w.current()).toBeUndefined();
    expect(ended).toEqual(['disabled']);
  });

  it('refuses a token of the wrong shape without reading the store', async () => {
    const store = fakeStore({ state: 'valid', user: USER, tokenHash: 'x' });
    const { w, ended } = watch(store, 'short');
    expect(await w.current()).toBeUndefined();
    expect(store.hashes).toEqual([]);
    expect(ended).toEqual(['revoked']);
  });

  it('ends nothing when a read fails; the next read decides', async () => {
    const store = fakeStore({ state: 'valid', user: USER, tokenHash: hashToken(TOKEN) });
    const { w, ended } = watch(store);
    store.fail = true;
    await expect(Promise.all([w.current(), w.current()])).rejects.toThrow('away');
    expect(store.hashes).toHaveLength(1);
    expect(ended).toEqual([]);
    store.fail = false;
    expect((await w.current())?.name).toBe('li.wei');
    w.stop();
  });
});
