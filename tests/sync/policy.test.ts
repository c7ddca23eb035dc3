/**
 * The company policy against the real server process: only admins set it (the admin CLI, the
 * API), every change is a new version and an audit line (old → new), every signed-in user reads
 * it, open connections are told (a catch-up run, after which devices fetch it again), and the
 * server applies it — the class cut-offs by Pareto share or by amount, who approves loans, the
 * longest loan.
 */
import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INDEX_ROW_VERSION } from '../../sync-server/card-row.ts';
import { MemoryDevice, cid, storeArgs, waitUntil } from './helpers.ts';
import { callApi, makeWorld, sentinelState, type World } from './world.ts';

const DAY = 86_400_000;

describe('the company policy', () => {
  let world: World;
  const cards = ['p-100', 'p-50', 'p-30', 'p-20'].map((name) => cid(name));
  const amounts = [100, 50, 30, 20];
  beforeAll(async () => {
    world = await makeWorld(
      [
        { name: 'rob', role: 'rep', team: 'north' },
        { name: 'rita', role: 'rep', team: 'south' },
        { name: 'mona', role: 'manager', team: 'north' },
        { name: 'gm', role: 'admin', team: null },
      ],
      ['north', 'south'],
      [],
    );
    // Four customers with 12-month purchases of 100, 50, 30 and 20 (their index rows, as the server keeps them).
    const now = Date.now();
    await world.storage.importCards(
      cards.map((id, i) => ({ id, owner: 'rob', state: sentinelState(id, `Customer ${i}`, 'rob'), row: JSON.stringify({ orders: [[now - 10 * DAY, amounts[i]]] }), rowVersion: INDEX_ROW_VERSION })),
    );
  });
  afterAll(() => world?.close());

  /** The admin CLI, run without blocking this process (its HTTP keep-alive sockets stay served). */
  const admin = (...args: string[]) =>
    new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, ['--import', 'tsx', 'sync-server/admin.ts', ...storeArgs(world.dataDir), ...args], { encoding: 'utf8' }, (error, stdout, stderr) =>
        resolve({ status: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
      );
    });
  const call = (user: string | undefined, method: string, path: string, body?: unknown) => callApi(world, user, method, path, body);
  /** Until the running server serves this version: a change made by the CLI (another process) reaches it with its access watch, within a tick. */
  const served = (version: number) => waitUntil(async () => (await call('rob', 'GET', '/api/policy')).body.version >= version, 5_000, `the server to apply policy version ${version}`);
  /** Sets a key with the CLI and waits until the server applies it. */
  const setPolicy = async (key: string, value: string) => {
    const before = (await call('rob', 'GET', '/api/policy')).body.version as number;
    expect((await admin('policy', 'set', key, value)).status).toBe(0);
    await served(before + 1);
  };

  it('refuses anyone but an admin, and any key or value that does not pass, with a clear message', async () => {
    expect((await call(undefined, 'GET', '/api/policy')).status).toBe(401);
    for (const user of ['rob', 'mona']) {
      const refused = await call(user, 'POST', '/api/policy', { values: { 'stage.lostDays': '400' } });
      expect(refused.status).toBe(403);
      expect(refused.body.error).toBe('forbidden');
      expect((await call(user, 'GET', '/api/policy/history')).status).toBe(403);
    }
    const hostile: unknown[] = [
      { values: { 'stage.lostDays': 'forever' } },
      { values: { 'stage.lostDays': '100' } },
      { values: { nope: '1' } },
      { values: { '__proto__.x': '1' } },
      { values: { 'loans.maxDays': { $gt: 1 } } },
      { values: 'stage.lostDays=400' },
      { values: [] },
      {},
      'not json',
    ];
    for (const body of hostile) {
      const refused = await call('gm', 'POST', '/api/policy', body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(typeof refused.body.message).toBe('string');
    }
    const across = (await call('gm', 'POST', '/api/policy', { values: { 'stage.lostDays': '100' } })).body;
    expect(across.message).toMatch(/stage.lostDays must be more than stage.dormantDays/);
    // The rule and why, as data: the device tells it in its user's language by the rule's label.
    expect(across).toMatchObject({ error: 'invalid-policy', key: 'stage.lostDays', refusal: { kind: 'more-than', other: 'stage.dormantDays' } });
    expect((await call('gm', 'POST', '/api/policy', { values: { 'loans.maxDays': '999' } })).body).toMatchObject({ key: 'loans.maxDays', refusal: { kind: 'whole', min: 1, max: 366 } });
    const bad = await admin('policy', 'set', 'loans.approver', 'anyone');
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/loans.approver is one of: team-manager, general-manager, either/);
    // Nothing was stored by any of them.
    expect((await call('rob', 'GET', '/api/policy')).body.version).toBe(0);
  });

  it('tells a device version 0 when no rule was ever set, so it follows the company defaults, not its own', async () => {
    const device = new MemoryDevice();
    device.connect(world.server.url, world.tokens.get('rob')!);
    try {
      await device.client!.whenIdle(10_000);
      await waitUntil(() => device.client!.status().policyVersion === 0, 5_000, 'version 0 told after signing in');
    } finally {
      device.disconnect();
    }
  });

  it('is set with the CLI as a new version, audited old → new, and served to every signed-in user', async () => {
    const shown = await admin('policy', 'show');
    expect(shown.status).toBe(0);
    expect(shown.stdout).toMatch(/the defaults \(never set\)/);
    expect(shown.stdout).toMatch(/^stage\.lostDays\t365\t/m);
    const set = await admin('policy', 'set', 'stage.lostDays', '400');
    expect(set.status, set.stderr).toBe(0);
    expect(set.stdout).toMatch(/policy version 1:\nstage\.lostDays: 365 → 400/);
    await served(1);
    const reply = await call('rita', 'GET', '/api/policy');
    expect(reply.body).toMatchObject({ version: 1, by: 'admin-cli', policy: { stage: { dormantDays: 180, lostDays: 400 } } });
    const audit = await world.storage.auditOf({ user: 'admin-cli' });
    expect(audit.find((event) => event.action === 'policy-set')?.detail).toBe('v1 stage.lostDays: 365 → 400');
    // The admin page's way: several keys at once, as the admin signed in.
    const page = await call('gm', 'POST', '/api/policy', { values: { 'cadence.A': 10, 'pool.enabled': true, 'reasonFields': ['phone'] } });
    expect(page.status).toBe(200);
    expect(page.body.policy.version).toBe(2);
    expect(page.body.changes).toEqual(['cadence.A: 14 → 10', expect.stringMatching(/^reasonFields: .* → .*,phone$/), 'pool.enabled: false → true']);
    expect((await world.storage.auditOf({ user: 'gm' })).filter((event) => event.action === 'policy-set')).toHaveLength(3);
    expect((await call('gm', 'GET', '/api/policy/history')).body.versions.map((v: { version: number; by: string }) => `${v.version} ${v.by}`)).toEqual(['2 gm', '1 admin-cli']);
    expect((await admin('policy', 'history')).stdout).toMatch(/^2\t.*\tgm\n1\t.*\tadmin-cli/m);
  });

  it('reaches open connections: a change made with the CLI is announced with its version, which the device then fetches', async () => {
    const device = new MemoryDevice();
    device.connect(world.server.url, world.tokens.get('rob')!);
    try {
      await device.client!.whenIdle(10_000);
      await waitUntil(() => device.client!.status().policyVersion === 2, 5_000, 'the version told after signing in');
      await setPolicy('creditFloor', 'B');
      await waitUntil(() => device.client!.status().policyVersion === 3, 8_000, 'the new version told to the open connection');
      expect((await call('rob', 'GET', '/api/policy')).body.policy.creditFloor).toBe('B');
    } finally {
      device.disconnect();
    }
  });

  it('serves at least the version a device was told: a change made elsewhere is read at once when asked for it', async () => {
    const held = (await call('rob', 'GET', '/api/policy')).body as { version: number; policy: { cadence: Record<string, number> } };
    const before = held.version;
    // Stored as another instance stores it, which this one hears of only through the fan-out.
    const next = { version: before + 1, at: Date.now(), by: 'gm', policy: JSON.stringify({ ...held.policy, cadence: { ...held.policy.cadence, B: 21 } }) };
    expect(await world.storage.savePolicy(next, before)).toBe(true);
    expect((await call('rob', 'GET', '/api/policy')).body.version).toBe(before);
    // The device asks for the version it was told: read now, not the one this instance holds.
    const asked = await call('rob', 'GET', `/api/policy?atLeast=${before + 1}`);
    expect(asked.body).toMatchObject({ version: before + 1, policy: { cadence: { B: 21 } } });
    // Nonsense is ignored, not an error.
    for (const atLeast of ['abc', '-1', '1e400', '']) expect((await call('rob', 'GET', `/api/policy?atLeast=${atLeast}`)).body.version).toBe(before + 1);
  });

  it('classes customers by the policy: Pareto shares, or fixed amounts', async () => {
    // 100, 50, 30, 20 of 200: A while the customers above hold < 70 % (100, 50), B while < 90 % (30).
    expect((await call('rob', 'GET', '/api/classification')).body).toMatchObject({ aMin: 50, bMin: 30, basis: 'share' });
    await setPolicy('classes.aShare', '50%');
    expect((await call('rob', 'GET', '/api/classification')).body).toMatchObject({ aMin: 100, bMin: 30 });
    // aAmount below the default bAmount (10,000) is refused: B's amount must stay below A's.
    expect((await admin('policy', 'set', 'classes.aAmount', '45')).stderr).toMatch(/classes.bAmount must be below classes.aAmount/);
    await setPolicy('classes.bAmount', '25');
    await setPolicy('classes.aAmount', '45');
    await setPolicy('classes.basis', 'amount');
    const byAmount = await call('rob', 'GET', '/api/classification');
    expect(byAmount.body).toMatchObject({ aMin: 45, bMin: 25, basis: 'amount' });
    expect(byAmount.body.policyVersion).toBeGreaterThan(3);
  });

  it('decides who approves loans and for how long', async () => {
    const card = cards[0]!;
    const asked = await call('rita', 'POST', '/api/loans', { cardId: card, until: Date.now() + 10 * DAY, reason: 'a joint visit' });
    expect(asked.status).toBe(201);
    await setPolicy('loans.approver', 'general-manager');
    const byManager = await call('mona', 'POST', `/api/loans/${asked.body.loan.id}/decision`, { approve: true, reason: 'fine' });
    expect(byManager.status).toBe(403);
    expect(byManager.body.message).toMatch(/general manager/);
    await setPolicy('loans.maxDays', '5');
    const tooLong = await call('gm', 'POST', `/api/loans/${asked.body.loan.id}/decision`, { approve: true, reason: 'fine' });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.message).toMatch(/at most 5 day/);
    const approved = await call('gm', 'POST', `/api/loans/${asked.body.loan.id}/decision`, { approve: true, until: Date.now() + 3 * DAY, reason: 'three days' });
    expect(approved.body.loan).toMatchObject({ status: 'active', approver: 'gm' });
    expect((await call('rita', 'POST', '/api/loans', { cardId: cards[1], until: Date.now() + 6 * DAY, reason: 'too long' })).body.error).toBe('too-long');
    await setPolicy('loans.approver', 'team-manager');
    const granted = await admin('borrow', 'grant', '--card', cards[2]!, '--to', 'rita', '--until', new Date(Date.now() + 2 * DAY).toISOString(), '--reason', 'by the CLI');
    expect(granted.status).not.toBe(0);
    expect(granted.stderr).toMatch(/manager of the card's team/);
  });
});
