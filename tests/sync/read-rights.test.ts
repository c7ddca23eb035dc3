/**
 * Read rights against the real server process, tried as a hostile colleague would (issue 22,
 * items 4–6): a `/y` room joined before its card exists, team moves and loan ends reaching open
 * connections when they take effect, and the replies that must not tell a card's existence,
 * owner or other teams' figures.
 */
import { spawnSync } from 'node:child_process';
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { CLOSE } from '../../shared/sync/protocol.ts';
import { INDEX_ROW_VERSION } from '../../sync-server/card-row.ts';
import { FULL_READ_MS } from '../../sync-server/custody/company-classes.ts';
import { MemoryDevice, cid, storeArgs, waitUntil } from './helpers.ts';
import { newCardState, recordedSet } from './honest-edit.ts';
import { ADMIN_CLI, callApi, makeWorld, sentinelState, stockClient, type World } from './world.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a /y room joined before its card exists', () => {
  let world: World;
  beforeAll(async () => {
    world = await makeWorld(
      [
        { name: 'rob', role: 'rep', team: 'north' },
        { name: 'mona', role: 'manager', team: 'north' },
        { name: 'sue', role: 'rep', team: 'south' },
      ],
      ['north', 'south'],
      [],
    );
  });
  afterAll(() => world?.close());

  it('gives the card, once created, only to joiners who may read it, and audits their read', async () => {
    const id = cid('y-before-card');
    const stranger = stockClient(world, 'sue', id);
    const manager = stockClient(world, 'mona', id);
    try {
      await waitUntil(() => stranger.provider.synced && manager.provider.synced, 10_000, 'both joiners to be in the empty room');
      const rob = new MemoryDevice();
      rob.connect(world.server.url, world.tokens.get('rob')!);
      await rob.client!.whenIdle();
      rob.edit(id, (doc) => Y.applyUpdate(doc, newCardState('rob', 'Secret Trading')));
      await rob.client!.whenIdle();
      await waitUntil(() => manager.doc.getMap('card').get('name') === 'Secret Trading', 10_000, 'the manager to receive the new card');
      await waitUntil(() => stranger.closes.includes(CLOSE.FORBIDDEN), 5_000, 'the stranger’s connection to close with 4403');
      await sleep(500);
      expect(stranger.doc.getMap('card').toJSON()).toEqual({});
      const audit = await world.storage.auditOf({ cardId: id });
      expect(audit.some((event) => event.user === 'mona' && event.action === 'read' && event.detail.includes('/y'))).toBe(true);
      expect(audit.some((event) => event.user === 'sue' && event.action === 'read')).toBe(false);
      rob.disconnect();
    } finally {
      stranger.provider.destroy();
      manager.provider.destroy();
    }
  });

  it('lets the joiner who creates the card keep her room', async () => {
    const id = cid('y-created-by-joiner');
    const sue = stockClient(world, 'sue', id);
    try {
      await waitUntil(() => sue.provider.synced, 10_000, 'the joiner in the empty room');
      Y.applyUpdate(sue.doc, newCardState('sue', 'Made on /y'));
      await waitUntil(async () => (await world.storage.getCard(id))?.owner === 'sue', 10_000, 'the card to be stored');
      await sleep(500);
      expect(sue.closes).toEqual([]);
      const device = new MemoryDevice();
      device.connect(world.server.url, world.tokens.get('sue')!);
      await device.client!.whenIdle();
      device.edit(id, (doc) => recordedSet(doc, 'sue', 'city', 'Tainan'));
      await waitUntil(() => sue.doc.getMap('card').get('city') === 'Tainan', 10_000, 'a later change to reach the creator’s room');
      device.disconnect();
    } finally {
      sue.provider.destroy();
    }
  });
});

