/**
 * The outbox never stalls: thousands of changes from the real device store, through a slow and
 * then a flapping connection, with refused ones among them, go down to zero waiting without any
 * later local write to push them along (a run of refusals used to end a push for good: the
 * footer showed "800 change(s) waiting" for minutes). Every refused change is kept.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createCardStore, type CardStore } from '../../extension/store/card-store.ts';
import { storeSyncStorage } from '../../extension/sync/store-adapter.ts';
import { createSyncClient, type SyncClient } from '../../extension/sync/sync-client.ts';
import type { WebSocketClass } from '../../extension/sync/types.ts';
import { seededRandom } from '../../shared/random.ts';
import { startFlakyProxy, type FlakyProxy } from './flaky-proxy.ts';
import { addUser, newDataDir, startServerProcess, type ServerProcess } from './helpers.ts';

let server: ServerProcess;
let dataDir: string;
let proxy: FlakyProxy;

beforeAll(async () => {
  dataDir = newDataDir();
  server = await startServerProcess(dataDir);
  proxy = await startFlakyProxy(server.port, 15);
});

afterAll(async () => {
  await proxy?.close();
  await server?.stop();
});

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: () => Promise<string>): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out: ${await what()}`);
}

/** `count` new cards as one import (outbox packs), then their ids. */
async function importCards(store: CardStore, prefix: string, count: number): Promise<string[]> {
  const creates = Array.from({ length: count }, (_, i) => ({ row: i + 2, fields: { name: `${prefix} ${i}` }, contacts: [] }));
  const result = await store.runImport({ fileName: `${prefix}.csv`, reason: `import ${prefix}.csv`, creates, fills: [], skipped: [] });
  if (!result.ok) throw new Error(result.message);
  return (await store.listCards({ limit: count + 10 })).filter((row) => row.name.startsWith(prefix)).map((row) => row.id);
}

describe('the outbox under a slow and a flapping connection', () => {
  it('sends a few thousand changes, refused ones among them, down to zero waiting', async () => {
    const token = await addUser(dataDir, 'rep-flow');
    const store = createCardStore({ dbName: 'cards-flow', actor: () => 'rep-flow', indexedDB: new IDBFactory(), IDBKeyRange });
    let client: SyncClient | undefined;
    const connect = () => {
      client = createSyncClient({ url: `${proxy.url}/sync`, token, WebSocket: WebSocket as unknown as WebSocketClass, storage: storeSyncStorage(store), backoff: { base: 50, cap: 400 }, random: seededRandom(3) });
    };
    const waiting = () => store.pendingCount();
    const report = async () => `${await waiting()} waiting, ${await store.refusedCount()} refused, state ${client?.status().state}`;
    try {
      // First the cards reach the server; then 250 changes a rep may not make (the approved credit
      // limit), then 250 ordinary edits, queued while offline; nothing pushes after the connect.
      const ids = await importCards(store, 'Flow', 1_200);
      connect();
      await waitFor(async () => (await waiting()) === 0, 90_000, report);
      client!.close();
      for (const id of ids.slice(0, 250)) expect((await store.mutate({ type: 'card-set-field', cardId: id, field: 'creditLimitApproved', value: 1000, reason: 'asked for' })).ok).toBe(true);
      for (const id of ids.slice(600, 850)) expect((await store.mutate({ type: 'card-set-field', cardId: id, field: 'city', value: 'Ningbo' })).ok).toBe(true);
      expect(await waiting()).toBe(500);
      connect();
      await waitFor(async () => (await waiting()) === 0, 60_000, report);
      expect(await store.refusedCount()).toBe(250);

      // Flapping: 600 more cards and 300 edits while the connection is cut every 700 ms.
      const more = await importCards(store, 'Flap', 600);
      for (const id of more.slice(0, 300)) await store.mutate({ type: 'note-add', cardId: id, text: 'called' });
      client!.pushNow();
      const flapping = setInterval(() => proxy.cut(), 700);
      try {
        await waitFor(async () => (await waiting()) === 0, 120_000, report);
      } finally {
        clearInterval(flapping);
      }
      expect(await store.refusedCount()).toBe(250);
      expect((await store.refusedChanges()).every((change) => change.code === 'controlled-field')).toBe(true);
    } finally {
      client?.close();
      store.close();
    }
  }, 300_000);
});
