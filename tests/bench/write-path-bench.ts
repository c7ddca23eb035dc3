/**
 * The write path, measured (issue 24). `npm run bench` reports the burst and the hostile case
 * (`runWritePathBench`, also `npm run bench -- --only writes`); run by itself,
 * `npx tsx tests/bench/write-path-bench.ts` prints them and the writes per second as a table.
 *   - burst over /y with stock y-websocket clients: 32 writers on 8 cards write 1,600 changes in
 *     about 0.25 s, 8 readers (one per card); the time from the first write until every reader
 *     holds every change — this server on SQLite (a reader gets a change only after its commit)
 *     against the stock y-websocket server with LevelDB persistence, started here, in one run;
 *   - another user's write latency (ACK) while a hostile rep pushes updates that are slow to
 *     check on ten connections (p50 / p99);
 *   - accepted writes per second on the scale bench's writers workload: SQLite, PostgreSQL with
 *     one instance and with two (durable PostgreSQL and Redis started here).
 * Prints a Markdown table.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { decodeMessage, encodeMessage, type SyncMessage } from '../../shared/sync/protocol.ts';
import { openPostgresStorage } from '../../sync-server/storage/storage-postgres.ts';
import { openSqliteStorage } from '../../sync-server/storage/storage-sqlite.ts';
import { addUser, cid, newDataDir, startServerOn, startServerProcess, type ServerProcess } from '../sync/helpers.ts';
import { recordedNote } from '../sync/honest-edit.ts';
import { startPostgres } from '../tools/postgres.ts';
import { startRedis } from '../tools/redis.ts';
import { addWriters, measureWrites } from './scale-bench.ts';
import { BENCH_SERVER_ARGS } from './sync-bench.ts';

/** The sizes of one run; `FULL_WRITE_PATH` is issue 24's, the test suite runs a small one. */
export interface WritePathOptions {
  runs: number;
  cards: number;
  writersPerCard: number;
  changesPerWriter: number;
  hostileConnections: number;
  hostileWrites: number;
  /** How long the hostile rep pushes before the other user starts writing. */
  hostileLeadMs: number;
}

export const FULL_WRITE_PATH: WritePathOptions = { runs: 5, cards: 8, writersPerCard: 4, changesPerWriter: 50, hostileConnections: 10, hostileWrites: 100, hostileLeadMs: 1_500 };

/** A small run (`--quick` and the test suite): it runs and measures both servers, nothing more. */
export const QUICK_WRITE_PATH: WritePathOptions = { runs: 1, cards: 2, writersPerCard: 2, changesPerWriter: 5, hostileConnections: 2, hostileWrites: 5, hostileLeadMs: 300 };

export interface WritePathResult {
  options: WritePathOptions;
  /** Changes written in one burst (cards × writers per card × changes per writer). */
  changes: number;
  /** Per run, alternating: ours (SQLite, durable) and the stock server with LevelDB. */
  oursBurstMs: number[];
  stockBurstMs: number[];
  /** The CPU ms each server process used during each burst (all its threads; 0 without /proc). */
  oursBurstCpuMs: number[];
  stockBurstCpuMs: number[];
  /** The other user's ACK latencies under the hostile rep. */
  hostileWaitsMs: number[];
  hostilePushes: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil((p / 100) * values.length) - 1)]!;

/** The stock y-websocket server with LevelDB persistence (YPERSISTENCE), as a child process. */
async function startStockDurable(): Promise<{ port: number; pid: number; stop(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'stock-leveldb-'));
  const empty = join(dir, 'none.bin');
  writeFileSync(empty, Buffer.alloc(0));
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/bench/stock-server-main.ts', empty], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, YPERSISTENCE: join(dir, 'db') } });
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
  return { port, pid: child.pid!, stop: async () => (child.kill('SIGTERM'), await exited) };
}

/** CPU ms (user + system, every thread) a process used so far, from /proc; 0 where there is no /proc. */
function cpuMsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

/** Runs `job` and returns its result with the CPU ms process `pid` used meanwhile. */
async function withCpu<T>(pid: number, job: () => Promise<T>): Promise<[T, number]> {
  const before = cpuMsOf(pid);
  const value = await job();
  return [value, cpuMsOf(pid) - before];
}

function synced(p: WebsocketProvider): Promise<void> {
  return new Promise((resolve) => {
    if (p.synced) return resolve();
    p.once('sync', (isSynced: boolean) => isSynced && resolve());
  });
}

