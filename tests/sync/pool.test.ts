/**
 * The customer pool (公海) against the real server process, on a clock the test moves (the admin
 * CLI's `pool sweep --at`): owners are warned, untended customers return to their team's pool
 * and leave the owner's devices, won and locked customers stay, a rep of the team claims one and
 * receives its whole card, within the daily limit and the cap, the previous owner waits, two
 * claims at once give the customer to one rep, and every move is in the audit.
 */
import { execFile } from 'node:child_process';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../shared/doc-layout.ts';
import { INDEX_ROW_VERSION, rowOfState } from '../../sync-server/card-row.ts';
import { MemoryDevice, cid, storeArgs, waitUntil } from './helpers.ts';
import { callApi, makeWorld, type World } from './world.ts';

const DAY = 86_400_000;
const T = Date.now();

/** A card of `owner` made 500 days ago, with a call logged `contactDaysAgo`, an order `orderDaysAgo` (if any), and a note to recognise its history by. */
function cardState(id: string, name: string, owner: string, contactDaysAgo: number, orderDaysAgo?: number): Uint8Array {
  const doc = new Y.Doc();
  doc.transact(() => {
    const card = doc.getMap(ROOT.card);
    card.set('name', name);
    card.set('owner', owner);
    card.set('createdBy', owner);
    card.set('createdAt', T - 500 * DAY);
    card.set('sentinel', `SENTINEL-${id}`);
    const call = new Y.Map<unknown>();
    doc.getMap(ROOT.timeline).set(`call-${id}`, call);
    call.set('kind', 'call');
    call.set('at', T - contactDaysAgo * DAY);
    call.set('by', owner);
    call.set('text', `history of ${name}`);
    if (orderDaysAgo !== undefined) {
      const order = new Y.Map<unknown>();
      doc.getMap(ROOT.ledger).set(`order-${id}`, order);
      order.set('kind', 'order');
      order.set('date', T - orderDaysAgo * DAY);
      order.set('amount', 5_000);
      order.set('by', owner);
    }
    doc.getArray(ROOT.history).push([{ at: T - 500 * DAY, by: owner, mutation: 'card-create', target: 'name', from: null, to: name }]);
  });
  return Y.encodeStateAsUpdate(doc);
}

