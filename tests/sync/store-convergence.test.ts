/**
 * The convergence harness on the real device store: devices built with `createCardStore` (over
 * fake-indexeddb, the store's real code) and the real sync client, against the real server
 * process. Stored writes fail at random (an IndexedDB write that throws, before or after it
 * took effect), live UPDATEs race each first sync, and devices go offline and back. Every device
 * must end with every card the writer has, field by field; no card may be listed but unreadable;
 * and a reconnect from each stored cursor must bring nothing new (no cursor passed a card the
 * device did not store). The seed is printed on failure. And an import's and a restore's new
 * cards, kept in the outbox a pack per batch, reach the server and another device one by one.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { seededRandom } from '../../shared/random.ts';
import { createCardStore, type CardStore } from '../../extension/store/card-store.ts';
import { storeSyncStorage } from '../../extension/sync/store-adapter.ts';
import { createSyncClient, type SyncClient } from '../../extension/sync/sync-client.ts';
import type { SyncStorage, WebSocketClass } from '../../extension/sync/types.ts';
import { addUser, newDataDir, startServerProcess, type ServerProcess } from './helpers.ts';

const SEEDS = [11, 29];

let server: ServerProcess;
let dataDir: string;

beforeAll(async () => {
  dataDir = newDataDir();
  server = await startServerProcess(dataDir);
});

afterAll(async () => {
  await server?.stop();
});

interface Device {
  store: CardStore;
  client: SyncClient | undefined;
  failures: number;
  connect(): void;
  disconnect(): void;
}

/**
 * A device; with `failRate`, the storage's writes throw at random, half of them after the
 * write took effect (the error a caller sees when IndexedDB commits but the tab dies), up to
 * `failBudget` times.
 */
function makeDevice(name: string, user: string, token: string, random: () => number, failRate = 0, failBudget = 0): Device {
  // The actor is the signed-in user: the server refuses records naming anyone else.
  const store = createCardStore({ dbName: `cards-${name}`, actor: () => user, indexedDB: new IDBFactory(), IDBKeyRange });
  const real = storeSyncStorage(store);
  const device: Device = {
    store,
    client: undefined,
    failures: 0,
    connect() {
      device.client = createSyncClient({ url: `${server.url}/sync`, token, WebSocket: WebSocket as unknown as WebSocketClass, storage, backoff: { base: 20, cap: 200 }, random });
    },
    disconnect() {
      device.client?.close();
      device.client = undefined;
    },
  };
  const maybeFail = async <T>(write: () => Promise<T>): Promise<T> => {
    if (device.failures >= failBudget || random() >= failRate) return write();
    device.failures++;
    if (random() < 0.5) throw new Error('injected IndexedDB write failure');
    await write();
    throw new Error('injected IndexedDB failure after the write');
  };
  const storage: SyncStorage = {
    ...real,
    applyRemote: (updates) => maybeFail(() => real.applyRemote(updates)),
    setCursor: (cursor) => maybeFail(() => real.setCursor(cursor)),
  };
  store.onChange(() => device.client?.pushNow());
  return device;
}

async function eventually(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Every card as the user sees it: fields, people and timeline texts (ids and order included). */
async function snapshot(store: CardStore): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const row of await store.listCards({ limit: 10_000 })) {
    const card = await store.getCard(row.id);
    out.set(row.id, card ? JSON.stringify({ fields: card.fields, contacts: card.contacts.map((c) => c.name), timeline: card.timeline.map((e) => e.text) }) : 'UNREADABLE');
  }
  return out;
}