/** One burst: ms from the first write until every reader holds all of its card's changes. */
async function burst(open: (room: string, doc: Y.Doc) => WebsocketProvider, run: string, options: WritePathOptions): Promise<number> {
  const { cards, writersPerCard, changesPerWriter } = options;
  // Each y-websocket provider listens for the process's exit (40 of them in a full burst).
  process.setMaxListeners(Math.max(process.getMaxListeners(), cards * (writersPerCard + 1) + 10));
  const rooms = Array.from({ length: cards }, (_, c) => cid(`${run}-burst-${c}`));
  const providers: WebsocketProvider[] = [];
  const writers: { doc: Y.Doc; w: number }[] = [];
  const readers: Y.Doc[] = [];
  for (const room of rooms) {
    for (let w = 0; w < writersPerCard; w++) {
      const doc = new Y.Doc();
      providers.push(open(room, doc));
      writers.push({ doc, w });
    }
    const reader = new Y.Doc();
    providers.push(open(room, reader));
    readers.push(reader);
  }
  await Promise.all(providers.map(synced));
  const want = writersPerCard * changesPerWriter;
  const start = performance.now();
  const done = Promise.all(
    readers.map(
      (reader) =>
        new Promise<void>((resolve) => {
          const check = () => reader.getMap('timeline').size >= want && (reader.off('update', check), resolve());
          reader.on('update', check);
        }),
    ),
  );
  // 1,600 changes in about 0.25 s (the full size): each writer writes one change every 5 ms.
  for (let i = 0; i < changesPerWriter; i++) {
    for (const { doc, w } of writers) recordedNote(doc, 'burst', `change ${i}`, `w${w}-${i}`);
    await sleep(5);
  }
  const timeout = sleep(60_000).then(() => {
    throw new Error('burst: not every reader got every change within 60 s');
  });
  await Promise.race([done, timeout]);
  const elapsed = performance.now() - start;
  for (const p of providers) p.destroy();
  return elapsed;
}

/** A /sync connection signed in; `answer` resolves with the push's ACK or NACK, or undefined once closed. */
async function signedIn(url: string, token: string): Promise<{ ws: WebSocket; answer(clientSeq: number): Promise<SyncMessage | undefined> }> {
  const ws = new WebSocket(`${url}/sync`);
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const waiting = new Map<number, (message: SyncMessage | undefined) => void>();
  let ready!: () => void;
  const authed = new Promise<void>((resolve) => (ready = resolve));
  ws.on('message', (data: Buffer) => {
    const decoded = decodeMessage(new Uint8Array(data));
    if (!decoded.ok) return;
    if (decoded.message.type === 'auth-ok') ready();
    if (decoded.message.type === 'ack' || decoded.message.type === 'nack') waiting.get(decoded.message.clientSeq)?.(decoded.message);
  });
  // A push still waiting when the socket closes is never answered: let its waiter go.
  ws.once('close', () => {
    for (const resolve of waiting.values()) resolve(undefined);
  });
  ws.send(encodeMessage({ type: 'auth', token, device: 'bench' }));
  await authed;
  return { ws, answer: (clientSeq) => new Promise((resolve) => waiting.set(clientSeq, resolve)) };
}