describe('access changes reach open connections when they take effect', () => {
  let world: World;
  const loaned = cid('loan-ends-on-time');
  beforeAll(async () => {
    // The server's own clock ticks rarely here: what is tested is that rights do not wait for it.
    world = await makeWorld(
      [
        { name: 'rob', role: 'rep', team: 'north' },
        { name: 'mona', role: 'manager', team: 'north' },
        { name: 'sue', role: 'rep', team: 'south' },
      ],
      ['north', 'south'],
      [{ id: loaned, owner: 'rob' }],
      ['--poll-ms', '5000'],
    );
  });
  afterAll(() => world?.close());

  it('a rep added to the team with `user add --team` reaches the manager’s open device', async () => {
    const mona = new MemoryDevice();
    mona.connect(world.server.url, world.tokens.get('mona')!);
    await mona.client!.whenIdle();
    await world.custody.addUser('nina', 'rep', 'north');
    await world.tokenFor('nina');
    // Through the server's own API: the rep's access change is the server's own, not the CLI's.
    const nina = new MemoryDevice();
    nina.connect(world.server.url, world.tokens.get('nina')!);
    await sleep(6_000);
    const card = cid('new-rep-card');
    nina.edit(card, (doc) => Y.applyUpdate(doc, newCardState('nina', 'The new rep’s first customer')));
    await nina.client!.whenIdle();
    await waitUntil(() => mona.docs.get(card)?.getMap('card').get('name') === 'The new rep’s first customer', 3_000, 'the manager’s open device to get the new rep’s card');
    mona.disconnect();
    nina.disconnect();
  }, 30_000);

  it('a cover ends at its end time: the cards go back at once, not at the next tick', async () => {
    const covered = cid('cover-ends-on-time');
    await world.storage.importCards([{ id: covered, owner: 'rob', state: sentinelState(covered, 'Covered', 'rob') }]);
    await world.custody.addUser('ray', 'rep', 'north');
    await world.tokenFor('ray');
    const until = Date.now() + 7_000;
    await world.custody.handover({ from: 'rob', to: 'ray', reason: 'a week off', kind: 'cover', cardIds: [covered], until, by: ADMIN_CLI });
    const ray = new MemoryDevice();
    ray.connect(world.server.url, world.tokens.get('ray')!);
    await waitUntil(() => ray.docs.has(covered), 6_500, 'the covered card on the cover’s device');
    await sleep(until - Date.now());
    await waitUntil(() => !ray.docs.has(covered), 1_500, 'the covered card to leave the cover’s device at the cover’s end');
    expect((await world.storage.getCard(covered))!.owner).toBe('rob');
    ray.disconnect();
  }, 30_000);

  it('a loan ends at its end time: no change after it reaches the borrower, on /sync or /y', async () => {
    const until = Date.now() + 7_000;
    await world.custody.grantLoan(ADMIN_CLI, loaned, 'sue', until, 'a visit', false);
    const sue = new MemoryDevice();
    const late: string[] = [];
    const apply = sue.applyRemote.bind(sue);
    sue.applyRemote = async (updates) => {
      if (Date.now() >= until) for (const { cardId } of updates) if (cardId === loaned) late.push(cardId);
      return apply(updates);
    };
    sue.connect(world.server.url, world.tokens.get('sue')!);
    await waitUntil(() => sue.docs.has(loaned), 6_500, 'the loaned card on the borrower’s device');
    const y = stockClient(world, 'sue', loaned);
    await waitUntil(() => y.doc.getMap('card').get('sentinel') === `SENTINEL-${loaned}`, 5_000, 'the borrower’s /y room');
    const rob = new MemoryDevice();
    rob.connect(world.server.url, world.tokens.get('rob')!);
    await rob.client!.whenIdle();
    await sleep(until - Date.now() + 150);
    rob.edit(loaned, (doc) => recordedSet(doc, 'rob', 'city', 'after the loan'));
    await rob.client!.whenIdle();
    // The /y connection closes at the end, the device deletes its copy, within a moment, not a tick.
    await waitUntil(() => y.closes.includes(CLOSE.FORBIDDEN), 1_000, 'the borrower’s /y connection to close at the loan’s end');
    await waitUntil(() => !sue.docs.has(loaned), 1_000, 'the borrower’s copy to be deleted at the loan’s end');
    expect(y.doc.getMap('card').get('city')).toBeUndefined();
    expect(late).toEqual([]);
    y.provider.destroy();
    sue.disconnect();
    rob.disconnect();
  }, 30_000);
});

