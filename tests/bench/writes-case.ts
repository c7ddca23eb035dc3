/**
 * One case of `npm run bench`, run by itself: accepted writes per second on SQLite, the scale
 * bench's writers workload (`measureWrites`: N devices of N reps, each pushing its edits of its
 * own ten cards; first edit → last ACK), after one unmeasured round on the same server, as the
 * bench counts it. Prints writes/s, the server's CPU time (user + system, from /proc) and the
 * load generator's (this process) per run.
 *   `npx tsx tests/bench/writes-case.ts [--writers 20] [--edits 100] [--runs 3] [--compare <dir>] [--prof <dir>]`
 * `--compare <dir>` runs the server of another checkout (node_modules linked) in the same rounds,
 * alternating, so an A/B comparison shares the minute; `--prof <dir>` starts ours with --cpu-prof.
 * `--postgres`: durable PostgreSQL, one instance against two (Redis between them), alternating,
 * with the CPU each process used and how busy the machine's cores were (every process on it).
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { flag } from '../../sync-server/args.ts';
import { openPostgresStorage } from '../../sync-server/storage/storage-postgres.ts';
import { openSqliteStorage } from '../../sync-server/storage/storage-sqlite.ts';
import { newDataDir } from '../sync/helpers.ts';
import { startPostgres } from '../tools/postgres.ts';
import { startRedis } from '../tools/redis.ts';
import { machineBusyMs } from './machine-load.ts';
import { addWriters, measureWrites } from './scale-bench.ts';
import { median } from './stats.ts';
import { BENCH_SERVER_ARGS } from './sync-bench.ts';

/** One run: writes/s, the server's CPU ms, the load generator's (this process) CPU ms, the wall time. */
interface Run {
  perSecond: number;
  cpuMs: number;
  loadMs: number;
  ms: number;
}

interface Server {
  url: string;
  /** CPU ms (user + system) the server process used so far. */
  cpuMs(): number;
  threads(): Map<string, number>;
  stop(): Promise<void>;
}

async function startServerOf(dir: string, store: string[], nodeFlags: string[], extra: string[] = []): Promise<Server> {
  const child = spawn(process.execPath, [...nodeFlags, '--import', 'tsx', 'sync-server/main.ts', '--port', '0', ...store, ...BENCH_SERVER_ARGS, ...extra], { cwd: dir, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server in ${dir} did not start: ${out}`)), 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on ws:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
  });
  /** CPU ms per thread name (main thread, check workers, libuv's pool, V8's helpers, …), from /proc. */
  const threads = () => {
    const byName = new Map<string, number>();
    for (const task of readdirSync(`/proc/${child.pid}/task`)) {
      try {
        const stat = readFileSync(`/proc/${child.pid}/task/${task}/stat`, 'utf8');
        const name = task === String(child.pid) ? 'main' : stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        byName.set(name, (byName.get(name) ?? 0) + (Number(fields[11]) + Number(fields[12])) * 10);
      } catch {
        // The thread ended meanwhile.
      }
    }
    return byName;
  };
  const cpuMs = () => {
    // Fields 14 and 15 of /proc/<pid>/stat (after the command's closing parenthesis): utime, stime in ticks.
    const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  };
  return { url: `ws://127.0.0.1:${port}`, cpuMs, threads, stop: async () => (child.kill('SIGTERM'), await exited) };
}

async function oneRun(dir: string, writers: number, edits: number, label: string, nodeFlags: string[]): Promise<Run> {
  const dataDir = newDataDir();
  const storage = openSqliteStorage(dataDir);
  const tokens = await addWriters(storage, writers, 'writer');
  await storage.close();
  const server = await startServerOf(dir, ['--data', dataDir], nodeFlags);
  try {
    // One unmeasured round first, as the bench counts it (measureWritesWarm): a fresh server's
    // first writes also pay for its check workers' first runs of their code.
    await measureWrites([server.url], tokens, edits, `${label}-first`);
    const before = server.cpuMs();
    const threadsBefore = server.threads();
    const own = process.cpuUsage();
    const ms = await measureWrites([server.url], tokens, edits, label);
    const used = process.cpuUsage(own);
    const threads = [...server.threads()].map(([name, cpu]) => [name, cpu - (threadsBefore.get(name) ?? 0)] as const).filter(([, cpu]) => cpu > 0);
    console.log(`  server threads' CPU ms: ${threads.map(([name, cpu]) => `${name} ${cpu}`).join(', ')}`);
    return { perSecond: (writers * edits) / (ms / 1000), cpuMs: server.cpuMs() - before, loadMs: Math.round((used.user + used.system) / 1000), ms };
  } finally {
    await server.stop();
  }
}

/** CPU ms used so far by every process of the PostgreSQL cluster on `port` (the postmaster, its live children, and the children it reaped). */
function postgresCpuMs(port: number): number {
  const stats = readdirSync('/proc')
    .filter((pid) => /^\d+$/.test(pid))
    .flatMap((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        return [{ pid: Number(pid), cmdline: readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' '), fields: stat.slice(stat.lastIndexOf(')') + 2).split(' ') }];
      } catch {
        return [];
      }
    });
  const master = stats.find((p) => p.cmdline.includes('postgres') && p.cmdline.includes(` -p ${port} `));
  if (!master) return 0;
  const ticks = (f: string[], from: number, to: number) => f.slice(from, to + 1).reduce((sum, v) => sum + Number(v), 0);
  const own = ticks(master.fields, 11, 14); // utime, stime, cutime, cstime
  const children = stats.filter((p) => Number(p.fields[1]) === master.pid).reduce((sum, p) => sum + ticks(p.fields, 11, 12), 0);
  return (own + children) * 10;
}