/** Another user's ACK latencies while a hostile rep pushes slow updates on `connections` connections. */
async function hostileLatency(url: string, tokens: { hostile: string; other: string }, options: WritePathOptions): Promise<{ waits: number[]; hostilePushes: number }> {
  const slowDoc = new Y.Doc();
  slowDoc.transact(() => {
    for (let i = 0; i < 20_000; i++) slowDoc.getMap('card').set(`k${i}`, i);
  });
  const slow = Y.encodeStateAsUpdate(slowDoc);
  const hostiles = await Promise.all(Array.from({ length: options.hostileConnections }, () => signedIn(url, tokens.hostile)));
  let stop = false;
  let hostilePushes = 0;
  const loops = hostiles.map(async (h, i) => {
    for (let seq = 1; !stop; seq++) {
      const answered = h.answer(seq);
      h.ws.send(encodeMessage({ type: 'push', clientSeq: seq, cardId: cid(`bench-hostile-${i}-${seq}`), update: slow }));
      if ((await answered) === undefined) return;
      hostilePushes++;
    }
  });
  // The hostile rep's queue fills before the other user writes.
  await sleep(options.hostileLeadMs);
  const other = await signedIn(url, tokens.other);
  const doc = new Y.Doc();
  const waits: number[] = [];
  for (let i = 1; i <= options.hostileWrites; i++) {
    const before = Y.encodeStateVector(doc);
    recordedNote(doc, 'other', `note ${i}`, `note${i}`);
    const answered = other.answer(i);
    const sent = performance.now();
    other.ws.send(encodeMessage({ type: 'push', clientSeq: i, cardId: cid('bench-other'), update: Y.encodeStateAsUpdate(doc, before) }));
    const answer = await answered;
    if (answer?.type !== 'ack') throw new Error(`the other user's write was refused: ${JSON.stringify(answer)}`);
    waits.push(performance.now() - sent);
    await sleep(20);
  }
  stop = true;
  for (const h of hostiles) h.ws.close();
  other.ws.close();
  // Their unanswered pushes are let go at the close; the pause only guards a close that never comes.
  await Promise.race([Promise.all(loops), sleep(10_000)]);
  return { waits, hostilePushes };
}

async function writesPerSecond(): Promise<{ label: string; writes: number; ms: number }[]> {
  const writers = 20;
  const perWriter = 100;
  const results: { label: string; writes: number; ms: number }[] = [];
  {
    const dataDir = newDataDir();
    const storage = openSqliteStorage(dataDir);
    const tokens = await addWriters(storage, writers, 'writer');
    await storage.close();
    const server = await startServerOn(['--data', dataDir], 0, [], BENCH_SERVER_ARGS);
    try {
      results.push({ label: 'SQLite, one instance', writes: writers * perWriter, ms: await measureWrites([server.url], tokens, perWriter, 'wp-sqlite') });
    } finally {
      await server.stop();
    }
  }
  const cluster = await startPostgres({ durable: true });
  const redis = await startRedis();
  try {
    for (const instances of [1, 2]) {
      const url = await cluster.createDatabase(`wp_writes_${instances}`);
      const storage = await openPostgresStorage(url, { max: 4 });
      const tokens = await addWriters(storage, writers, 'writer');
      await storage.close();
      const servers: ServerProcess[] = await Promise.all(Array.from({ length: instances }, () => startServerOn(['--postgres', url], 0, [], [...BENCH_SERVER_ARGS, '--redis', redis.url])));
      try {
        results.push({ label: `PostgreSQL, ${instances === 1 ? 'one instance' : 'two instances'}`, writes: writers * perWriter, ms: await measureWrites(servers.map((s) => s.url), tokens, perWriter, `wp-pg${instances}`) });
      } finally {
        await Promise.all(servers.map((s) => s.stop()));
      }
    }
  } finally {
    await redis.stop();
    cluster.stop();
  }
  return results;
}

/** The burst (ours against the stock server, alternating) and the hostile case, on one server of ours. */
export async function runWritePathBench(options: WritePathOptions, burstOnly = false): Promise<WritePathResult> {
  const ourDir = newDataDir();
  const token = await addUser(ourDir, 'burst');
  const tokens = { hostile: await addUser(ourDir, 'hostile'), other: await addUser(ourDir, 'other') };
  // WRITE_BENCH_SERVER_ARGS: more flags for our server (e.g. `--check-workers 4`), to probe one mechanism.
  const extra = process.env.WRITE_BENCH_SERVER_ARGS?.split(' ').filter(Boolean) ?? [];
  // WRITE_BENCH_NODE_FLAGS: Node flags for our server (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`).
  const nodeFlags = process.env.WRITE_BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? [];
  const [ours, stock] = await Promise.all([startServerProcess(ourDir, 0, nodeFlags, [...BENCH_SERVER_ARGS, ...extra]), startStockDurable()]);
  const oursBurstMs: number[] = [];
  const stockBurstMs: number[] = [];
  const oursBurstCpuMs: number[] = [];
  const stockBurstCpuMs: number[] = [];
  try {
    // Alternating, so both see the same machine.
    for (let run = 0; run < options.runs; run++) {
      const [oursMs, oursCpu] = await withCpu(ours.child.pid!, () => burst((room, doc) => new WebsocketProvider(`${ours.url}/y`, room, doc, { WebSocketPolyfill: WebSocket as never, disableBc: true, params: { token } }), `ours-${run}`, options));
      const [stockMs, stockCpu] = await withCpu(stock.pid, () => burst((room, doc) => new WebsocketProvider(`ws://127.0.0.1:${stock.port}`, room, doc, { WebSocketPolyfill: WebSocket as never, disableBc: true }), `stock-${run}`, options));
      oursBurstMs.push(oursMs);
      oursBurstCpuMs.push(oursCpu);
      stockBurstMs.push(stockMs);
      stockBurstCpuMs.push(stockCpu);
    }
    await stock.stop();
    const changes = options.cards * options.writersPerCard * options.changesPerWriter;
    const hostile = burstOnly ? { waits: [], hostilePushes: 0 } : await hostileLatency(ours.url, tokens, options);
    return { options, changes, oursBurstMs, stockBurstMs, oursBurstCpuMs, stockBurstCpuMs, hostileWaitsMs: hostile.waits, hostilePushes: hostile.hostilePushes };
  } finally {
    await Promise.all([ours.stop(), stock.stop()]);
  }
}