describe('the customer pool', () => {
  let world: World;
  const c = {
    old1: cid('pool-old-1'),
    old2: cid('pool-old-2'),
    old3: cid('pool-old-3'),
    fresh: cid('pool-fresh'),
    won: cid('pool-won'),
    locked: cid('pool-locked'),
    south: cid('pool-south'),
  };
  const devices: MemoryDevice[] = [];
  beforeAll(async () => {
    world = await makeWorld(
      [
        { name: 'rob', role: 'rep', team: 'north' },
        { name: 'rita', role: 'rep', team: 'north' },
        { name: 'rick', role: 'rep', team: 'north' },
        { name: 'mona', role: 'manager', team: 'north' },
        { name: 'sue', role: 'rep', team: 'south' },
        { name: 'gm', role: 'admin', team: null },
      ],
      ['north', 'south'],
      [],
      // The test moves the clock itself (pool sweep --at): the server's own sweep on today's clock stays off.
      ['--pool-sweep-minutes', '0'],
    );
    const cards: [string, string, string, number, number?][] = [
      [c.old1, 'Old One', 'rob', 400],
      [c.old2, 'Old Two', 'rob', 400],
      [c.old3, 'Old Three', 'rob', 400],
      [c.fresh, 'Fresh', 'rob', 2],
      [c.won, 'Won', 'rob', 400, 300],
      [c.locked, 'Locked', 'rob', 400],
      [c.south, 'South', 'sue', 2],
    ];
    await world.storage.importCards(
      cards.map(([id, name, owner, contact, order]) => {
        const state = cardState(id, name, owner, contact, order);
        return { id, owner, state, row: rowOfState(state, id), rowVersion: INDEX_ROW_VERSION };
      }),
    );
    const set = await world.custody.policy.set({ name: 'gm', role: 'admin', team: null, disabled: false }, [
      ['pool.enabled', 'true'],
      ['pool.rules.C.noContactDays', '30'],
      ['pool.rules.C.noDealDays', '0'],
      ['pool.warnDays', '7'],
      ['pool.dailyClaims', '1'],
      ['pool.reclaimDays', '30'],
    ]);
    expect(set.policy.policy.pool.enabled).toBe(true);
  });
  afterAll(async () => {
    for (const device of devices) device.disconnect();
    await world?.close();
  });

  const admin = (...args: string[]) =>
    new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, ['--import', 'tsx', 'sync-server/admin.ts', ...storeArgs(world.dataDir), ...args], { encoding: 'utf8' }, (error, stdout, stderr) =>
        resolve({ status: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
      );
    });
  const call = (user: string | undefined, method: string, path: string, body?: unknown) => callApi(world, user, method, path, body);
  /**
   * Sets a policy key with the admin CLI (another process) and waits until the server applies it:
   * the server reads the policy once per access change, which its access watch sees within a tick.
   */
  const setPolicy = async (key: string, value: string) => {
    const before = (await call('mona', 'GET', '/api/policy')).body.version as number;
    expect((await admin('policy', 'set', key, value)).status).toBe(0);
    await waitUntil(async () => (await call('mona', 'GET', '/api/policy')).body.version > before, 5_000, `the server to apply ${key}`);
  };
  const iso = (at: number) => new Date(at).toISOString();
  const connected = async (user: string) => {
    const device = new MemoryDevice();
    devices.push(device);
    device.connect(world.server.url, world.tokens.get(user)!);
    await device.client!.whenIdle(10_000);
    return device;
  };

  it('refuses claims and locks from anyone the rules do not allow, telling nothing', async () => {
    for (const [user, id] of [['rita', c.old1], ['sue', c.old1], ['rita', 'not-a-card'], ['rita', c.south], [undefined, c.old1]] as const) {
      const refused = await call(user, 'POST', `/api/pool/${id}/claim`);
      expect(refused.status, `${user} ${id}`).toBe(user ? 404 : 401);
      expect(JSON.stringify(refused.body)).not.toContain('Old One');
    }
    expect((await call('rob', 'POST', `/api/cards/${c.locked}/pool-lock`, { locked: true })).status).toBe(404);
    expect((await call('sue', 'POST', `/api/cards/${c.locked}/pool-lock`, { locked: true })).status).toBe(404);
    expect((await call('rita', 'GET', '/api/pool')).body.lines).toEqual([]);
    expect((await admin('pool', 'sweep', '--at', 'yesterday')).stderr).toMatch(/not an ISO-8601 date/);
  });

  it('warns the owner first: the sweep records "returns to the pool on …" and returns nothing yet', async () => {
    for (const locked of ['no', 0, null, ['true']]) expect((await call('mona', 'POST', `/api/cards/${c.locked}/pool-lock`, { locked })).body.error, JSON.stringify(locked)).toBe('invalid-value');
    expect((await call('mona', 'POST', `/api/cards/${c.locked}/pool-lock`, { locked: true })).status).toBe(200);
    const swept = await admin('pool', 'sweep', '--at', iso(T - 50 * DAY));
    expect(swept.stdout).toMatch(/3 owner warning\(s\), 0 customer\(s\) returned/);
    const mine = (await call('rob', 'GET', '/api/pool')).body.mine as { cardId: string; returnsAt: number; reason: string }[];
    expect(mine.map((m) => m.cardId).sort()).toEqual([c.old1, c.old2, c.old3].sort());
    expect(mine[0]).toMatchObject({ returnsAt: T - 43 * DAY, reason: 'no-contact' });
    const audit = await world.storage.auditOf({ cardId: c.old1 });
    expect(audit.find((e) => e.action === 'pool-warning')?.detail).toBe(`rob: returns to the pool on ${iso(T - 43 * DAY).slice(0, 10)} (no-contact)`);
  });

  it('returns untended customers to the team pool: the owner’s devices lose them, the manager keeps them, won and locked stay', async () => {
    const rob = await connected('rob');
    const mona = await connected('mona');
    expect(rob.docs.has(c.old1)).toBe(true);
    const swept = await admin('pool', 'sweep', '--at', iso(T - 40 * DAY));
    expect(swept.stdout).toMatch(/0 owner warning\(s\), 3 customer\(s\) returned/);
    await waitUntil(() => ![c.old1, c.old2, c.old3].some((id) => rob.docs.has(id)), 8_000, 'rob’s device to lose the returned customers');
    expect([c.fresh, c.won, c.locked].every((id) => rob.docs.has(id))).toBe(true);
    expect(mona.docs.has(c.old1)).toBe(true);
    const pool = (await call('rita', 'GET', '/api/pool')).body;
    expect(pool.lines.map((line: { cardId: string }) => line.cardId).sort()).toEqual([c.old1, c.old2, c.old3].sort());
    expect(pool.lines.find((line: { cardId: string }) => line.cardId === c.old1)).toMatchObject({ name: 'Old One', cls: 'C', reason: 'no-contact', previousOwner: 'rob', since: T - 40 * DAY, lastContact: T - 400 * DAY, team: 'north' });
    expect((await call('sue', 'GET', '/api/pool')).body.lines).toEqual([]);
    expect((await world.storage.auditOf({ cardId: c.old1 })).some((e) => e.action === 'pool-return' && e.detail === 'rob → pool of north (no-contact)')).toBe(true);
    // A second sweep at the same moment moves nothing.
    expect((await admin('pool', 'sweep', '--at', iso(T - 40 * DAY))).stdout).toMatch(/0 owner warning\(s\), 0 customer\(s\) returned/);
  });

  it('a rep of the team claims a customer and receives its whole card; the previous owner waits; the daily limit and the cap hold', async () => {
    const rita = await connected('rita');
    expect(rita.docs.has(c.old1)).toBe(false);
    const claimed = await call('rita', 'POST', `/api/pool/${c.old1}/claim`);
    expect(claimed.status).toBe(200);
    await waitUntil(() => rita.docs.has(c.old1) && rita.doc(c.old1).getMap(ROOT.card).get('owner') === 'rita', 8_000, 'the claimed card on rita’s device');
    const doc = rita.doc(c.old1);
    expect(doc.getMap(ROOT.card).get('sentinel')).toBe(`SENTINEL-${c.old1}`);
    expect((doc.getMap(ROOT.timeline).get(`call-${c.old1}`) as Y.Map<unknown>).get('text')).toBe('history of Old One');
    const history = doc.getArray(ROOT.history).toArray() as { mutation: string; by: string; reason?: string }[];
    expect(history[0]).toMatchObject({ mutation: 'card-create', by: 'rob' });
    expect(history.at(-1)).toMatchObject({ by: 'rita', reason: 'Claimed from the pool of north' });

    // The daily limit (1).
    const second = await call('rita', 'POST', `/api/pool/${c.old3}/claim`);
    expect(second.status).toBe(409);
    expect(second.body.error).toBe('claim-limit');
    // The previous owner waits reclaimDays from the return (T − 40 days): 60 days are not over yet.
    await setPolicy('pool.reclaimDays', '60');
    const back = await call('rob', 'POST', `/api/pool/${c.old2}/claim`);
    expect(back.body.error).toBe('reclaim-wait');
    expect(back.body.message).toContain(`you may claim it back from ${iso(T + 20 * DAY).slice(0, 10)}`);
    await setPolicy('pool.reclaimDays', '30');
    // The cap on customers held.
    await setPolicy('pool.maxHeld', '0');
    expect((await call('mona', 'POST', `/api/pool/${c.old3}/claim`)).body.error).toBe('held-limit');
    await setPolicy('pool.maxHeld', '200');

    // Two reps claim one customer at once: one gets it.
    const both = await Promise.all([call('rob', 'POST', `/api/pool/${c.old2}/claim`), call('rick', 'POST', `/api/pool/${c.old2}/claim`)]);
    expect(both.map((reply) => reply.status).sort()).toEqual([200, both.find((reply) => reply.status !== 200)!.status]);
    expect(both.filter((reply) => reply.status === 200)).toHaveLength(1);
    expect([404, 409]).toContain(both.find((reply) => reply.status !== 200)!.status);
    const owner = (await world.storage.getCard(c.old2))!.owner;
    expect(['rob', 'rick']).toContain(owner);

    const lines = (await call('rita', 'GET', '/api/pool')).body.lines as { cardId: string }[];
    expect(lines.map((line) => line.cardId)).toEqual([c.old3]);
    const actions = (await world.storage.auditOf({ cardId: c.old1 })).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['pool-warning', 'pool-return', 'pool-claim']));
  });
});

describe('the server’s own sweep', () => {
  let world: World;
  afterAll(() => world?.close());

  it('returns an untended customer on the server’s clock, without anyone running the CLI', async () => {
    world = await makeWorld([{ name: 'rob', role: 'rep', team: 'north' }], ['north'], [], ['--pool-sweep-minutes', '0.02']);
    const id = cid('pool-clock');
    const state = cardState(id, 'Clock', 'rob', 400);
    await world.storage.importCards([{ id, owner: 'rob', state, row: rowOfState(state, id), rowVersion: INDEX_ROW_VERSION }]);
    await world.custody.policy.set({ name: 'gm', role: 'admin', team: null, disabled: false }, [
      ['pool.enabled', 'true'],
      ['pool.warnDays', '0'],
    ]);
    await waitUntil(async () => (await world.storage.getCard(id))?.owner === 'pool:north', 10_000, 'the server to sweep the customer into the pool');
    // The audit line follows the move's commit.
    await waitUntil(async () => (await world.storage.auditOf({ cardId: id })).some((e) => e.action === 'pool-return'), 5_000, 'the return’s audit line');
  });
});
