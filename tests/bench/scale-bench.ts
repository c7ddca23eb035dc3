/**
 * Past one machine, measured: the embedded SQLite store and PostgreSQL side by side in one run.
 *   - cold sync of every card into a fresh Node device, on PostgreSQL (SQLite's is the sync
 *     bench's loopback figure, same cards, same client);
 *   - accepted writes per second: writer devices (the real sync client) each pushing edits to
 *     their own cards, timed from the first edit to the last ACK — SQLite with one instance,
 *     PostgreSQL with one and with two instances (the writers split between them);
 *   - cross-instance fan-out: devices spread over two PostgreSQL instances joined by Redis, one
 *     writer on the first; the time from its push until each device holds the change, for the
 *     devices on the other instance (cross) and on its own (same).
 * PostgreSQL and Redis are throwaway ones started here (tests/tools), as in the test suites.
 */
import WebSocket from 'ws';
import * as Y from 'yjs';
import { decodeMessage, encodeMessage } from '../../shared/sync/protocol.ts';
import { hashToken, newToken } from '../../sync-server/custody/auth.ts';
import { openPostgresStorage } from '../../sync-server/storage/storage-postgres.ts';
import { openSqliteStorage } from '../../sync-server/storage/storage-sqlite.ts';
import type { Storage } from '../../sync-server/storage/storage.ts';
import { MemoryDevice, cid, newDataDir, startServerOn, type ServerProcess } from '../sync/helpers.ts';
import { recordedNote, recordedSet } from '../sync/honest-edit.ts';
import { startPostgres, type PostgresCluster } from '../tools/postgres.ts';
import { startRedis, type RedisServer } from '../tools/redis.ts';
import type { BenchCard } from './card-data.ts';
import { coresBusyDuring } from './machine-load.ts';
import { syncedDevice } from './server-load.ts';
import { BENCH_SERVER_ARGS, oursColdSync, seedBenchUser } from './sync-bench.ts';

export interface WriteRun {
  backend: 'SQLite' | 'PostgreSQL';
  instances: 1 | 2;
  writers: number;
  writes: number;
  ms: number;
  /** The round before it, the first after the server(s) started: not counted (see `measureWritesWarm`). */
  firstMs: number;
  /** The share (0–1) of the machine's cores busy during the counted round (every process, machine-load.ts). */
  coresBusy: number;
}

/**
 * The writers workload twice on the same server(s), on cards of their own each time: the first
 * round after a server starts is mostly V8 compiling the write path's code in its three isolates
 * (main thread and check workers; ~0.6 of its 1.2 s CPU on this machine), which a server that has
 * been running paid long ago. Both are returned; the second is the measure.
 */
export async function measureWritesWarm(urls: string[], writers: { user: string; token: string }[], writesPerWriter: number, label: string): Promise<{ ms: number; firstMs: number; coresBusy: number }> {
  const firstMs = await measureWrites(urls, writers, writesPerWriter, `${label}-first`);
  const { value: ms, coresBusy } = await coresBusyDuring(() => measureWrites(urls, writers, writesPerWriter, label));
  return { firstMs, ms, coresBusy };
}

export interface ScaleBenchResult {
  cards: number;
  postgresColdSyncMs: number[];
  writeRuns: WriteRun[];
  fanoutDevices: number;
  fanoutRounds: number;
  /** Push → arrival, for devices on the other instance than the writer's, and on its own. */
  crossMs: number[];
  sameMs: number[];
  /** Deliveries that came in a catch-up run (DOCS) instead of a live UPDATE. */
  caughtUp: number;
}

export interface ScaleBenchOptions {
  cards: BenchCard[];
  runs: number;
  writers: number;
  writesPerWriter: number;
  fanoutDevices: number;
  fanoutRounds: number;
}

async function startInstances(url: string, count: number, extraArgs: string[] = []): Promise<ServerProcess[]> {
  return Promise.all(Array.from({ length: count }, () => startServerOn(['--postgres', url], 0, [], [...BENCH_SERVER_ARGS, ...extraArgs])));
}