describe('no oracle: replies that tell nothing beyond the rules', () => {
  let world: World;
  const robCard = cid('oracle-rob');
  const sueCard = cid('oracle-sue');
  const missing = cid('oracle-never-made');
  beforeAll(async () => {
    world = await makeWorld(
      [
        { name: 'rob', role: 'rep', team: 'north' },
        { name: 'mona', role: 'manager', team: 'north' },
        { name: 'sue', role: 'rep', team: 'south' },
        { name: 'sam', role: 'manager', team: 'south' },
      ],
      ['north', 'south'],
      [
        { id: robCard, owner: 'rob' },
        { id: sueCard, owner: 'sue' },
      ],
    );
    await waitUntil(async () => (await world.storage.rowOf(robCard)) !== undefined && (await world.storage.rowOf(sueCard)) !== undefined, 10_000, 'the server to index the cards');
  });
  afterAll(() => world?.close());

  it('/y: joining someone else’s card is joining a card that does not exist, in content and timing', async () => {
    const join = (id: string) =>
      new Promise<{ frames: string[]; firstMs: number; closed?: number }>((resolve) => {
        const started = performance.now();
        const frames: string[] = [];
        let firstMs = -1;
        const ws = new WebSocket(`${world.server.url}/y/${id}?token=${encodeURIComponent(world.tokens.get('rob')!)}`);
        ws.on('open', () => {
          const e = encoding.createEncoder();
          encoding.writeVarUint(e, 0);
          syncProtocol.writeSyncStep1(e, new Y.Doc());
          ws.send(encoding.toUint8Array(e));
        });
        ws.on('message', (data: Buffer) => {
          if (firstMs < 0) firstMs = performance.now() - started;
          frames.push(data.toString('hex'));
        });
        ws.on('error', () => undefined);
        ws.on('close', (code) => resolve({ frames, firstMs, closed: code }));
        setTimeout(() => {
          ws.close();
          resolve({ frames, firstMs });
        }, 600);
      });
    const theirs: number[] = [];
    const none: number[] = [];
    for (let i = 0; i < 9; i++) {
      const a = await join(sueCard);
      const b = await join(cid(`oracle-y-missing-${i}`));
      expect(a.closed).toBeUndefined();
      expect(a.frames).toEqual(b.frames);
      theirs.push(a.firstMs);
      none.push(b.firstMs);
    }
    const median = (values: number[]) => [...values].sort((x, y) => x - y)[4]!;
    expect(Math.abs(median(theirs) - median(none))).toBeLessThan(10);
  });

  it('a sync audits the owner’s own cards as one entry per run, and a manager’s reads of the team’s cards one by one', async () => {
    const syncAs = async (user: string) => {
      const device = new MemoryDevice();
      device.connect(world.server.url, world.tokens.get(user)!);
      await device.client!.whenIdle();
      device.disconnect();
      return device;
    };
    expect((await syncAs('rob')).docs.has(robCard)).toBe(true);
    const robs = await world.storage.auditOf({ user: 'rob' });
    const run = robs.filter((event) => event.action === 'read-own');
    expect(run).toHaveLength(1);
    expect(run[0]).toMatchObject({ cardId: null });
    expect(run[0]!.detail).toMatch(/^1 cards, log \d+–\d+$/);
    expect(robs.some((event) => event.action === 'read' && event.cardId === robCard)).toBe(false);
    expect((await syncAs('mona')).docs.has(robCard)).toBe(true);
    const monas = await world.storage.auditOf({ cardId: robCard });
    expect(monas.some((event) => event.user === 'mona' && event.action === 'read' && event.detail === 'team')).toBe(true);
  });

  it('a manager sees no other team’s card ids through a person’s audit', async () => {
    const asked = await callApi(world, 'rob', 'POST', '/api/loans', { cardId: sueCard, until: Date.now() + 86_400_000, reason: 'covering a trade fair' });
    expect(asked.status).toBe(201);
    const audit = await callApi(world, 'mona', 'GET', '/api/audit?user=rob');
    expect(audit.status).toBe(200);
    expect(audit.body.events.some((event: { action: string }) => event.action === 'loan-request')).toBe(true);
    expect(JSON.stringify(audit.body)).not.toContain(sueCard);
    // The other team's manager, who decides on that card, sees it there.
    expect(JSON.stringify((await callApi(world, 'sam', 'GET', `/api/audit?card=${sueCard}`)).body)).toContain('loan-request');
  });

  it('“no such card” and “not yours” are one reply, in content and in timing', async () => {
    const routes: { user: string; method: string; path: (id: string) => string; body?: (id: string) => unknown }[] = [
      { user: 'rob', method: 'GET', path: (id) => `/api/cards/${id}/custody` },
      { user: 'rob', method: 'POST', path: () => '/api/proposals', body: (id) => ({ cardId: id, field: 'creditRating', value: 'A', reason: 'probe' }) },
      { user: 'mona', method: 'GET', path: (id) => `/api/audit?card=${id}` },
      { user: 'mona', method: 'POST', path: () => '/api/handover', body: (id) => ({ from: 'sue', to: 'rob', reason: 'probe', kind: 'territory', cardIds: [id] }) },
      { user: 'mona', method: 'POST', path: () => '/api/handover', body: (id) => ({ from: 'rob', to: 'rob', reason: 'probe', kind: 'territory', cardIds: [id] }) },
    ];
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    for (const route of routes) {
      const theirs: number[] = [];
      const none: number[] = [];
      // A warm-up first (the server's first call of a route compiles it), then the two in turns.
      for (const id of [sueCard, missing, sueCard, missing]) await callApi(world, route.user, route.method, route.path(id), route.body?.(id));
      for (let i = 0; i < 15; i++) {
        const [first, second] = i % 2 === 0 ? [sueCard, missing] : [missing, sueCard];
        const one = await callApi(world, route.user, route.method, route.path(first), route.body?.(first));
        const two = await callApi(world, route.user, route.method, route.path(second), route.body?.(second));
        const [a, b] = first === sueCard ? [one, two] : [two, one];
        const what = `${route.method} ${route.path('<id>')} as ${route.user}`;
        expect({ status: a.status, body: JSON.stringify(a.body).replaceAll(sueCard, '<id>') }, what).toEqual({ status: b.status, body: JSON.stringify(b.body).replaceAll(missing, '<id>') });
        theirs.push(a.ms);
        none.push(b.ms);
      }
      expect(Math.abs(median(theirs) - median(none)), `${route.method} ${route.path('<id>')}: median ${median(theirs).toFixed(1)} ms against ${median(none).toFixed(1)} ms`).toBeLessThan(6);
    }
    // Decisions on requests by number: one that does not exist and one of another team's card.
    const theirLoan = (await callApi(world, 'rob', 'GET', '/api/loans')).body.loans.find((loan: { cardId: string }) => loan.cardId === sueCard);
    const a = await callApi(world, 'mona', 'POST', `/api/loans/${theirLoan.id}/decision`, { approve: true, reason: 'probe' });
    const b = await callApi(world, 'mona', 'POST', '/api/loans/999999/decision', { approve: true, reason: 'probe' });
    expect({ status: a.status, body: a.body }).toEqual({ status: b.status, body: b.body });
  });

  it('the company’s ABC classification gives cut-offs only, and ignores amounts no order can have', async () => {
    const day = 86_400_000;
    const row = (amount: number) => JSON.stringify({ name: 'x', emails: [], domains: [], orders: [[Date.now() - 10 * day, amount]] });
    await world.storage.setRow(robCard, row(1_000), INDEX_ROW_VERSION);
    await world.storage.setRow(sueCard, row(123_456.78), INDEX_ROW_VERSION);
    // Rows written behind the server's back (no change in the log) are read within FULL_READ_MS.
    await new Promise((resolve) => setTimeout(resolve, FULL_READ_MS + 200));
    const before = await callApi(world, 'rob', 'GET', '/api/classification');
    // Cut-offs, the basis and the policy's version (shared/policy): no customer's figure.
    expect(Object.keys(before.body).sort()).toEqual(['aMin', 'asOf', 'bMin', 'basis', 'policyVersion']);
    expect(JSON.stringify(before.body)).not.toContain('123456.78');
    expect(before.body.aMin).toBeGreaterThan(1_000);
    expect(before.body.aMin).toBeLessThanOrEqual(123_456.78);
    // One order of 1e300 on a card must not make every other customer class C.
    const huge = cid('oracle-huge');
    await world.storage.importCards([{ id: huge, owner: 'rob', state: new Uint8Array([0, 0]), row: row(1e300), rowVersion: INDEX_ROW_VERSION }]);
    await new Promise((resolve) => setTimeout(resolve, FULL_READ_MS + 200));
    const after = await callApi(world, 'rob', 'GET', '/api/classification');
    expect(after.body.aMin).toBe(before.body.aMin);
  });
});

