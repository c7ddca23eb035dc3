/**
 * Credit control as policy, against the real server process over real sockets: a rep's order over
 * the approved limit (or for a customer rated below the credit floor) is refused unless submitted
 * for approval; a pending order is stored and counted only once the team's manager approves it;
 * a manager of another team, or the rep himself, cannot decide it; the rep's device receives the
 * decision. Edits go through the product's own mutations, as the extension writes them.
 */
import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { applyMutation } from '../../shared/mutations.ts';
import { readCard, readCardState } from '../../shared/card-read.ts';
import type { Mutation } from '../../shared/mutations-types.ts';
import { hashToken, newToken } from '../../sync-server/custody/auth.ts';
import { rowOfState } from '../../sync-server/card-row.ts';
import type { Storage } from '../../sync-server/storage/storage.ts';
import { MemoryDevice, cid, newDataDir, openStorage, startServerProcess, storeArgs, waitUntil, type ServerProcess } from './helpers.ts';

const CARD = cid('credit-approval-card');
const LOW = cid('credit-approval-low');
let server: ServerProcess;
let dataDir: string;
let storage: Storage;
const tokens = new Map<string, string>();
const devices = new Map<string, MemoryDevice>();
let n = 0;

function mutate(doc: Y.Doc, actor: string, mutation: Mutation, cardId: string): void {
  const result = applyMutation(doc, mutation, { actor, now: Date.now(), newId: () => `${actor}-${++n}-${Math.random().toString(36).slice(2, 8)}` }, cardId);
  if (!result.ok) throw new Error(result.message);
}

/** A card of rob's: approved limit 10,000, rating as given, an order of 8,000 and a payment of 2,000 (receivables 6,000). */
function seeded(cardId: string, rating: string): Uint8Array {
  const doc = new Y.Doc();
  mutate(doc, 'rob', { type: 'card-create', name: `Customer ${rating}` }, cardId);
  mutate(doc, 'mona', { type: 'card-set-field', cardId, field: 'creditLimitApproved', value: 10_000, reason: 'review' }, cardId);
  mutate(doc, 'mona', { type: 'card-set-field', cardId, field: 'creditRating', value: rating, reason: 'review' }, cardId);
  mutate(doc, 'mona', { type: 'ledger-add', cardId, kind: 'order', date: Date.now() - 86_400_000, amount: 8_000 }, cardId);
  mutate(doc, 'mona', { type: 'ledger-add', cardId, kind: 'payment', date: Date.now(), amount: 2_000 }, cardId);
  return Y.encodeStateAsUpdate(doc);
}

async function device(user: string): Promise<MemoryDevice> {
  const d = new MemoryDevice();
  d.connect(server.url, tokens.get(user)!);
  devices.set(`${user}-${++n}`, d);
  await d.client!.whenIdle(15_000);
  return d;
}

/**
 * One change by `user` through a mutation, from a device that has just synced (a refused change
 * stays on the device that made it, so each change starts from the server's card); resolves with
 * the refusals it caused ([] when stored).
 */
async function write(user: string, cardId: string, mutation: Mutation | ((doc: Y.Doc) => void)): Promise<string[]> {
  const d = await device(user);
  try {
    d.edit(cardId, (doc) => (typeof mutation === 'function' ? mutation(doc) : mutate(doc, user, mutation, cardId)));
    await d.client!.whenIdle(15_000);
    return d.dropped;
  } finally {
    d.disconnect();
  }
}

async function storedView(cardId: string) {
  return readCardState((await storage.getCard(cardId))!.state, cardId);
}

beforeAll(async () => {
  dataDir = newDataDir();
  storage = await openStorage(dataDir);
  await storage.addTeam('north');
  await storage.addTeam('south');
  for (const [name, role, team] of [['rob', 'rep', 'north'], ['mona', 'manager', 'north'], ['sam', 'manager', 'south']] as const) {
    await storage.addUser(name, role, team);
    const token = newToken();
    await storage.addToken(hashToken(token), name);
    tokens.set(name, token);
  }
  const cards = [seeded(CARD, 'B'), seeded(LOW, 'D')];
  await storage.importCards([CARD, LOW].map((id, i) => ({ id, owner: 'rob', state: cards[i]!, row: rowOfState(cards[i]!, id) })));
  server = await startServerProcess(dataDir);
}, 60_000);

afterAll(async () => {
  for (const d of devices.values()) d.disconnect();
  await server?.stop();
  await storage?.close();
});