/**
 * PostgreSQL (durable) with one and with two instances (joined by Redis, writers split between
 * them), alternating: writes/s and where the CPU went — each server, PostgreSQL, the load
 * generator — against what the machine's cores had (busy ms of every process on the machine).
 */
async function postgresRounds(writers: number, edits: number, runs: number): Promise<void> {
  const cluster = await startPostgres({ durable: true });
  const redis = await startRedis();
  const results: Record<1 | 2, number[]> = { 1: [], 2: [] };
  try {
    for (let run = 0; run < runs; run++) {
      for (const instances of [1, 2] as const) {
        const url = await cluster.createDatabase(`wc_${run}_${instances}`);
        const storage = await openPostgresStorage(url, { max: 4 });
        const tokens = await addWriters(storage, writers, 'writer');
        await storage.close();
        const servers = await Promise.all(Array.from({ length: instances }, () => startServerOf(process.cwd(), ['--postgres', url], [], ['--redis', redis.url])));
        try {
          const threadsBefore = servers.map((s) => s.threads());
          const before = { servers: servers.map((s) => s.cpuMs()), pg: postgresCpuMs(cluster.port), machine: machineBusyMs(), own: process.cpuUsage() };
          const ms = await measureWrites(servers.map((s) => s.url), tokens, edits, `pg${run}-${instances}`);
          const own = process.cpuUsage(before.own);
          const serverMs = servers.map((s, i) => s.cpuMs() - before.servers[i]!);
          const pgMs = postgresCpuMs(cluster.port) - before.pg;
          const machine = machineBusyMs() - before.machine;
          const perSecond = (writers * edits) / (ms / 1000);
          results[instances].push(perSecond);
          const threads = servers.map((s, i) => [...s.threads()].map(([name, cpu]) => `${name} ${cpu - (threadsBefore[i]!.get(name) ?? 0)}`).join(', '));
          console.log(`  server threads' CPU ms: ${threads.join(' | ')}`);
          console.log(
            `run ${run + 1}, ${instances} instance${instances > 1 ? 's' : ''}: ${perSecond.toFixed(0)} writes/s (${ms.toFixed(0)} ms); CPU ms: servers ${serverMs.join(' + ')}, PostgreSQL ${pgMs}, load generator ${Math.round((own.user + own.system) / 1000)}; the machine's ${cpus().length} cores were busy ${machine} of ${Math.round(ms * cpus().length)} ms (${((100 * machine) / (ms * cpus().length)).toFixed(0)} %, every process)`,
          );
        } finally {
          await Promise.all(servers.map((s) => s.stop()));
        }
      }
    }
  } finally {
    await redis.stop();
    cluster.stop();
  }
  const one = median(results[1]);
  const two = median(results[2]);
  console.log(`median of ${runs}: one instance ${one.toFixed(0)} writes/s, two ${two.toFixed(0)} writes/s (${(two / one).toFixed(2)}x)`);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes('--postgres')) return postgresRounds(Number(flag(args, 'writers', '20')), Number(flag(args, 'edits', '100')), Number(flag(args, 'runs', '3')));
  const writers = Number(flag(args, 'writers', '20'));
  const edits = Number(flag(args, 'edits', '100'));
  const runs = Number(flag(args, 'runs', '3'));
  const compare = flag(args, 'compare', '');
  const prof = flag(args, 'prof', '');
  const ours: Run[] = [];
  const other: Run[] = [];
  for (let run = 0; run < runs; run++) {
    ours.push(await oneRun(process.cwd(), writers, edits, `ours${run}`, prof ? ['--cpu-prof', `--cpu-prof-dir=${prof}`] : []));
    if (compare) other.push(await oneRun(compare, writers, edits, `other${run}`, []));
    const line = (r: Run) => `${r.perSecond.toFixed(0)} writes/s (${r.ms.toFixed(0)} ms; CPU: server ${r.cpuMs} ms, load generator ${r.loadMs} ms)`;
    console.log(`run ${run + 1}: ours ${line(ours.at(-1)!)}` + (compare ? `, ${compare} ${line(other.at(-1)!)}` : ''));
  }
  const summary = (values: Run[]) => `${median(values.map((v) => v.perSecond)).toFixed(0)} writes/s, server CPU ${median(values.map((v) => v.cpuMs))} ms, load generator CPU ${median(values.map((v) => v.loadMs))} ms`;
  console.log(`median of ${runs} (${writers * edits} writes each): ours ${summary(ours)}` + (compare ? `; ${compare} ${summary(other)}` : ''));
}

void main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
