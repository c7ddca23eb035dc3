/**
 * One case of `npm run bench`, run by itself: the Node cold sync of N cards over loopback into a
 * fresh device (our /sync against the stock one-connection-per-card client, 50 in flight), the
 * same code as the sync bench (sync-bench.ts). Runs alternate ours and stock so both see the same
 * load on a shared machine.
 *   `npx tsx tests/bench/cold-sync-case.ts [--cards 10000] [--runs 3] [--compare <dir>]`
 * `--compare <dir>` also starts the server of another checkout (e.g. the commit before a change,
 * with node_modules linked) on a copy of the same cards and alternates it in each round, so an
 * A/B comparison shares the minute. Prints one line per run and the medians.
 */
import { spawn } from 'node:child_process';
import { flag } from '../../sync-server/args.ts';
import { ensurePinyin } from '../../shared/pinyin.ts';
import { openSqliteStorage } from '../../sync-server/storage/storage-sqlite.ts';
import { newDataDir } from '../sync/helpers.ts';
import { makeCards } from './card-data.ts';
import { median } from './stats.ts';
import { BENCH_SERVER_ARGS, oursColdSync, seedBenchUser, startStock, stockColdSync } from './sync-bench.ts';

interface Server {
  url: string;
  stop(): Promise<void>;
}

/** Our server of the checkout in `dir`, on a fresh SQLite folder holding `cards`; returns its URL and token. */
async function startServerOf(dir: string, cards: ReturnType<typeof makeCards>): Promise<Server & { token: string }> {
  const dataDir = newDataDir();
  const storage = openSqliteStorage(dataDir);
  const token = await seedBenchUser(storage, cards);
  await storage.close();
  const child = spawn(process.execPath, ['--import', 'tsx', 'sync-server/main.ts', '--port', '0', '--data', dataDir, ...BENCH_SERVER_ARGS], { cwd: dir, stdio: ['ignore', 'pipe', 'inherit'] });
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
  return { url: `ws://127.0.0.1:${port}`, token, stop: async () => (child.kill('SIGTERM'), await exited) };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const count = Number(flag(args, 'cards', '10000'));
  const runs = Number(flag(args, 'runs', '3'));
  const compare = flag(args, 'compare', '');
  await ensurePinyin();
  const cards = makeCards(count, 10);
  const ids = cards.map((card) => card.id);
  const ours = await startServerOf(process.cwd(), cards);
  const other = compare ? await startServerOf(compare, cards) : undefined;
  const stock = await startStock(cards);
  const times = { ours: [] as number[], other: [] as number[], stock: [] as number[] };
  try {
    // One unmeasured round for each server, as the bench does (sync-bench.ts).
    (await oursColdSync(ours.url, ours.token, count)).device.disconnect();
    if (other) (await oursColdSync(other.url, other.token, count)).device.disconnect();
    await stockColdSync(stock.port, ids);
    for (let run = 0; run < runs; run++) {
      const mine = await oursColdSync(ours.url, ours.token, count);
      mine.device.disconnect();
      times.ours.push(mine.ms);
      if (other) {
        const theirs = await oursColdSync(other.url, other.token, count);
        theirs.device.disconnect();
        times.other.push(theirs.ms);
      }
      times.stock.push(await stockColdSync(stock.port, ids));
      console.log(`run ${run + 1}: ours ${mine.ms.toFixed(0)} ms${other ? `, ${compare} ${times.other.at(-1)!.toFixed(0)} ms` : ''}, stock ${times.stock.at(-1)!.toFixed(0)} ms`);
    }
  } finally {
    await ours.stop();
    await other?.stop();
    await stock.stop();
  }
  const stockMedian = median(times.stock);
  console.log(`median of ${runs}: ours ${median(times.ours).toFixed(0)} ms (${(stockMedian / median(times.ours)).toFixed(1)}x stock)` + (other ? `, ${compare} ${median(times.other).toFixed(0)} ms (${(stockMedian / median(times.other)).toFixed(1)}x stock)` : '') + `, stock ${stockMedian.toFixed(0)} ms`);
}

void main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
