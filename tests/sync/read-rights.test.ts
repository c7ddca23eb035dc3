/**
 * Read rights against the real server process, tried as a hostile colleague would (issue 22,
 * items 4–6): a `/y` room joined before its card exists, team moves and loan ends reaching open
 * connections when they take effect, and the replies that must not tell a card's existence,
 * owner or other teams' figures.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOSE } from '../../shared/sync/protocol.ts';
import { MemoryDevice, cid, waitUntil } from './helpers.ts';
import { makeWorld, stockClient, type World } from './world.ts';

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
