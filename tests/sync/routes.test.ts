/**
 * The route suite: every route the server answers, read from the server's own routing
 * (server-routes.ts), is checked against the one table of rules (route-rules.ts), and one case
 * per route and kind of caller is generated from that table and run against the real server
 * process — each case on a fresh card with its own loan, loan request and proposal. Besides the
 * expected status or close code, no reply to someone who may not read the card carries its
 * content, and every "not found" is the one reply that also answers for a card that does not exist.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_SUCH_CARD, NO_SUCH_REQUEST } from '../../sync-server/custody/custody.ts';
import { INDEX_ROW_VERSION } from '../../sync-server/card-row.ts';
import { everyRoute } from '../../sync-server/endpoints/server-routes.ts';
import { MemoryDevice, cid, rawSql, waitUntil } from './helpers.ts';
import { PERSONAS, ROUTE_RULES, routeKey, type Fixture, type Outcome, type Persona, type WsOutcome } from './route-rules.ts';
import { ADMIN_CLI, callApi, makeWorld, sentinelState, stockClient, type World } from './world.ts';

const USER_OF: Record<Exclude<Persona, 'stranger'>, string> = {
  owner: 'rob',
  colleague: 'rita',
  manager: 'mona',
  otherManager: 'sam',
  borrower: 'bea',
  pastBorrower: 'pat',
  admin: 'ada',
  disabled: 'dan',
};
const STRANGER_TOKEN = 'cct_not-a-token-of-anyone-here';

describe('every route the server answers has a rule', () => {
  it('the table of rules names exactly the server’s routes', () => {
    const served = everyRoute().map(routeKey).sort();
    expect(served.filter((key) => !(key in ROUTE_RULES)), 'routes without a rule').toEqual([]);
    expect(Object.keys(ROUTE_RULES).filter((key) => !served.includes(key)), 'rules for routes the server does not answer').toEqual([]);
  });
});

describe('the route suite, generated from the table', () => {
  let world: World;
  let serial = 0;
  beforeAll(async () => {
    world = await makeWorld(
      [
        { name: 'rob', role: 'rep', team: 'north' },
        { name: 'rita', role: 'rep', team: 'north' },
        { name: 'mona', role: 'manager', team: 'north' },
        { name: 'sam', role: 'manager', team: 'south' },
        { name: 'sue', role: 'rep', team: 'south' },
        { name: 'bea', role: 'rep', team: 'south' },
        { name: 'pat', role: 'rep', team: 'south' },
        { name: 'ada', role: 'admin', team: null },
        { name: 'dan', role: 'rep', team: 'north' },
      ],
      ['north', 'south'],
      [],
    );
    await world.custody.disableUser('dan');
  });
  afterAll(() => world?.close());

  const tokenOf = (persona: Persona) => (persona === 'stranger' ? STRANGER_TOKEN : world.tokens.get(USER_OF[persona])!);

  /** A fresh card of rob's, lent to bea (and to pat, whose loan has ended), with sue's loan request and rob's proposal open on it. */
  async function fixture(): Promise<Fixture> {
    const cardId = cid(`route-case-${++serial}`);
    const email = `buyer${serial}@route-case.example`;
    await world.storage.importCards([{ id: cardId, owner: 'rob', state: sentinelState(cardId, `Route case ${serial}`, 'rob'), row: JSON.stringify({ name: `Route case ${serial}`, emails: [email], domains: [] }), rowVersion: INDEX_ROW_VERSION }]);
    await world.custody.grantLoan(ADMIN_CLI, cardId, 'bea', Date.now() + 86_400_000, 'route case', false);
    // pat's loan has come to its end (as the clock would bring it).
    await world.custody.grantLoan(ADMIN_CLI, cardId, 'pat', Date.now() + 86_400_000, 'route case', true);
    await rawSql(world.dataDir, "UPDATE loans SET until = ? WHERE card_id = ? AND borrower = 'pat'", [Date.now() - 1, cardId]);
    const sue = (await world.storage.getUser('sue'))!;
    const rob = (await world.storage.getUser('rob'))!;
    const loanRequestId = (await world.custody.requestLoan(sue, cardId, Date.now() + 86_400_000, 'route case')).id;
    const proposalId = (await world.custody.propose(rob, cardId, 'creditRating', 'A', 'route case')).id;
    return { cardId, email, loanRequestId, proposalId };
  }

  async function overSync(persona: Persona, f: Fixture): Promise<WsOutcome> {
    const device = new MemoryDevice();
    device.connect(world.server.url, tokenOf(persona));
    try {
      await waitUntil(() => ['online', 'user-disabled', 'token-rejected'].includes(device.client!.status().state), 10_000, `${persona} to sync`);
      const state = device.client!.status().state;
      if (state === 'user-disabled') return 4410;
      if (state === 'token-rejected') return 4401;
      return device.docs.get(f.cardId)?.getMap('card').get('sentinel') === `SENTINEL-${f.cardId}` ? 'receives' : device.docs.has(f.cardId) ? -1 : 'nothing';
    } finally {
      device.disconnect();
    }
  }

  async function overY(persona: Persona, f: Fixture): Promise<WsOutcome> {
    const client = stockClient({ ...world, tokens: new Map([['caller', tokenOf(persona)]]) }, 'caller', f.cardId);
    try {
      // Synced (an empty room gives nothing, however long one waits), closed, or the card came.
      await waitUntil(() => client.closes.length > 0 || client.provider.synced || client.doc.getMap('card').get('sentinel') !== undefined, 10_000, `${persona} on /y`);
      await new Promise((resolve) => setTimeout(resolve, 300));
      if (client.doc.getMap('card').get('sentinel') !== undefined) return 'receives';
      return client.closes[0] ?? 'nothing';
    } finally {
      client.provider.destroy();
    }
  }

  const cases = Object.entries(ROUTE_RULES).flatMap(([route, rule]) => PERSONAS.map((persona) => ({ route, rule, persona })));

  it.each(cases)('$route as $persona', async ({ route, rule, persona }) => {
    const f = await fixture();
    const expected: Outcome = rule.expect[persona];
    if (!rule.request) {
      const got = route === 'GET /sync' ? await overSync(persona, f) : await overY(persona, f);
      expect(got).toBe(expected);
      return;
    }
    const request = rule.request(f);
    const response = await fetch(`${world.server.url.replace('ws', 'http')}${request.path}`, {
      method: request.method,
      headers: { authorization: `Bearer ${tokenOf(persona)}`, 'content-type': 'application/json' },
      ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
    });
    const text = await response.text();
    const outcome = expected as { status: number; names?: boolean };
    expect(response.status, text.slice(0, 300)).toBe(outcome.status);
    if (outcome.names !== undefined) expect(text.includes(f.cardId), `whether the reply names the card: ${text.slice(0, 300)}`).toBe(outcome.names);
    // No reply ever carries a card's content; a refusal's "not found" is the one for a card that does not exist.
    expect(text).not.toContain('SENTINEL');
    if (response.status === 404) expect([NO_SUCH_CARD, NO_SUCH_REQUEST]).toContain((JSON.parse(text) as { message: string }).message);
  });

  it('no refusal above differs from the refusal for a card that does not exist', async () => {
    const missing = cid('route-case-never-made');
    const a = await callApi(world, 'rita', 'GET', `/api/cards/${missing}/custody`);
    expect(a.body.message).toBe(NO_SUCH_CARD);
  });
});
