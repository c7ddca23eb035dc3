/**
 * Redis fan-out between two instances on one PostgreSQL database (the `postgres` project only),
 * against a real redis-server. The instances poll the log only every 4 s here, so a change that
 * crosses in well under that went through Redis: a card change made on one instance reaches a
 * device on the other within 1.5 s, and so does a loan approved there; with Redis stopped the
 * instances keep serving, say so, and changes arrive by polling; with Redis back, the fan-out
 * resumes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { hashToken, newToken } from '../../sync-server/custody/auth.ts';
import { startRedis, type RedisServer } from '../tools/redis.ts';
import { BACKEND, MemoryDevice, cid, newDataDir, openStorage, startServerProcess, waitUntil, type ServerProcess } from './helpers.ts';
import { recordedNote } from './honest-edit.ts';
import { applyMutation } from '../../shared/mutations.ts';
import type { Mutation } from '../../shared/mutations-types.ts';

const POLL_MS = 4_000;

describe.runIf(BACKEND === 'postgres')('Redis fan-out between two instances', () => {
  let redis: RedisServer;
  let dataDir: string;
  let a: ServerProcess;
  let b: ServerProcess;
  const tokens = new Map<string, string>();
  const lent = cid('fanout-lent-card');

  beforeAll(async () => {
    redis = await startRedis();
    dataDir = newDataDir();
    const storage = await openStorage(dataDir);
    await storage.addTeam('north');
    for (const [name, role, team] of [['rob', 'rep', 'north'], ['mona', 'manager', 'north'], ['rita', 'rep', null]] as const) {
      await storage.addUser(name, role, team);
      const token = newToken();
      await storage.addToken(hashToken(token), name);
      tokens.set(name, token);
    }
    const doc = new Y.Doc();
    doc.getMap('card').set('name', 'Lent Trading');
    await storage.importCards([{ id: lent, owner: 'rob', state: Y.encodeStateAsUpdate(doc) }]);
    await storage.close();
    const args = ['--redis', redis.url, '--poll-ms', String(POLL_MS)];
    [a, b] = await Promise.all([startServerProcess(dataDir, 0, [], args), startServerProcess(dataDir, 0, [], args)]);
    await waitUntil(() => a.output().includes('Redis fan-out') && b.output().includes('Redis fan-out'), 10_000, 'both instances on Redis');
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await redis?.stop();
  });

  /** A device of `user` on `server`, synced. */
  const device = async (server: ServerProcess, user: string) => {
    const d = new MemoryDevice();
    d.connect(server.url, tokens.get(user)!);
    await d.client!.whenIdle(20_000);
    return d;
  };

  /** Milliseconds from an edit on `from` until `to` holds it. */
  const crossing = async (from: MemoryDevice, to: MemoryDevice, card: string, key: string, timeoutMs: number) => {
    const started = Date.now();
    from.edit(card, (doc) => recordedNote(doc, 'rob', key, key));
    await waitUntil(() => to.doc(card).getMap('timeline').has(key), timeoutMs, `${key} to cross`);
    return Date.now() - started;
  };

  it('a change on one instance reaches a device on the other at once, and an approved loan too', async () => {
    const onA = await device(a, 'rob');
    const onB = await device(b, 'rob');
    const card = cid('fanout-card');
    for (let i = 0; i < 5; i++) {
      expect(await crossing(onB, onA, card, `b${i}`, 1_500)).toBeLessThan(1_500);
      expect(await crossing(onA, onB, card, `a${i}`, 1_500)).toBeLessThan(1_500);
    }
    // A loan requested and approved through instance B's API: the borrower's device on A gets the card.
    const borrower = await device(a, 'rita');
    expect(borrower.docs.has(lent)).toBe(false);
    const api = (user: string, path: string, body: unknown) =>
      fetch(`${b.url.replace('ws:', 'http:')}${path}`, { method: 'POST', headers: { authorization: `Bearer ${tokens.get(user)!}`, 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(
        async (response) => (await response.json()) as { loan: { id: number } },
      );
    const { loan } = await api('rita', '/api/loans', { cardId: lent, until: Date.now() + 86_400_000, reason: 'a visit' });
    const approved = Date.now();
    await api('mona', `/api/loans/${loan.id}/decision`, { approve: true, reason: 'fine' });
    await waitUntil(() => borrower.doc(lent).getMap('card').get('name') === 'Lent Trading', 1_500, 'the lent card on the borrower’s device');
    expect(Date.now() - approved).toBeLessThan(1_500);
    for (const d of [onA, onB, borrower]) d.disconnect();
  });

  it('the company’s cut-offs and a proposal’s notice cross to the other instance’s devices at once', async () => {
    const writer = await device(a, 'rob');
    const watcher = await device(b, 'rita');
    const manager = await device(b, 'mona');
    await waitUntil(() => watcher.classes.length > 0, 5_000, 'the cut-offs told after signing in');
    const told = watcher.classes.length;
    // Rob books an order on a new card through instance A: the only card with purchases, so it is class A.
    const card = cid('fanout-order-card');
    const written = Date.now();
    writer.edit(card, (doc) => {
      const context = { actor: 'rob', now: Date.now(), newId: () => crypto.randomUUID() };
      for (const step of [{ type: 'card-create', name: 'Order Crossing Ltd' }, { type: 'ledger-add', kind: 'order', date: Date.now() - 86_400_000, amount: 7_000 }] as const) {
        const result = applyMutation(doc, { ...step, cardId: card } as Mutation, context, card);
        if (!result.ok) throw new Error(result.message);
      }
    });
    await waitUntil(() => watcher.classes.slice(told).some((cutoffs) => cutoffs.aMin <= 7_000), 1_500, 'the moved cut-offs on the other instance');
    expect(watcher.classes.at(-1)!.at - written).toBeLessThan(1_500);
    // Cut-offs only: what B tells is what A's endpoint says.
    const fromA = (await (await fetch(`${a.url.replace('ws:', 'http:')}/api/classification`, { headers: { authorization: `Bearer ${tokens.get('rita')!}` } })).json()) as { aMin: number };
    expect(watcher.classes.at(-1)!.aMin).toBe(fromA.aMin);
    // A proposal made through A's API: the manager's device on B hears of it (CUSTODY) at once.
    const before = manager.client!.status().custodyAt ?? 0;
    const proposed = Date.now();
    const response = await fetch(`${a.url.replace('ws:', 'http:')}/api/proposals`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.get('rob')!}`, 'content-type': 'application/json' },
      body: JSON.stringify({ cardId: card, field: 'creditRating', value: 'A', reason: 'pays early' }),
    });
    expect(response.status).toBe(201);
    await waitUntil(() => (manager.client!.status().custodyAt ?? 0) > before, 1_500, 'the notice on the manager’s device');
    expect(Date.now() - proposed).toBeLessThan(1_500);
    // A rep who reads nothing of the card hears nothing of it.
    expect(watcher.client!.status().custodyAt ?? 0).toBeLessThan(proposed);
    for (const d of [writer, watcher, manager]) d.disconnect();
  });

  it('with Redis stopped the instances keep serving by polling, and say so; with Redis back the fan-out resumes', async () => {
    const onA = await device(a, 'rob');
    const onB = await device(b, 'rob');
    const card = cid('fanout-outage');
    await redis.stop();
    await waitUntil(() => a.output().includes('Redis unavailable') && b.output().includes('Redis unavailable'), 10_000, 'the instances to log the outage');
    // Still served: the change is stored and reaches the other instance's device by polling.
    await crossing(onB, onA, card, 'during-outage', POLL_MS * 2 + 2_000);
    await redis.start();
    await waitUntil(() => a.output().includes('Redis fan-out resumes') && b.output().includes('Redis fan-out resumes'), 15_000, 'the instances to reconnect');
    expect(await crossing(onB, onA, card, 'after-outage', 1_500)).toBeLessThan(1_500);
    for (const d of [onA, onB]) d.disconnect();
  });
});