async function main(): Promise<void> {
  const lines: string[] = [];
  const options = { ...FULL_WRITE_PATH, runs: Number(process.env.WRITE_BENCH_RUNS ?? FULL_WRITE_PATH.runs) };
  // WRITE_BENCH_ONLY=writes: only the writes per second (to probe another checkout's server, run from its folder).
  if (process.env.WRITE_BENCH_ONLY === 'writes') {
    for (const w of await writesPerSecond()) console.log(`${w.label}: ${Math.round(w.writes / (w.ms / 1000))} writes/s (${w.writes} in ${w.ms.toFixed(0)} ms)`);
    return;
  }
  const burstOnly = process.env.WRITE_BENCH_ONLY === 'burst';
  const result = await runWritePathBench(options, burstOnly);
  const { oursBurstMs: oursMs, stockBurstMs: stockMs, changes } = result;
  // WRITE_BENCH_ONLY=burst: only the burst.
  if (burstOnly) return void console.log(`burst: ours ${oursMs.map((ms) => ms.toFixed(0)).join(', ')} ms (server CPU ${result.oursBurstCpuMs.join(', ')} ms); stock ${stockMs.map((ms) => ms.toFixed(0)).join(', ')} ms (server CPU ${result.stockBurstCpuMs.join(', ')} ms)`);
  const rate = (ms: number) => Math.round(changes / (ms / 1000)).toLocaleString('en');
  lines.push('| measure | this server | reference | ratio |', '| --- | --- | --- | --- |');
  lines.push(
    `| burst over /y, 32 stock writers on 8 cards, ${changes.toLocaleString('en')} changes, 8 readers: first write → every reader holds every change (median of ${options.runs}; runs ${oursMs.map((ms) => ms.toFixed(0)).join(', ')} / ${stockMs.map((ms) => ms.toFixed(0)).join(', ')} ms) | ${median(oursMs).toFixed(0)} ms (${rate(median(oursMs))} changes/s), SQLite, reader sees a change after its commit | stock y-websocket + LevelDB: ${median(stockMs).toFixed(0)} ms (${rate(median(stockMs))} changes/s) | ${(median(stockMs) / median(oursMs)).toFixed(2)}x |`,
  );
  const waits = result.hostileWaitsMs;
  lines.push(
    `| another user's write (ACK) while a hostile rep pushes slow updates on 10 connections, 100 writes | p50 ${percentile(waits, 50).toFixed(0)} ms, p99 ${percentile(waits, 99).toFixed(0)} ms, max ${Math.max(...waits).toFixed(0)} ms (${result.hostilePushes} hostile pushes answered meanwhile) | target p99 < 200 ms | |`,
  );
  const writes = await writesPerSecond();
  const pgOne = writes.find((w) => w.label === 'PostgreSQL, one instance')!;
  for (const w of writes) {
    const perSecond = w.writes / (w.ms / 1000);
    const ratio = w.label === 'PostgreSQL, two instances' ? `${(perSecond / (pgOne.writes / (pgOne.ms / 1000))).toFixed(2)}x one instance` : '';
    lines.push(`| accepted writes/s, 20 writers × 100 edits (first edit → last ACK), ${w.label} | ${Math.round(perSecond).toLocaleString('en')} writes/s (${w.writes} in ${w.ms.toFixed(0)} ms) | | ${ratio} |`);
  }
  console.log(lines.join('\n'));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
