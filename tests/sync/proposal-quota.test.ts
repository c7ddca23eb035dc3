/**
 * The quota on proposals, hostile first: one rep floods proposals of controlled changes. Past
 * the open-proposal quota the server refuses with 429 `too-many-proposals` (nothing stored,
 * nothing audited), the manager's desk still lists another rep's proposal, a decision frees a
 * place, and the device's own client turns the refusal into a reason in both languages. The
 * server runs in this process, on the backend under test, with a small quota.
 */
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustodyApi, CustodyApiError } from '../../extension/sync/custody-api.ts';
import { custodyFailureText } from '../../extension/ui/common/custody-failure.ts';
import { hashToken, newToken } from '../../sync-server/custody/auth.ts';
import { Custody } from '../../sync-server/custody/custody.ts';
import { editStoredCard } from '../../sync-server/fanout/card-edit.ts';
import { startServer, type RunningServer } from '../../sync-server/endpoints/server.ts';
import type { Storage } from '../../sync-server/storage/storage.ts';
import { cid, newDataDir, openStorage } from './helpers.ts';

const OPEN_QUOTA = 12;
const ROB_CARD = cid('quota-rob-card');
const RITA_CARD = cid('quota-rita-card');

function cardState(name: string, owner: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getMap('card').set('name', name);
  doc.getMap('card').set('owner', owner);
  return Y.encodeStateAsUpdate(doc);
}

describe('the quota on proposals', () => {
  let server: RunningServer;
  let storage: Storage;
  const tokens = new Map<string, string>();

  const call = async (user: string, method: 'GET' | 'POST', path: string, body?: unknown) => {
    const response = await fetch(`${server.url.replace(/^ws/, 'http')}${path}`, {
      method,
      headers: { authorization: `Bearer ${tokens.get(user)}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  };
  const propose = (user: string, cardId: string, value: number) => call(user, 'POST', '/api/proposals', { cardId, field: 'creditLimitApproved', value, reason: `flood ${value}` });

  beforeAll(async () => {
    storage = await openStorage(newDataDir());
    const custody = new Custody(storage, (cardId, actor, mutation) => editStoredCard(storage, cardId, actor, mutation));
    await custody.addTeam('north');
    for (const [name, role] of [['rob', 'rep'], ['rita', 'rep'], ['mona', 'manager']] as const) {
      await custody.addUser(name, role, 'north');
      const token = newToken();
      await storage.addToken(hashToken(token), name);
      tokens.set(name, token);
    }
    await storage.importCards([
      { id: ROB_CARD, owner: 'rob', state: cardState('Rob’s customer', 'rob') },
      { id: RITA_CARD, owner: 'rita', state: cardState('Rita’s customer', 'rita') },
    ]);
    server = await startServer({ port: 0, storage, limits: { openProposalsPerUser: OPEN_QUOTA } });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('a rep flooding proposals is refused past the quota; the manager’s desk still shows a colleague’s proposal', async () => {
    const flood = await Promise.all(Array.from({ length: 60 }, (_, i) => propose('rob', ROB_CARD, 1_000 + i)));
    const accepted = flood.filter((answer) => answer.status === 201);
    const refused = flood.filter((answer) => answer.status !== 201);
    expect(accepted.length).toBe(OPEN_QUOTA);
    expect(refused.length).toBe(60 - OPEN_QUOTA);
    for (const answer of refused) {
      expect(answer.status).toBe(429);
      expect(answer.body).toMatchObject({ error: 'too-many-proposals' });
      expect(answer.body.message).toMatch(/waiting for a decision/);
    }
    // Refused proposals leave nothing: no row, no audit entry.
    expect((await storage.listProposals({ by: 'rob' })).length).toBe(OPEN_QUOTA);
    await server.hub.audits.flush();
    expect((await storage.auditOf({ user: 'rob' })).filter((event) => event.action === 'proposal').length).toBe(OPEN_QUOTA);

    // Another rep is not limited by rob's flood, and the manager sees her proposal.
    const rita = await propose('rita', RITA_CARD, 77_000);
    expect(rita.status).toBe(201);
    const desk = await call('mona', 'GET', '/api/proposals');
    const listed = desk.body.proposals as { id: number; by: string }[];
    expect(listed.some((proposal) => proposal.id === rita.body.proposal.id && proposal.by === 'rita')).toBe(true);
    expect(listed.filter((proposal) => proposal.by === 'rob').length).toBe(OPEN_QUOTA);

    // A decision frees a place.
    const first = accepted[0]!.body.proposal.id as number;
    expect((await call('mona', 'POST', `/api/proposals/${first}/decision`, { approve: false, reason: 'not now' })).status).toBe(200);
    expect((await propose('rob', ROB_CARD, 5_000)).status).toBe(201);
    expect((await propose('rob', ROB_CARD, 5_001)).status).toBe(429);
  }, 30_000);

  it('the device’s client gets the refusal with its code, and shows a reason in English and in Chinese', async () => {
    const api = createCustodyApi(server.url, tokens.get('rob')!);
    const failure = await api.propose(ROB_CARD, 'creditLimitApproved', 9_999, 'one more').then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(CustodyApiError);
    expect((failure as CustodyApiError).code).toBe('too-many-proposals');
    const english = custodyFailureText('en', failure);
    const chinese = custodyFailureText('zh-CN', failure);
    expect(english).toMatch(/waiting for your manager/);
    expect(chinese).toMatch(/待.*决定|等待/);
    expect(chinese).not.toBe(english);
    for (const text of [english, chinese]) expect(text).not.toMatch(/too-many-proposals/);
  });
});