async function run(seed: number): Promise<void> {
  const random = seededRandom(seed);
  // A user of its own per seed: its devices hold only this run's cards.
  const token = await addUser(dataDir, `rep-${seed}`);
  const writer = makeDevice(`writer-${seed}`, `rep-${seed}`, token, random);
  writer.connect();
  const ids: string[] = [];
  for (let i = 0; i < 40; i++) {
    const made = await writer.store.mutate({ type: 'card-create', name: `Seed ${seed} customer ${i} 贸易`, contact: { name: `Buyer ${i}`, email: `buyer${i}@s${seed}c${i}.example.cn` } });
    if (!made.ok) throw new Error(made.message);
    ids.push(made.value.cardId);
  }
  await writer.client!.whenIdle(30_000);

  const readers = [makeDevice(`reader-a-${seed}`, `rep-${seed}`, token, random, 0.3, 12), makeDevice(`reader-b-${seed}`, `rep-${seed}`, token, random, 0.15, 8)];
  for (const reader of readers) reader.connect();
  // Live changes race the readers' first syncs; the readers drop offline and come back.
  for (let step = 0; step < 40; step++) {
    const id = ids[Math.floor(random() * ids.length)]!;
    const kind = random();
    const result =
      kind < 0.6
        ? await writer.store.mutate({ type: 'note-add', cardId: id, text: `step ${step} 备注` })
        : await writer.store.mutate({ type: 'card-set-field', cardId: id, field: 'city', value: `City ${step}` });
    if (!result.ok) throw new Error(result.message);
    if (random() < 0.1) {
      const reader = readers[Math.floor(random() * readers.length)]!;
      reader.disconnect();
      setTimeout(() => reader.connect(), 30);
    }
    await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 15)));
  }
  await writer.client!.whenIdle(30_000);
  const expected = await snapshot(writer.store);
  expect(expected.size).toBe(40);

  for (const [i, reader] of readers.entries()) {
    let last = '';
    await eventually(async () => {
      if (!reader.client) return false;
      const got = await snapshot(reader.store);
      const missing = [...expected].filter(([id, view]) => got.get(id) !== view).map(([id]) => id);
      last = `reader ${i}: ${missing.length} card(s) differ, ${[...got.values()].filter((v) => v === 'UNREADABLE').length} unreadable, ${reader.failures} injected failure(s)`;
      return missing.length === 0 && got.size === expected.size;
    }, 60_000, `convergence (seed ${seed})`).catch(async (error: unknown) => {
      const refused = (await writer.store.refusedChanges()).map((r) => `${r.code}: ${r.message}`);
      throw new Error(`${error instanceof Error ? error.message : String(error)}; ${last}; the writer's refused changes: ${refused.join(' | ') || 'none'}; replay with seed ${seed}`);
    });
  }

  // A fresh connection from each stored cursor brings nothing new and finds nothing missing.
  for (const reader of readers) {
    reader.disconnect();
    reader.connect();
    await reader.client!.whenIdle(30_000);
    expect(await snapshot(reader.store)).toEqual(expected);
    expect(reader.failures).toBeGreaterThan(0);
  }
  for (const device of [writer, ...readers]) {
    device.disconnect();
    device.store.close();
  }
}

describe('convergence on the real store', () => {
  for (const seed of SEEDS) {
    it(`seed ${seed}: devices converge through failed writes, racing live updates and reconnects`, () => run(seed), 120_000);
  }
});

describe("an import's and a restore's cards (outbox packs) on the real store", () => {
  it('reach the server one card at a time, with an edit made after them, and another device gets them all', async () => {
    const token = await addUser(dataDir, 'rep-packs');
    const writer = makeDevice('writer-packs', 'rep-packs', token, seededRandom(5));
    writer.connect();
    // Two outbox packs from an import, one from a restore of cards made on another device.
    const creates = Array.from({ length: 700 }, (_, i) => ({ row: i + 2, fields: { name: `Imported ${i} 贸易`, city: 'Leeds' }, contacts: [{ name: `Buyer ${i}`, email: `b${i}@imported${i}.example.cn`, phone: '', profile: {} }] }));
    const imported = await writer.store.runImport({ fileName: 'list.xlsx', reason: 'import list.xlsx', creates, fills: [], skipped: [] });
    expect(imported).toMatchObject({ ok: true, value: { created: 700 } });
    const elsewhere = createCardStore({ dbName: 'cards-elsewhere', actor: () => 'rep-packs', indexedDB: new IDBFactory(), IDBKeyRange });
    const restoredCreates = Array.from({ length: 300 }, (_, i) => ({ row: i + 2, fields: { name: `Restored ${i}` }, contacts: [] }));
    expect((await elsewhere.runImport({ fileName: 'old.csv', reason: 'import old.csv', creates: restoredCreates, fills: [], skipped: [] })).ok).toBe(true);
    const restored = await writer.store.restoreBackup(await elsewhere.createBackup());
    elsewhere.close();
    expect(restored).toMatchObject({ ok: true, value: { new: 300 } });
    const edited = (await writer.store.search('Imported 650'))[0]!.id;
    expect((await writer.store.mutate({ type: 'card-set-field', cardId: edited, field: 'city', value: 'York' })).ok).toBe(true);
    await writer.client!.whenIdle(60_000);
    expect(await writer.store.pendingCount()).toBe(0);
    expect(await writer.store.refusedChanges()).toEqual([]);
    const expected = await snapshot(writer.store);
    expect(expected.size).toBe(1_000);

    const reader = makeDevice('reader-packs', 'rep-packs', token, seededRandom(6));
    reader.connect();
    await reader.client!.whenIdle(60_000);
    expect(await snapshot(reader.store)).toEqual(expected);
    expect((await reader.store.getCard(edited))?.fields.city).toBe('York');
    for (const device of [writer, reader]) {
      device.disconnect();
      device.store.close();
    }
  }, 120_000);
});
