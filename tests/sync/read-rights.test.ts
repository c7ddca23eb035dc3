/**
 * Read rights against the real server process, tried as a hostile colleague would (issue 22,
 * items 4–6): a `/y` room joined before its card exists, team moves and loan ends reaching open
 * connections when they take effect, and the replies that must not tell a card's existence,
 * owner or other teams' figures.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOSE } from '../../shared/sync/protocol.ts';
import { MemoryDevice, cid, waitUntil } from './helpers.ts';
import { ADMIN_CLI, makeWorld, stockClient, type World } from './world.ts';

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
      rob.edit(id, (doc) => doc.getMap('card').set('name', 'Secret Trading'));
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
      sue.doc.getMap('card').set('name', 'Made on /y');
      await waitUntil(async () => (await world.storage.getCard(id))?.owner === 'sue', 10_000, 'the card to be stored');
      await sleep(500);
      expect(sue.closes).toEqual([]);
      const device = new MemoryDevice();
      device.connect(world.server.url, world.tokens.get('sue')!);
      device.edit(id, (doc) => doc.getMap('card').set('city', 'Tainan'));
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
    nina.edit(card, (doc) => doc.getMap('card').set('name', 'The new rep’s first customer'));
    await nina.client!.whenIdle();
    await waitUntil(() => mona.docs.get(card)?.getMap('card').get('name') === 'The new rep’s first customer', 3_000, 'the manager’s open device to get the new rep’s card');
    mona.disconnect();
    nina.disconnect();
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
    rob.edit(loaned, (doc) => doc.getMap('card').set('city', 'after the loan'));
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