/** Users that own nothing (reps without a team): their devices sync nothing and only write. */
export async function addWriters(storage: Storage, count: number, prefix: string): Promise<{ user: string; token: string }[]> {
  const writers: { user: string; token: string }[] = [];
  for (let i = 0; i < count; i++) {
    await storage.addUser(`${prefix}${i}`, 'rep');
    const token = newToken();
    await storage.addToken(hashToken(token), `${prefix}${i}`);
    writers.push({ user: `${prefix}${i}`, token });
  }
  return writers;
}

/**
 * `writers` devices, one user each, spread over the instances; each edits its own ten cards
 * `writesPerWriter` times in all (every edit is one push); timed from the first edit to the
 * last ACK.
 */
export async function measureWrites(urls: string[], writers: { user: string; token: string }[], writesPerWriter: number, label: string): Promise<number> {
  const devices = writers.map(({ token }, i) => {
    const device = new MemoryDevice();
    device.connect(urls[i % urls.length]!, token);
    return device;
  });
  try {
    await Promise.all(devices.map((device) => device.client!.whenIdle(60_000)));
    const start = performance.now();
    devices.forEach((device, d) => {
      for (let w = 0; w < writesPerWriter; w++) {
        device.edit(cid(`${label}-writer${d}-card${w % 10}`), (doc) => recordedNote(doc, writers[d]!.user, `edit ${w} of writer ${d}`, `note${w}`));
      }
    });
    await Promise.all(devices.map((device) => device.client!.whenIdle(300_000)));
    const elapsed = performance.now() - start;
    const refused = devices.reduce((n, device) => n + device.dropped.length, 0);
    if (refused > 0) throw new Error(`${label}: the server refused ${refused} writes`);
    return elapsed;
  } finally {
    for (const device of devices) device.disconnect();
  }
}

