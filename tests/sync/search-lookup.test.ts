/**
 * "Whose customer is this?" from the side panel's search, against the real server: the search
 * asks only what the lookup from an open email asks (a whole email, then its company domain, or a
 * whole domain: extension/ui/sidepanel/search-lookup.ts), through the same endpoint with the
 * same per-user rate. Hostile first: guesses — fragments, patterns, names, near misses — learn
 * nothing, and a flood of guesses is cut off.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INDEX_ROW_VERSION } from '../../sync-server/card-row.ts';
import { lookupKeyOfQuery } from '../../extension/ui/sidepanel/search-lookup.ts';
import { cid, waitUntil } from './helpers.ts';
import { callApi, makeWorld, type World } from './world.ts';

describe('the colleague lookup from search', () => {
  let world: World;
  const card = cid('search-lookup-acme');
  beforeAll(async () => {
    world = await makeWorld(
      [
        { name: 'rob', role: 'rep', team: 'north' },
        { name: 'sue', role: 'rep', team: 'south' },
        { name: 'guesser', role: 'rep', team: 'south' },
      ],
      ['north', 'south'],
      [{ id: card, owner: 'rob' }],
    );
    await waitUntil(async () => (await world.storage.rowOf(card)) !== undefined, 10_000, 'the server to index the card');
    await world.storage.setRow(card, JSON.stringify({ name: 'Acme Trading', emails: ['li@acme.cn'], domains: ['acme.cn'] }), INDEX_ROW_VERSION);
  });
  afterAll(() => world?.close());

  /** What the panel's search asks, in the order it asks (use-colleague-lookup.ts); null when it asks nothing. */
  const search = async (user: string, query: string) => {
    const key = lookupKeyOfQuery(query);
    if (!key) return { asked: 0, found: null };
    let asked = 0;
    const ask = async (path: string) => {
      asked++;
      const reply = await callApi(world, user, 'GET', path);
      expect(reply.status, `${path}: ${JSON.stringify(reply.body)}`).toBe(200);
      return reply.body.found as Record<string, unknown> | null;
    };
    const byEmail = key.email ? await ask(`/api/lookup?email=${encodeURIComponent(key.email)}`) : null;
    const found = byEmail ?? (key.domain ? await ask(`/api/lookup?domain=${encodeURIComponent(key.domain)}`) : null);
    return { asked, found };
  };
  /** What mail from `sender` would show: the same endpoint, the sender's email, then its domain. */
  const mail = async (user: string, sender: string) => {
    const byEmail = (await callApi(world, user, 'GET', `/api/lookup?email=${encodeURIComponent(sender)}`)).body.found;
    return byEmail ?? (await callApi(world, user, 'GET', `/api/lookup?domain=${encodeURIComponent(sender.split('@')[1] ?? '')}`)).body.found;
  };

  it('guesses learn nothing: fragments, patterns, names and near misses are never asked or answered', async () => {
    const guesses = ['Acme', 'Acme Trading', 'acme trading', 'acme', 'acm', 'cme.cn', 'acme.c', 'acme.cn.', '.cn', '*.cn', '%acme%', 'acme.*', 'a*', 'li', 'li@', 'li@acme', 'li@acme.c', 'acme.cn.evil.com', 'xacme.cn', 'acme-cn.com'];
    for (const guess of guesses) {
      const { found } = await search('sue', guess);
      expect(found, guess).toBeNull();
    }
    // Names never reach the server at all; the lookup has no name key to ask.
    expect((await search('sue', 'Acme Trading')).asked).toBe(0);
    expect((await callApi(world, 'sue', 'GET', '/api/lookup?name=Acme%20Trading')).status).toBe(400);
    expect((await callApi(world, 'sue', 'GET', '/api/lookup?domain=%25')).body.found).toBeNull();
  });

  it('a whole email or domain gives exactly what mail from them gives: the company, owner and team', async () => {
    for (const query of ['li@acme.cn', 'LI@ACME.CN', 'wang@acme.cn', 'acme.cn', '@acme.cn', 'www.acme.cn']) {
      const { found } = await search('sue', query);
      expect(found, query).toEqual({ cardId: card, readable: false, name: 'Acme Trading', owner: 'rob', team: 'north' });
      if (query.includes('@') && !query.startsWith('@')) expect(await mail('sue', query.toLowerCase()), query).toEqual(found);
    }
    // The owner reads it: the lookup says so, and nothing about borrowing.
    expect((await search('rob', 'acme.cn')).found).toMatchObject({ cardId: card, readable: true });
  });

  it('a flood of guesses from search is cut off at the mail lookup’s rate', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push((await callApi(world, 'guesser', 'GET', `/api/lookup?domain=guess${i}.cn`)).status);
    expect(statuses.slice(0, 30).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(30).filter((s) => s === 429).length).toBeGreaterThanOrEqual(9);
    // Other users are not held back by one user's flood.
    expect((await callApi(world, 'sue', 'GET', '/api/lookup?domain=acme.cn')).status).toBe(200);
  });
});
