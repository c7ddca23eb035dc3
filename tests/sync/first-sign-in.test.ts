/**
 * Cards made on a device before its first sign-in (the real device store over fake-indexeddb,
 * the real sync client, the real server process): they name a placeholder ('me', or the name in
 * the settings), which the server would refuse; at the first sign-in they are claimed for the
 * account and reach the server whole, owned by the user, every record naming them. Names that
 * are not placeholders (a restored backup's authors) stay as they are. Cards imported before it
 * (stored in packs, queued in an outbox pack) are claimed too.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { readCard } from '../../shared/card-read.ts';
import { analyseImport } from '../../shared/import/analyse.ts';
import { buildPlan } from '../../shared/import/plan.ts';
import { ROOT } from '../../shared/doc-layout.ts';
import { createCardStore } from '../../extension/store/card-store.ts';
import { readCustodyQueue } from '../../extension/store/custody-queue.ts';
import { claimDoc } from '../../extension/store/local-claim.ts';
import { createCustodyApi } from '../../extension/sync/custody-api.ts';
import { storeSyncStorage } from '../../extension/sync/store-adapter.ts';
import { createSyncClient } from '../../extension/sync/sync-client.ts';
import type { WebSocketClass } from '../../extension/sync/types.ts';
import { addUser, newDataDir, openStorage, startServerProcess, type ServerProcess } from './helpers.ts';

let server: ServerProcess;
let dataDir: string;

beforeAll(async () => {
  dataDir = newDataDir();
  server = await startServerProcess(dataDir);
});

afterAll(async () => {
  await server?.stop();
});

function mustId(result: { ok: boolean; value?: { cardId: string }; message?: string }): string {
  if (!result.ok || !result.value) throw new Error(result.message ?? 'mutation failed');
  return result.value.cardId;
}

describe('the first sign-in', () => {
  it('claims the cards made before it, so the server takes them as the user’s', async () => {
    const token = await addUser(dataDir, 'ada');
    let actor = 'me';
    const store = createCardStore({ dbName: 'cards-first-sign-in', actor: () => actor, indexedDB: new IDBFactory(), IDBKeyRange });
    const first = mustId(await store.mutate({ type: 'card-create', name: 'Offline Trading Co', contact: { name: 'Lin', email: 'lin@offline-trading.example' } }));
    await store.mutate({ type: 'note-add', cardId: first, text: 'Met at the fair', kind: 'visit' });
    await store.mutate({ type: 'ledger-add', cardId: first, kind: 'order', date: Date.now(), amount: 1200 });
    await store.mutate({ type: 'card-set-field', cardId: first, field: 'city', value: '杭州', reason: 'from the business card' });
    // The name typed in the settings is a placeholder too.
    await store.setSetting('userName', 'Ada L.');
    actor = 'Ada L.';
    const second = mustId(await store.mutate({ type: 'card-create', name: '华信贸易有限公司' }));
    // An import before the first sign-in: its cards sit in packs, their outbox entry in an outbox pack.
    const csv = 'Company,Contact,Email,City\nNorth Import Ltd,Ann Lee,ann@north-import.example,Leeds\n东方电子股份有限公司,王芳,wang@dfdz.example,上海\n';
    const analysis = await analyseImport(new TextEncoder().encode(csv), 'before.csv', { existing: await store.importCandidates(true) });
    if (!analysis.ok) throw new Error(analysis.message);
    const imported = await store.runImport(buildPlan('before.csv', analysis.value.records, analysis.value.duplicates, { all: 'create' }));
    expect(imported).toMatchObject({ ok: true, value: { created: 2 } });
    const importedIds = (await store.search('North Import')).concat(await store.search('东方电子')).map((row) => row.id);
    expect(importedIds).toHaveLength(2);

    const client = createSyncClient({ url: `${server.url}/sync`, token, WebSocket: WebSocket as unknown as WebSocketClass, storage: storeSyncStorage(store), backoff: { base: 20, cap: 200 }, random: Math.random });
    store.onChange(() => client.pushNow());
    actor = 'ada';
    await client.whenIdle(20_000);
    expect(await store.refusedChanges()).toEqual([]);
    expect(await store.pendingCount()).toBe(0);

    const storage = await openStorage(dataDir);
    try {
      for (const id of [first, second, ...importedIds]) {
        const stored = await storage.getCard(id);
        expect(stored?.owner).toBe('ada');
        const doc = new Y.Doc();
        Y.applyUpdate(doc, stored!.state);
        const view = readCard(doc, id);
        expect(view.fields.owner).toBe('ada');
        expect(view.fields.createdBy).toBe('ada');
        expect(view.history.length).toBeGreaterThan(0);
        for (const record of view.history) expect(record.by).toBe('ada');
        for (const entry of [...view.timeline, ...view.ledger]) expect(entry.by).toBe('ada');
      }
      const view = await (async () => {
        const doc = new Y.Doc();
        Y.applyUpdate(doc, (await storage.getCard(first))!.state);
        return readCard(doc, first);
      })();
      expect(view.fields.city).toBe('杭州');
      expect(view.timeline.map((e) => e.text)).toContain('Met at the fair');
      expect(view.ledger.map((e) => e.amount)).toEqual([1200]);
    } finally {
      await storage.close();
      client.close();
      store.close();
    }
  });

  it('a rep’s manager-only values set before it become proposals, never a refused card', async () => {
    const token = await addUser(dataDir, 'rob');
    let actor = 'me';
    const store = createCardStore({ dbName: 'cards-first-sign-in-rep', actor: () => actor, indexedDB: new IDBFactory(), IDBKeyRange });
    const id = mustId(await store.mutate({ type: 'card-create', name: 'Limit Before Sign-in Ltd' }));
    await store.mutate({ type: 'card-set-field', cardId: id, field: 'city', value: 'Leeds' });
    expect(await store.mutate({ type: 'card-set-field', cardId: id, field: 'creditLimitApproved', value: 500_000, reason: 'big customer' })).toMatchObject({ ok: true });
    expect(await store.mutate({ type: 'card-set-field', cardId: id, field: 'creditRating', value: 'A', reason: 'pays early' })).toMatchObject({ ok: true });

    const client = createSyncClient({ url: `${server.url}/sync`, token, WebSocket: WebSocket as unknown as WebSocketClass, storage: storeSyncStorage(store), backoff: { base: 20, cap: 200 }, random: Math.random });
    store.onChange(() => client.pushNow());
    actor = 'rob';
    await client.whenIdle(20_000);
    try {
      expect(await store.refusedChanges()).toEqual([]);
      expect(await store.pendingCount()).toBe(0);
      // The values wait as proposals for the manager, with the reasons given.
      const queue = await readCustodyQueue(store);
      expect(queue.map(({ id: _id, at: _at, ...request }) => request)).toEqual([
        { kind: 'propose', cardId: id, field: 'creditLimitApproved', value: 500_000, reason: 'big customer' },
        { kind: 'propose', cardId: id, field: 'creditRating', value: 'A', reason: 'pays early' },
      ]);
      // The card reached the server without them, and the device shows what the server holds.
      const storage = await openStorage(dataDir);
      try {
        const doc = new Y.Doc();
        Y.applyUpdate(doc, (await storage.getCard(id))!.state);
        const view = readCard(doc, id);
        expect(view.fields.city).toBe('Leeds');
        expect(view.fields.creditLimitApproved).toBeUndefined();
        expect(view.history.map((record) => record.target)).not.toContain('creditLimitApproved');
      } finally {
        await storage.close();
      }
      expect((await store.getCard(id))?.fields.creditLimitApproved).toBeUndefined();
    } finally {
      client.close();
      store.close();
    }
  });

  it('a manager of no team: manager-only values set before it become proposals, never a refused card', async () => {
    // The server refuses a teamless manager's controlled values (rights.ts: a manager of the
    // card's team, or an admin); the device learns the team before it sends anything.
    const token = await addUser(dataDir, 'nemo', 'manager');
    let actor = 'me';
    const store = createCardStore({ dbName: 'cards-first-sign-in-teamless', actor: () => actor, indexedDB: new IDBFactory(), IDBKeyRange });
    const id = mustId(await store.mutate({ type: 'card-create', name: 'Teamless Manager Ltd' }));
    await store.mutate({ type: 'card-set-field', cardId: id, field: 'city', value: 'York' });
    expect(await store.mutate({ type: 'card-set-field', cardId: id, field: 'creditLimitApproved', value: 80_000, reason: 'long customer' })).toMatchObject({ ok: true });

    const me = () => createCustodyApi(server.url, token).me();
    const client = createSyncClient({ url: `${server.url}/sync`, token, WebSocket: WebSocket as unknown as WebSocketClass, storage: storeSyncStorage(store, { me }), backoff: { base: 20, cap: 200 }, random: Math.random });
    store.onChange(() => client.pushNow());
    actor = 'nemo';
    await client.whenIdle(20_000);
    try {
      expect(await store.refusedChanges()).toEqual([]);
      expect(await store.pendingCount()).toBe(0);
      const queue = await readCustodyQueue(store);
      expect(queue.map(({ id: _id, at: _at, ...request }) => request)).toEqual([{ kind: 'propose', cardId: id, field: 'creditLimitApproved', value: 80_000, reason: 'long customer' }]);
      const storage = await openStorage(dataDir);
      try {
        const doc = new Y.Doc();
        Y.applyUpdate(doc, (await storage.getCard(id))!.state);
        expect(readCard(doc, id).fields).toMatchObject({ city: 'York', owner: 'nemo' });
        expect(readCard(doc, id).fields.creditLimitApproved).toBeUndefined();
      } finally {
        await storage.close();
      }
    } finally {
      client.close();
      store.close();
    }
  });

  it('a manager of a team keeps the manager-only values set before it', async () => {
    const setup = await openStorage(dataDir);
    try {
      await setup.addTeam('east');
      await setup.addUser('erin', 'manager', 'east');
    } finally {
      await setup.close();
    }
    const token = await addUser(dataDir, 'erin', 'manager');
    let actor = 'me';
    const store = createCardStore({ dbName: 'cards-first-sign-in-manager', actor: () => actor, indexedDB: new IDBFactory(), IDBKeyRange });
    const id = mustId(await store.mutate({ type: 'card-create', name: 'Team Manager Ltd' }));
    expect(await store.mutate({ type: 'card-set-field', cardId: id, field: 'creditLimitApproved', value: 90_000, reason: 'known for years' })).toMatchObject({ ok: true });
    const me = () => createCustodyApi(server.url, token).me();
    const client = createSyncClient({ url: `${server.url}/sync`, token, WebSocket: WebSocket as unknown as WebSocketClass, storage: storeSyncStorage(store, { me }), backoff: { base: 20, cap: 200 }, random: Math.random });
    store.onChange(() => client.pushNow());
    actor = 'erin';
    await client.whenIdle(20_000);
    try {
      expect(await store.refusedChanges()).toEqual([]);
      expect(await readCustodyQueue(store)).toEqual([]);
      const storage = await openStorage(dataDir);
      try {
        const doc = new Y.Doc();
        Y.applyUpdate(doc, (await storage.getCard(id))!.state);
        expect(readCard(doc, id).fields.creditLimitApproved).toBe(90_000);
      } finally {
        await storage.close();
      }
    } finally {
      client.close();
      store.close();
    }
  });

  it('leaves names that are not placeholders as they are', () => {
    const doc = new Y.Doc();
    doc.getMap(ROOT.card).set('owner', 'bob');
    doc.getArray(ROOT.history).push([{ at: 1, by: 'bob', mutation: 'card-create' }, { at: 2, by: 'me', mutation: 'card-set-field' }]);
    const entry = new Y.Map<unknown>();
    doc.getMap(ROOT.timeline).set('e1', entry);
    entry.set('by', 'bob');
    expect(claimDoc(doc, 'ada', ['me'])).toBe(true);
    expect(doc.getMap(ROOT.card).get('owner')).toBe('bob');
    expect(doc.getArray<{ by: string }>(ROOT.history).toArray().map((r) => r.by)).toEqual(['bob', 'ada']);
    expect(entry.get('by')).toBe('bob');
    expect(claimDoc(doc, 'ada', ['me'])).toBe(false);
  });
});
