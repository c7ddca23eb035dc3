/**
 * Sync benchmarks: ours (/sync, one socket, sequence-number feed) against the stock
 * one-connection-per-card y-websocket approach, on the same cards, in the same run:
 *   cold sync of N cards to a fresh Node client — on loopback, and through a 50 ms RTT proxy;
 *   reconnect after 10 of N cards changed (through the proxy); a reconnect with nothing changed;
 *   server memory per stored card nobody has open.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { INDEX_ROW_VERSION } from '../../shared/index-row.ts';
import { MESSAGE } from '../../shared/sync/protocol.ts';
import { hashToken, newToken } from '../../sync-server/custody/auth.ts';
import { openSqliteStorage } from '../../sync-server/storage/storage-sqlite.ts';
import type { Storage } from '../../sync-server/storage/storage.ts';
import { createSyncClient, type SyncClient } from '../../extension/sync/sync-client.ts';
import type { IncomingUpdate, OutgoingUpdate, SyncStorage, WebSocketClass } from '../../extension/sync/types.ts';
import { MemoryDevice, newDataDir, startServerProcess, type ServerProcess } from '../sync/helpers.ts';
import { recordedSet } from '../sync/honest-edit.ts';
import type { BenchCard } from './card-data.ts';
import { startDelayProxy } from './delay-proxy.ts';

export interface OursServer {
  server: ServerProcess;
  token: string;
  dataDir: string;
}

/** The bench user (a rep), owner of the cards, stored with their index rows; returns its token. */
export async function seedBenchUser(storage: Storage, cards: BenchCard[]): Promise<string> {
  await storage.addUser('bench', 'rep');
  const token = newToken();
  await storage.addToken(hashToken(token), 'bench');
  for (let i = 0; i < cards.length; i += 2_000) {
    await storage.importCards(cards.slice(i, i + 2_000).map((card) => ({ id: card.id, owner: 'bench', state: card.state, row: card.row, rowVersion: INDEX_ROW_VERSION })));
  }
  return token;
}

/** One user with a thousand devices: the load measures need more than a person's 50. */
export const BENCH_SERVER_ARGS = ['--max-connections-per-user', '5000'];

/** Our server with the cards stored (owned by the bench user), started as a real process. */
export async function startOurs(cards: BenchCard[], nodeFlags: string[] = []): Promise<OursServer> {
  const dataDir = newDataDir();
  const storage = openSqliteStorage(dataDir);
  const token = await seedBenchUser(storage, cards);
  await storage.close();
  return { server: await startServerProcess(dataDir, 0, nodeFlags, BENCH_SERVER_ARGS), token, dataDir };
}

export interface MemoryReport {
  rss: number;
  /** JavaScript heap plus memory outside it (buffers), after a full GC. */
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

/** Asks a server started with --expose-gc for its memory after a full GC (SIGUSR2). */
export function memoryReport(server: ServerProcess): Promise<MemoryReport> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error('no memory report')), 10_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /memory (\{.*\})/.exec(output);
      if (!match) return;
      clearTimeout(timer);
      server.child.stdout?.off('data', onData);
      resolve(JSON.parse(match[1]!) as MemoryReport);
    };
    server.child.stdout?.on('data', onData);
    server.child.kill('SIGUSR2');
  });
}

/** Heap and off-heap bytes in use after a full GC: what the server holds, without freed pages. */
export function heldBytes(report: MemoryReport): number {
  return report.heapUsed + report.external;
}

export function rssKiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
}

/** A WebSocket class that counts the frames a client sends, by message type. */
export function countingWebSocket(counts: Map<number, number>): WebSocketClass {
  return class extends WebSocket {
    override send(data: Uint8Array): void {
      counts.set(data[0]!, (counts.get(data[0]!) ?? 0) + 1);
      super.send(data);
    }
  } as unknown as WebSocketClass;
}

/**
 * A device as the product keeps cards: each card's Yjs state as bytes (merged on arrival), no
 * Y.Doc built until a card is opened — what the extension's store does, minus IndexedDB.
 */
export class BytesDevice implements SyncStorage {
  async removeCards(): Promise<number> {
    return 0;
  }
  async wipeForDisabledUser(): Promise<{ cards: number; lost: number }> {
    return { cards: 0, lost: 0 };
  }
  readonly states = new Map<string, Uint8Array>();
  cursor = 0;
  client: SyncClient | undefined;