describe('what the admin CLI prints, and card ids that differ only in case', () => {
  let world: World;
  const card = cid('printed-card');
  beforeAll(async () => {
    world = await makeWorld([{ name: 'rob', role: 'rep', team: 'north' }, { name: 'sue', role: 'rep', team: 'south' }], ['north', 'south'], [{ id: card, owner: 'rob' }]);
  });
  afterAll(() => world?.close());

  it('a newline in a loan reason cannot forge a line of `audit`', async () => {
    const forged = `visit\n2026-12-01T00:00:00.000Z\tadmin-cli\tloan-end\t${card}\tsue`;
    await world.custody.grantLoan(ADMIN_CLI, card, 'sue', Date.now() + 86_400_000, forged, false);
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'sync-server/admin.ts', ...storeArgs(world.dataDir), 'audit', '--card', card], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines.filter((line) => line.startsWith('2026-12-01'))).toHaveLength(0);
    expect(lines.every((line) => line.split('\t').length === 5)).toBe(true);
    expect(lines.find((line) => line.includes('loan-grant'))).toContain('visit\\n2026-12-01');
  });

  it('one card whatever the case of its id: a differently cased id is refused everywhere', async () => {
    const upper = card.toUpperCase();
    const device = new MemoryDevice();
    device.connect(world.server.url, world.tokens.get('sue')!);
    await device.client!.whenIdle();
    device.edit(upper, (doc) => Y.applyUpdate(doc, newCardState('sue', 'A second card under the same id')));
    await device.client!.whenIdle();
    expect(device.dropped.join()).toMatch(/^bad-card-id/);
    expect((await world.storage.cardOwners()).map((c) => c.id).filter((id) => id.toLowerCase() === card)).toEqual([card]);
    device.disconnect();
    const y = await fetch(`${world.server.url.replace('ws', 'http')}/y/${upper}?token=x`, { headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' } }).catch(() => undefined);
    expect(y?.status ?? 400).toBe(400);
    expect((await callApi(world, 'rob', 'GET', `/api/cards/${upper}/custody`)).status).toBe(404);
    expect((await callApi(world, 'rob', 'GET', `/api/cards/${card}/custody`)).status).toBe(200);
  });
});