describe('credit control on the real server', () => {
  it('refuses a rep’s order just over the limit with a reason, and stores nothing of it', async () => {
    const refused = await write('rob', CARD, { type: 'ledger-add', cardId: CARD, kind: 'order', date: Date.now(), amount: 4_000.5 });
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatch(/^credit-approval: .*over the approved limit of 10000/);
    expect((await storedView(CARD)).ledger.filter((e) => e.kind === 'order').map((e) => e.amount)).toEqual([8_000]);
  });

  it('refuses a rep’s order for a customer rated below the floor, and stores it submitted for approval', async () => {
    expect((await write('rob', LOW, { type: 'ledger-add', cardId: LOW, kind: 'order', date: Date.now(), amount: 10 }))[0]).toMatch(/^credit-approval: .*rated D, below C/);
    expect(await write('rob', LOW, { type: 'ledger-add', cardId: LOW, kind: 'order', date: Date.now(), amount: 10, pending: true })).toEqual([]);
    expect((await storedView(LOW)).creditApprovals).toMatchObject([{ status: 'pending', order: { amount: 10, by: 'rob' } }]);
  });

  it('stores a submitted order as pending; only the team’s manager decides it, and the rep’s device sees the decision', async () => {
    expect(await write('rob', CARD, { type: 'ledger-add', cardId: CARD, kind: 'order', date: Date.now(), amount: 9_000, pending: true })).toEqual([]);
    const waiting = await storedView(CARD);
    expect(waiting.creditApprovals).toMatchObject([{ status: 'pending', order: { amount: 9_000 } }]);
    expect(waiting.ledger.filter((e) => e.kind === 'order').map((e) => e.amount)).toEqual([8_000]);
    const row = JSON.parse((await storage.rowOf(CARD)) ?? '{}') as { receivables?: number; approvals?: { status: string }[] };
    expect(row.receivables).toBe(6_000);
    expect(row.approvals?.map((a) => a.status)).toEqual(['pending']);
    const orderId = waiting.creditApprovals![0]!.order.id;
    const waitingState = (await storage.getCard(CARD))!.state;

    // The rep approves his own order: refused. A manager of another team: the card is not hers.
    expect((await write('rob', CARD, { type: 'credit-decide', cardId: CARD, orderId, approve: true }))[0]).toMatch(/^controlled-field/);
    const sam = await write('sam', CARD, (doc) => {
      Y.applyUpdate(doc, waitingState);
      mutate(doc, 'sam', { type: 'credit-decide', cardId: CARD, orderId, approve: true }, CARD);
    });
    expect(sam[0]).toMatch(/^not-found/);

    // The team's manager approves: the order counts, and the rep's device shows it approved.
    expect(await write('mona', CARD, { type: 'credit-decide', cardId: CARD, orderId, approve: true, reason: 'long-standing customer' })).toEqual([]);
    const approved = await storedView(CARD);
    expect(approved.creditApprovals).toMatchObject([{ status: 'approved', decision: { by: 'mona', reason: 'long-standing customer' } }]);
    expect(approved.ledger.filter((e) => e.kind === 'order').map((e) => e.amount)).toEqual([8_000, 9_000]);
    const rob = await device('rob');
    await waitUntil(() => readCard(rob.doc(CARD), CARD).creditApprovals?.[0]?.status === 'approved', 15_000, 'the rep’s device to receive the decision');
  }, 90_000);

  it('applies the company’s floor, as an admin sets it: D lets a D customer’s order through, C holds it back again', async () => {
    const policy = (...args: string[]) =>
      new Promise<number>((resolve) => execFile(process.execPath, ['--import', 'tsx', 'sync-server/admin.ts', ...storeArgs(dataDir), 'policy', 'set', ...args], (error) => resolve(error ? 1 : 0)));
    // The server reads the rules it uses on the write path at most a second old.
    const settle = () => new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(await policy('creditFloor', 'D')).toBe(0);
    await settle();
    expect(await write('rob', LOW, { type: 'ledger-add', cardId: LOW, kind: 'order', date: Date.now(), amount: 5 })).toEqual([]);
    expect(await policy('creditFloor', 'C')).toBe(0);
    await settle();
    expect((await write('rob', LOW, { type: 'ledger-add', cardId: LOW, kind: 'order', date: Date.now(), amount: 5 }))[0]).toMatch(/^credit-approval: .*rated D, below C/);
  }, 90_000);
});