  connect(url: string, token: string, WebSocketClass: WebSocketClass = WebSocket as unknown as WebSocketClass): SyncClient {
    this.client = createSyncClient({ url: `${url}/sync`, token, WebSocket: WebSocketClass, storage: this, backoff: { base: 50, cap: 500 } });
    return this.client;
  }
  disconnect(): void {
    this.client?.close();
    this.client = undefined;
  }
  doc(cardId: string): Y.Doc {
    const doc = new Y.Doc();
    const state = this.states.get(cardId);
    if (state) Y.applyUpdate(doc, state);
    return doc;
  }
  async bindIdentity(): Promise<'same'> {
    return 'same';
  }
  async getCursor() {
    return this.cursor;
  }
  async setCursor(cursor: number) {
    this.cursor = cursor;
  }
  async takePending(_limit: number): Promise<OutgoingUpdate[]> {
    return [];
  }
  async ackPending() {}
  async refusePending(): Promise<'retry' | 'dropped'> {
    return 'dropped';
  }
  async applyRemote(updates: IncomingUpdate[]) {
    for (const { cardId, update } of updates) {
      const existing = this.states.get(cardId);
      this.states.set(cardId, existing ? Y.mergeUpdates([existing, update]) : update.slice());
    }
  }
}

/** Cold sync of every card into a fresh device; returns ms and the device. */
export async function oursColdSync(url: string, token: string, expected: number): Promise<{ ms: number; device: BytesDevice }> {
  const device = new BytesDevice();
  const start = performance.now();
  device.connect(url, token);
  await device.client!.whenIdle(120_000);
  const ms = performance.now() - start;
  if (device.states.size !== expected) throw new Error(`ours: expected ${expected} cards, got ${device.states.size}`);
  return { ms, device };
}

