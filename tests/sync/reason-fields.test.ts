/**
 * The company's reason fields (policy `reasonFields`) against the real server process over real
 * sockets: once an admin lists a field, the very next update changing it without a change record
 * carrying a non-empty reason is refused, whoever sends it; with a reason it is stored. Edits are
 * raw Yjs updates (what a hostile device can send) and the product's own mutation (what the
 * extension sends), which refuses on the device first.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readCardState } from '../../shared/card-read.ts';
import { applyMutation } from '../../shared/mutations.ts';
import { MemoryDevice, cid } from './helpers.ts';
import { callApi, makeWorld, type World } from './world.ts';

const CARD = cid('reason-fields-card');

describe("the company's reason fields", () => {
  let world: World;
  beforeAll(async () => {
    world = await makeWorld(
      [
        { name: 'rob', role: 'rep', team: 'north' },
        { name: 'mona', role: 'manager', team: 'north' },
        { name: 'gm', role: 'admin', team: null },
      ],
      ['north'],
      [{ id: CARD, owner: 'rob' }],
    );
  });
  afterAll(() => world?.close());

  /** One raw change by `user` from a freshly synced device; resolves with the refusals it caused ([] when stored). */
  async function send(user: string, change: (doc: Y.Doc) => void): Promise<string[]> {
    const device = new MemoryDevice();
    device.connect(world.server.url, world.tokens.get(user)!);
    try {
      await device.client!.whenIdle(15_000);
      device.edit(CARD, change);
      await device.client!.whenIdle(15_000);
      return device.dropped;
    } finally {
      device.disconnect();
    }
  }

  /** Sets `field` with a change record carrying `reason` (undefined: no reason key at all). */
  const setWith = (by: string, field: string, value: string, reason: unknown) => (doc: Y.Doc) =>
    doc.transact(() => {
      doc.getMap('card').set(field, value);
      doc.getArray('history').push([{ at: Date.now(), by, mutation: 'card-set-field', target: field, from: null, to: value, ...(reason === undefined ? {} : { reason }) }]);
    });

  const stored = async () => readCardState((await world.storage.getCard(CARD))!.state, CARD);

  it('takes a change of a field without a reason while the policy does not list it', async () => {
    expect(await send('rob', setWith('rob', 'phone', '021-1000', undefined))).toEqual([]);
    expect((await stored()).fields.phone).toBe('021-1000');
  });

  it('refuses the next update changing a newly listed field without a reason, or with an empty one, from a rep and a manager', async () => {
    const set = await callApi(world, 'gm', 'POST', '/api/policy', { values: { reasonFields: 'phone' } });
    expect(set.status).toBe(200);
    expect(set.body.policy.policy.reasonFields).toContain('phone');
    for (const [user, reason] of [['rob', undefined], ['rob', ''], ['rob', '  '], ['mona', undefined], ['rob', 7]] as const) {
      const refused = await send(user, setWith(user, 'phone', `021-2000 ${user === 'rob' ? 1 : 2}`, reason));
      expect(refused, `${user} with reason ${JSON.stringify(reason)}`).toHaveLength(1);
      expect(refused[0]).toMatch(/^invalid-value: Changing ".*" needs a reason/);
    }
    // Clearing it without a reason is refused as well.
    const cleared = await send('rob', (doc) =>
      doc.transact(() => {
        doc.getMap('card').delete('phone');
        doc.getArray('history').push([{ at: Date.now(), by: 'rob', mutation: 'card-set-field', target: 'phone', from: '021-1000', to: null }]);
      }),
    );
    expect(cleared[0]).toMatch(/needs a reason/);
    expect((await stored()).fields.phone).toBe('021-1000');
    // Fields the policy does not list are untouched by it.
    expect(await send('rob', setWith('rob', 'city', '杭州', undefined))).toEqual([]);
  });

  it('stores the change with a reason, as the product mutation writes it; the device refuses it without one first', async () => {
    expect(await send('rob', setWith('rob', 'phone', '021-3000', 'the new switchboard'))).toEqual([]);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, (await world.storage.getCard(CARD))!.state);
    const ctx = { actor: 'rob', now: Date.now(), newId: () => 'x', reasonFields: ['phone'] };
    expect(applyMutation(doc, { type: 'card-set-field', cardId: CARD, field: 'phone', value: '021-4000' }, ctx, CARD)).toMatchObject({ ok: false, code: 'reason-required' });
    expect(await send('rob', (d) => applyMutation(d, { type: 'card-set-field', cardId: CARD, field: 'phone', value: '021-4000', reason: 'moved offices' }, ctx, CARD))).toEqual([]);
    const card = await stored();
    expect(card.fields.phone).toBe('021-4000');
    expect(card.history.filter((record) => record.target === 'phone').map((record) => record.reason)).toEqual([undefined, 'the new switchboard', 'moved offices']);
  });

  it('stops asking once the policy no longer lists the field', async () => {
    expect((await callApi(world, 'gm', 'POST', '/api/policy', { values: { reasonFields: '' } })).status).toBe(200);
    expect(await send('rob', setWith('rob', 'phone', '021-5000', undefined))).toEqual([]);
    // The controlled fields keep needing one: the policy cannot take them off.
    const rating = await send('mona', setWith('mona', 'creditRating', 'B', undefined));
    expect(rating[0]).toMatch(/needs a reason/);
  });
});
