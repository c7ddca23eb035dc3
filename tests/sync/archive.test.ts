/**
 * The archive stays in the company (issue #25), against the real server process: before a device
 * releases an export, a print or a backup it asks `POST /api/archive/take-out`, which answers
 * only the cards the user may take out — a rep her own, never a borrowed one; a manager her
 * team's; an admin every card — and audits what left (which cards, how many, which format). A
 * restore asks `POST /api/archive/readable` and keeps only cards the user may still read. Hostile
 * bodies get a clear refusal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cid, rawSql } from './helpers.ts';
import { ADMIN_CLI, callApi, makeWorld, type World } from './world.ts';

const ROB_1 = cid('archive-rob-1');
const ROB_2 = cid('archive-rob-2');
const RITA_1 = cid('archive-rita-1');
const SUE_1 = cid('archive-sue-1');
const NEVER = cid('archive-never-made');

describe('what may leave the archive', () => {
  let world: World;
  beforeAll(async () => {
    world = await makeWorld(
      [
        { name: 'rob', role: 'rep', team: 'north' },
        { name: 'rita', role: 'rep', team: 'north' },
        { name: 'mona', role: 'manager', team: 'north' },
        { name: 'sue', role: 'rep', team: 'south' },
        { name: 'ada', role: 'admin', team: null },
      ],
      ['north', 'south'],
      [
        { id: ROB_1, owner: 'rob' },
        { id: ROB_2, owner: 'rob' },
        { id: RITA_1, owner: 'rita' },
        { id: SUE_1, owner: 'sue' },
      ],
    );
    // rob borrows rita's card (read and write) and sue's.
    await world.custody.grantLoan(ADMIN_CLI, RITA_1, 'rob', Date.now() + 86_400_000, 'visit', true);
    await world.custody.grantLoan(ADMIN_CLI, SUE_1, 'rob', Date.now() + 86_400_000, 'visit', false);
  });
  afterAll(() => world?.close());

  const all = [ROB_1, ROB_2, RITA_1, SUE_1, NEVER];
  const takeOut = (user: string, kind: string, cardIds: unknown, format = 'csv') => callApi(world, user, 'POST', '/api/archive/take-out', { kind, format, cardIds });

  it('refuses hostile bodies clearly', async () => {
    expect((await takeOut('rob', 'steal', [ROB_1])).body).toMatchObject({ error: 'invalid-value', message: 'kind is export, print or backup' });
    expect((await takeOut('rob', 'export', ROB_1)).status).toBe(400);
    expect((await takeOut('rob', 'export', [ROB_1], 'csv; rm -rf /')).body.error).toBe('invalid-value');
    expect((await takeOut('rob', 'export', Array.from({ length: 50_001 }, () => ROB_1))).body.error).toBe('too-many');
    // Ids of another shape are left out as cards that do not exist, never echoed back.
    const odd = await takeOut('rob', 'export', ['../../etc/passwd', 42, ROB_1.toUpperCase(), ROB_1]);
    expect(odd.body).toEqual({ allowed: [ROB_1], refused: 0 });
    expect((await callApi(world, undefined, 'POST', '/api/archive/take-out', { kind: 'export', format: 'csv', cardIds: [ROB_1] })).status).toBe(401);
    expect((await callApi(world, 'rob', 'POST', '/api/archive/readable', { cardIds: 'all' })).status).toBe(400);
  });

  it('a rep takes out only her own cards, never borrowed ones; a manager her team’s; an admin every card', async () => {
    expect((await takeOut('rob', 'export', all)).body).toEqual({ allowed: [ROB_1, ROB_2], refused: 3 });
    expect((await takeOut('rob', 'print', [RITA_1], 'a4')).body).toEqual({ allowed: [], refused: 1 });
    expect((await takeOut('rob', 'backup', all, 'json')).body).toEqual({ allowed: [ROB_1, ROB_2], refused: 3 });
    expect((await takeOut('mona', 'export', all)).body).toEqual({ allowed: [ROB_1, ROB_2, RITA_1], refused: 2 });
    expect((await takeOut('sue', 'export', all)).body).toEqual({ allowed: [SUE_1], refused: 4 });
    expect((await takeOut('ada', 'export', all, 'xlsx')).body).toEqual({ allowed: [ROB_1, ROB_2, RITA_1, SUE_1], refused: 1 });
  });

  it('a rep asking for borrowed and foreign cards gets them refused, and they are not among the audited cards that left', async () => {
    const asked = await takeOut('rob', 'backup', [RITA_1, SUE_1, ROB_2], 'json');
    expect(asked.body).toEqual({ allowed: [ROB_2], refused: 2 });
    const run = (await world.storage.auditOf({ user: 'rob' })).find((event) => event.action === 'backup' && event.detail === 'json: 1 card(s), 2 refused');
    expect(run).toMatchObject({ cardId: null, cards: [ROB_2] });
    // Refused alone: the run is audited with its count, no card left.
    expect((await takeOut('rob', 'print', [SUE_1], 'a4')).body).toEqual({ allowed: [], refused: 1 });
    const refused = (await world.storage.auditOf({ user: 'rob' })).find((event) => event.action === 'print' && event.detail === 'a4: 0 card(s), 1 refused');
    expect(refused).toBeDefined();
    expect(refused!.cards).toBeUndefined();
    for (const card of [RITA_1, SUE_1]) expect((await world.storage.auditOf({ cardId: card })).filter((event) => event.user === 'rob' && ['export', 'print', 'backup'].includes(event.action))).toEqual([]);
  });

  it('audits a take-out as one entry: the format, how many, how many refused, and the cards that left', async () => {
    const before = (await world.storage.auditOf({ user: 'rob' })).length;
    await takeOut('rob', 'export', [ROB_1, RITA_1, ROB_2], 'xlsx');
    const robs = await world.storage.auditOf({ user: 'rob' });
    expect(robs.length - before).toBe(1);
    expect(robs[0]).toMatchObject({ action: 'export', cardId: null, detail: 'xlsx: 2 card(s), 1 refused', cards: [ROB_1, ROB_2] });
    // Each card's audit finds the run by the card, as if it were the card's own entry.
    const onCard = await world.storage.auditOf({ cardId: ROB_1 });
    expect(onCard[0]).toMatchObject({ user: 'rob', action: 'export', cardId: ROB_1, detail: 'xlsx: 2 card(s), 1 refused' });
    expect(onCard[0]!.cards).toBeUndefined();
    // The borrowed card's audit shows no export by rob, only the refusal counted on his request.
    const borrowed = await world.storage.auditOf({ cardId: RITA_1 });
    expect(borrowed.filter((event) => event.user === 'rob' && ['export', 'print', 'backup'].includes(event.action))).toEqual([]);
    // The card's manager reads the export in the card's audit through the API.
    const seen = await callApi(world, 'mona', 'GET', `/api/audit?card=${ROB_1}`);
    expect((seen.body.events as { action: string; user: string }[]).some((event) => event.action === 'export' && event.user === 'rob')).toBe(true);
    // A person's audit shows the run's count to their manager; the list of cards only to an admin.
    const asManager = (await callApi(world, 'mona', 'GET', '/api/audit?user=rob')).body.events as { action: string; cards?: string[] }[];
    expect(asManager.find((event) => event.action === 'export')).not.toHaveProperty('cards');
    const asAdmin = (await callApi(world, 'ada', 'GET', '/api/audit?user=rob')).body.events as { action: string; cards?: string[] }[];
    expect(asAdmin.find((event) => event.action === 'export')?.cards).toEqual([ROB_1, ROB_2]);
  });

  it('a restore keeps only cards the user may read now: a loan that ended takes its card out', async () => {
    expect((await callApi(world, 'rob', 'POST', '/api/archive/readable', { cardIds: all })).body).toEqual({ readable: [ROB_1, ROB_2, RITA_1, SUE_1] });
    // sue's card's loan comes to its end (as the clock would bring it).
    await rawSql(world.dataDir, "UPDATE loans SET until = ? WHERE card_id = ? AND borrower = 'rob'", [Date.now() - 1, SUE_1]);
    expect((await callApi(world, 'rob', 'POST', '/api/archive/readable', { cardIds: all })).body).toEqual({ readable: [ROB_1, ROB_2, RITA_1] });
    expect((await callApi(world, 'sue', 'POST', '/api/archive/readable', { cardIds: all })).body).toEqual({ readable: [SUE_1] });
    expect((await world.storage.auditOf({ user: 'sue' })).some((event) => event.action === 'restore' && event.detail === '1 of 5 card(s) readable')).toBe(true);
  });
});