export interface StockServer {
  port: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

export async function startStock(cards: BenchCard[]): Promise<StockServer> {
  const file = join(newDataDir(), 'states.bin');
  const parts: Buffer[] = [];
  for (const card of cards) {
    const id = Buffer.from(card.id, 'utf8');
    const head = Buffer.alloc(2);
    head.writeUInt16LE(id.length);
    const size = Buffer.alloc(4);
    size.writeUInt32LE(card.state.byteLength);
    parts.push(head, id, size, Buffer.from(card.state));
  }
  writeFileSync(file, Buffer.concat(parts));
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/bench/stock-server-main.ts', file], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`stock server did not start: ${out}`)), 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (\d+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { port, child, stop: async () => (child.kill('SIGTERM'), await exited) };
}

/** The stock approach: one WebsocketProvider (one connection) per card, `inFlight` at a time. */
export async function stockColdSync(port: number, ids: string[], inFlight = 50): Promise<number> {
  // y-websocket's Node client adds a process 'exit' listener per provider; 50 live at once is expected.
  process.setMaxListeners(Math.max(process.getMaxListeners(), inFlight + 20));
  const start = performance.now();
  let next = 0;
  let synced = 0;
  const worker = async () => {
    while (next < ids.length) {
      const id = ids[next++]!;
      const doc = new Y.Doc();
      const provider = new WebsocketProvider(`ws://127.0.0.1:${port}`, id, doc, { WebSocketPolyfill: WebSocket as never, disableBc: true });
      await new Promise<void>((resolve) => {
        const onSync = (isSynced: boolean) => {
          if (!isSynced) return;
          provider.off('sync', onSync);
          resolve();
        };
        provider.on('sync', onSync);
      });
      if (doc.getMap('card').get('name') === undefined) throw new Error(`stock: card ${id} arrived empty`);
      synced++;
      provider.destroy();
      doc.destroy();
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  if (synced !== ids.length) throw new Error(`stock: synced ${synced} of ${ids.length}`);
  return performance.now() - start;
}

export interface SyncBenchResult {
  cards: number;
  oursLoopbackMs: number[];
  stockLoopbackMs: number[];
  oursLatencyMs: number[];
  stockLatencyMs: number[];
  stockLatencyCards: number;
  oursReconnect10Ms: number[];
  oursReconnectNothingMs: number[];
  reconnectNothingFrames: Record<string, number>;
  stockReconnectMs: number;
  stockReconnectCards: number;
  serverBytesPerStoredCard: { held: number; resident: number };
}

export interface SyncBenchOptions {
  cards: BenchCard[];
  runs: number;
  /** Cards the stock approach syncs through the latency proxy (it is slow; scaled in the report). */
  stockLatencyCards: number;
  oneWayDelayMs: number;
  /** Rounds of the loopback cold sync, ours then stock (default `runs`): its ratio is a target of its own. */
  loopbackRuns?: number;
}

export async function runSyncBench({ cards, runs, stockLatencyCards, oneWayDelayMs, loopbackRuns = runs }: SyncBenchOptions): Promise<SyncBenchResult> {
  const ids = cards.map((card) => card.id);
  const ours = await startOurs(cards);
  const stock = await startStock(cards);
  const oursProxy = await startDelayProxy(ours.server.port, oneWayDelayMs);
  const stockProxy = await startDelayProxy(stock.port, oneWayDelayMs);
  const result: SyncBenchResult = {
    cards: cards.length,
    oursLoopbackMs: [],
    stockLoopbackMs: [],
    oursLatencyMs: [],
    stockLatencyMs: [],
    stockLatencyCards,
    oursReconnect10Ms: [],
    oursReconnectNothingMs: [],
    reconnectNothingFrames: {},
    stockReconnectMs: 0,
    stockReconnectCards: stockLatencyCards,
    serverBytesPerStoredCard: { held: 0, resident: 0 },
  };
  try {
    result.serverBytesPerStoredCard = await bytesPerStoredCard(cards);
    // One unmeasured round for each server first: a server's first connection after it starts
    // pays for compiling its code paths and the database's first reads of the file, which a
    // server that has been running paid long ago (ours: 0.8 s against 0.3 s for the runs after it).
    const warmUp = await oursColdSync(ours.server.url, ours.token, cards.length);
    warmUp.device.disconnect();
    await stockColdSync(stock.port, ids);
    for (let run = 0; run < loopbackRuns; run++) {
      const { ms, device } = await oursColdSync(ours.server.url, ours.token, cards.length);
      result.oursLoopbackMs.push(ms);
      device.disconnect();
      result.stockLoopbackMs.push(await stockColdSync(stock.port, ids));
    }
    let synced: BytesDevice | undefined;
    for (let run = 0; run < runs; run++) {
      const { ms, device } = await oursColdSync(`ws://127.0.0.1:${oursProxy.port}`, ours.token, cards.length);
      result.oursLatencyMs.push(ms);
      synced?.disconnect();
      synced = device;
    }
    result.stockLatencyMs.push(await stockColdSync(stockProxy.port, ids.slice(0, stockLatencyCards)));
    result.stockReconnectMs = await stockColdSync(stockProxy.port, ids.slice(0, stockLatencyCards));

    const writer = new MemoryDevice();
    writer.connect(ours.server.url, ours.token);
    await writer.client!.whenIdle(120_000);
    const device = synced!;
    for (let run = 0; run < runs; run++) {
      device.disconnect();
      for (let i = 0; i < 10; i++) writer.edit(ids[(run * 10 + i * 97) % ids.length]!, (doc) => recordedSet(doc, 'bench', 'city', `changed ${run}-${i}`));
      await writer.client!.whenIdle();
      const start = performance.now();
      device.connect(`ws://127.0.0.1:${oursProxy.port}`, ours.token);
      await device.client!.whenIdle();
      result.oursReconnect10Ms.push(performance.now() - start);
      if (device.doc(ids[(run * 10) % ids.length]!).getMap('card').get('city') !== `changed ${run}-0`) throw new Error('reconnect missed a change');
      device.disconnect();
    }
    for (let run = 0; run < runs; run++) {
      const counts = new Map<number, number>();
      const start = performance.now();
      device.connect(`ws://127.0.0.1:${oursProxy.port}`, ours.token, countingWebSocket(counts));
      await device.client!.whenIdle();
      device.disconnect();
      result.oursReconnectNothingMs.push(performance.now() - start);
      result.reconnectNothingFrames = Object.fromEntries([...counts].map(([type, n]) => [Object.entries(MESSAGE).find(([, v]) => v === type)?.[0] ?? String(type), n]));
    }
    writer.disconnect();
  } finally {
    await oursProxy.close();
    await stockProxy.close();
    await ours.server.stop();
    await stock.stop();
  }
  return result;
}

/**
 * Server memory per stored card nobody has open: what a server holding the cards keeps in use
 * (JavaScript heap and buffers, after a full GC) once a device has cold-synced every card and
 * left, minus the same for a server holding none, per card. Resident size is reported beside it:
 * it also counts SQLite's page cache and pages V8 has freed but not returned to the OS.
 */
async function bytesPerStoredCard(cards: BenchCard[]): Promise<{ held: number; resident: number }> {
  const empty = await startOurs([], ['--expose-gc']);
  const full = await startOurs(cards, ['--expose-gc']);
  const probe = async (server: OursServer) => {
    const device = new BytesDevice();
    device.connect(server.server.url, server.token);
    await device.client!.whenIdle(120_000);
    device.disconnect();
    await new Promise((resolve) => setTimeout(resolve, 500));
    return memoryReport(server.server);
  };
  try {
    const [emptyMemory, fullMemory] = [await probe(empty), await probe(full)];
    const per = (bytes: number) => Math.max(0, bytes / Math.max(1, cards.length));
    return { held: per(heldBytes(fullMemory) - heldBytes(emptyMemory)), resident: per(fullMemory.rss - emptyMemory.rss) };
  } finally {
    await empty.server.stop();
    await full.server.stop();
  }
}