describe('whose customer is this: decided by the customer’s own identity, conflicts flagged', () => {
  let world: World;
  // The hostile rep's card sorts first, as a card made to win a tie-break by id would.
  const hers = '00000000-0000-4000-8000-000000000001';
  const real = cid('acme-real');
  beforeAll(async () => {
    world = await makeWorld(
      [
        { name: 'rob', role: 'rep', team: 'north' },
        { name: 'mona', role: 'manager', team: 'north' },
        { name: 'sue', role: 'rep', team: 'south' },
        { name: 'sam', role: 'manager', team: 'south' },
        { name: 'lone', role: 'rep', team: null },
      ],
      ['north', 'south'],
      [
        { id: real, owner: 'rob' },
        { id: hers, owner: 'sue' },
      ],
    );
    await waitUntil(async () => (await world.storage.rowOf(real)) !== undefined && (await world.storage.rowOf(hers)) !== undefined, 10_000, 'the server to index the cards');
    await world.storage.setRow(real, JSON.stringify({ name: 'Acme Trading', emails: ['li@acme.cn'], domains: ['acme.cn'] }), INDEX_ROW_VERSION);
    // She lists the colleague's customer's domain on her own card.
    await world.storage.setRow(hers, JSON.stringify({ name: 'Acme (mine)', emails: [], domains: ['acme.cn'] }), INDEX_ROW_VERSION);
  });
  afterAll(() => world?.close());

  it('a domain listed on a rep’s own card does not make her the owner', async () => {
    for (const asker of ['lone', 'sue', 'mona']) {
      const found = (await callApi(world, asker, 'GET', '/api/lookup?domain=acme.cn')).body.found;
      expect(found, asker).toMatchObject({ cardId: real, owner: 'rob', team: 'north' });
    }
  });

  it('two cards with the same identity are a conflict: no owner named to strangers, flagged to both managers', async () => {
    await world.storage.setRow(hers, JSON.stringify({ name: 'Acme (mine)', emails: ['wang@acme.cn'], domains: ['acme.cn'] }), INDEX_ROW_VERSION);
    const found = (await callApi(world, 'lone', 'GET', '/api/lookup?domain=acme.cn')).body.found;
    expect(found).toMatchObject({ conflict: true, readable: false, owner: '', team: null });
    expect((await callApi(world, 'rob', 'GET', '/api/lookup?domain=acme.cn')).body.found).toMatchObject({ cardId: real, readable: true, conflict: true });
    for (const [manager, card] of [['mona', real], ['sam', hers]] as const) {
      const audit = (await callApi(world, manager, 'GET', `/api/audit?card=${card}`)).body.events as { action: string; detail: string }[];
      expect(audit.some((event) => event.action === 'ownership-conflict' && event.detail.includes('acme.cn')), manager).toBe(true);
    }
  });
});