export async function measureFanout(cluster: PostgresCluster, redis: RedisServer, devices: number, rounds: number): Promise<{ crossMs: number[]; sameMs: number[]; caughtUp: number }> {
  const url = await cluster.createDatabase('bench_fanout');
  const storage = await openPostgresStorage(url, { max: 4 });
  const fanoutWriter = (await addWriters(storage, 1, 'fanout-writer'))[0]!;
  // Readers are admins (who read every card), one user each, so their SYNCs stay within the per-user rate.
  const readerTokens: string[] = [];
  for (let i = 0; i < devices; i++) {
    await storage.addUser(`reader${i}`, 'admin');
    const token = newToken();
    await storage.addToken(hashToken(token), `reader${i}`);
    readerTokens.push(token);
  }
  await storage.close();
  const [a, b] = await startInstances(url, 2, ['--redis', redis.url]);
  const sockets: WebSocket[] = [];
  try {
    for (const instance of [a!, b!]) {
      const start = Date.now();
      while (!instance.output().includes('Redis fan-out')) {
        if (Date.now() - start > 10_000) throw new Error(`an instance did not reach Redis: ${instance.output()}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    // Readers alternate between the instances; a round's arrival time is kept per reader.
    const card = cid('fanout-bench-card');
    const arrivals: number[] = new Array<number>(devices).fill(0);
    const closes = new Map<number, number>();
    let caughtUp = 0;
    for (let i = 0; i < devices; i += 50) {
      const batch = await Promise.all(readerTokens.slice(i, i + 50).map((token, k) => syncedDevice((i + k) % 2 === 0 ? a!.url : b!.url, token)));
      batch.forEach((ws, k) => {
        const reader = i + k;
        ws.on('close', (code: number) => closes.set(reader, code));
        ws.on('message', (data: Buffer) => {
          if (arrivals[reader] !== 0) return;
          const decoded = decodeMessage(new Uint8Array(data));
          if (!decoded.ok) return;
          // Live (UPDATE), or in a catch-up run the connection started (DOCS): either way the device holds it.
          if (decoded.message.type === 'update') arrivals[reader] = performance.now();
          else if (decoded.message.type === 'docs' && decoded.message.docs.some((doc) => doc.cardId === card)) {
            arrivals[reader] = performance.now();
            caughtUp++;
          }
        });
      });
      sockets.push(...batch);
    }
    const writer = await syncedDevice(a!.url, fanoutWriter.token);
    sockets.push(writer);
    const doc = new Y.Doc();
    const crossMs: number[] = [];
    const sameMs: number[] = [];
    // Round 0 warms both instances up (the card is created) and is not counted.
    for (let round = 0; round <= rounds; round++) {
      arrivals.fill(0);
      const before = Y.encodeStateVector(doc);
      recordedSet(doc, fanoutWriter.user, 'name', `round ${round}`);
      const update = Y.encodeStateAsUpdate(doc, before);
      const sent = performance.now();
      writer.send(encodeMessage({ type: 'push', clientSeq: round + 1, cardId: card, update }));
      const deadline = Date.now() + 10_000;
      while (arrivals.some((at) => at === 0)) {
        if (Date.now() > deadline) {
          const missing = arrivals.flatMap((at, reader) => (at === 0 ? [reader] : []));
          const closed = missing.filter((reader) => closes.has(reader)).map((reader) => closes.get(reader));
          throw new Error(`fan-out round ${round}: ${missing.length} of ${devices} devices got nothing in 10 s (${closed.length} closed: ${closed.join(', ')})`);
        }
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      if (round === 0) {
        caughtUp = 0;
        continue;
      }
      arrivals.forEach((at, reader) => (reader % 2 === 0 ? sameMs : crossMs).push(at - sent));
      // A quiet moment between rounds, as between a rep's edits.
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return { crossMs, sameMs, caughtUp };
  } finally {
    for (const ws of sockets) ws.terminate();
    await Promise.all([a!.stop(), b!.stop()]);
  }
}

export async function runScaleBench({ cards, runs, writers, writesPerWriter, fanoutDevices, fanoutRounds }: ScaleBenchOptions): Promise<ScaleBenchResult> {
  // Durable, as a production database runs (the test suites turn fsync off); so is the SQLite store.
  const cluster = await startPostgres({ durable: true });
  const redis = await startRedis();
  try {
    // Cold sync on PostgreSQL: the same cards and client as the sync bench's SQLite figure.
    const coldUrl = await cluster.createDatabase('bench_cold');
    const coldStorage = await openPostgresStorage(coldUrl, { max: 4 });
    const token = await seedBenchUser(coldStorage, cards);
    await coldStorage.close();
    const [cold] = await startInstances(coldUrl, 1);
    const postgresColdSyncMs: number[] = [];
    try {
      for (let run = 0; run < runs; run++) {
        const { ms, device } = await oursColdSync(cold!.url, token, cards.length);
        device.disconnect();
        postgresColdSyncMs.push(ms);
      }
    } finally {
      await cold!.stop();
    }

    const writeRuns: WriteRun[] = [];
    const writes = writers * writesPerWriter;
    {
      const dataDir = newDataDir();
      const storage = openSqliteStorage(dataDir);
      const writerUsers = await addWriters(storage, writers, 'writer');
      await storage.close();
      const server = await startServerOn(['--data', dataDir], 0, [], BENCH_SERVER_ARGS);
      try {
        writeRuns.push({ backend: 'SQLite', instances: 1, writers, writes, ...(await measureWritesWarm([server.url], writerUsers, writesPerWriter, 'sqlite')) });
      } finally {
        await server.stop();
      }
    }
    for (const instances of [1, 2] as const) {
      const url = await cluster.createDatabase(`bench_writes_${instances}`);
      const storage = await openPostgresStorage(url, { max: 4 });
      const writerUsers = await addWriters(storage, writers, 'writer');
      await storage.close();
      const servers = await startInstances(url, instances, ['--redis', redis.url]);
      try {
        writeRuns.push({ backend: 'PostgreSQL', instances, writers, writes, ...(await measureWritesWarm(servers.map((s) => s.url), writerUsers, writesPerWriter, `pg${instances}`)) });
      } finally {
        await Promise.all(servers.map((s) => s.stop()));
      }
    }

    const fanout = await measureFanout(cluster, redis, fanoutDevices, fanoutRounds);
    return { cards: cards.length, postgresColdSyncMs, writeRuns, fanoutDevices, fanoutRounds, ...fanout };
  } finally {
    await redis.stop();
    cluster.stop();
  }
}
