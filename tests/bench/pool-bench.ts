/**
 * The customer pool's sweep over a company's whole book (pool.ts), on SQLite and on PostgreSQL:
 * 10,000 cards held by 20 reps of one team, every customer untended (the sweep runs 400 days
 * after the cards' dates, won customers not exempt). Three sweeps, as the clock moves: the first
 * warns every owner, one a day later finds nothing new to do, and one past the warning returns
 * every customer to the pool (an access change and an audit line per card). Each sweep reads
 * every card's index row and the policy, the users, locks and pool moves; the target is < 2 s.
 * Run alone with `node --import tsx tests/bench/pool-bench.ts [cards]`.
 */
import { pathToFileURL } from 'node:url';
import { INDEX_ROW_VERSION } from '../../sync-server/card-row.ts';
import { Custody } from '../../sync-server/custody/custody.ts';
import { editStoredCard } from '../../sync-server/fanout/card-edit.ts';
import type { Storage } from '../../sync-server/storage/storage.ts';
import { openPostgresStorage } from '../../sync-server/storage/storage-postgres.ts';
import { openSqliteStorage } from '../../sync-server/storage/storage-sqlite.ts';
import { newDataDir } from '../sync/helpers.ts';
import { startPostgres } from '../tools/postgres.ts';
import { makeCards, type BenchCard } from './card-data.ts';

const DAY = 86_400_000;
const REPS = 20;
/** The cards' dates (card-data.ts). */
const CARDS_AT = Date.UTC(2026, 10, 1);

export interface PoolSweepTimes {
  cards: number;
  reps: number;
  /** The sweep that warns every owner, one that finds nothing new, one that returns every card. */
  warnMs: number;
  quietMs: number;
  returnMs: number;
  warned: number;
  returned: number;
}

export interface PoolBenchResult {
  sqlite: PoolSweepTimes;
  postgres: PoolSweepTimes;
}

async function sweepTimes(storage: Storage, cards: BenchCard[]): Promise<PoolSweepTimes> {
  const custody = new Custody(storage, (cardId, actor, mutation) => editStoredCard(storage, cardId, actor, mutation));
  await custody.addTeam('north');
  for (let i = 0; i < REPS; i++) await custody.addUser(`rep${i}`, 'rep', 'north');
  await storage.importCards(cards.map((card, i) => ({ id: card.id, owner: `rep${i % REPS}`, state: card.state, row: card.row, rowVersion: INDEX_ROW_VERSION })));
  const admin = { name: 'bench', role: 'admin' as const, team: null, disabled: false };
  await custody.policy.set(admin, [
    ['pool.enabled', 'true'],
    ['pool.exemptWon', 'false'],
    ['pool.rules.A.noContactDays', '30'],
    ['pool.rules.B.noContactDays', '30'],
    ['pool.rules.C.noContactDays', '30'],
  ]);
  const at = CARDS_AT + 400 * DAY;
  const timed = async (when: number) => {
    const started = performance.now();
    const result = await custody.pool.sweep(when);
    return { ms: performance.now() - started, ...result };
  };
  const warn = await timed(at);
  const quiet = await timed(at + DAY);
  const back = await timed(at + 8 * DAY);
  return { cards: cards.length, reps: REPS, warnMs: warn.ms, quietMs: quiet.ms, returnMs: back.ms, warned: warn.warned, returned: back.returned };
}

export async function runPoolBench(cards: BenchCard[]): Promise<PoolBenchResult> {
  const sqliteStorage = openSqliteStorage(newDataDir());
  let sqlite: PoolSweepTimes;
  try {
    sqlite = await sweepTimes(sqliteStorage, cards);
  } finally {
    await sqliteStorage.close();
  }
  // Durable, as a production database runs (as the other PostgreSQL benchmarks do).
  const cluster = await startPostgres({ durable: true });
  try {
    const storage = await openPostgresStorage(await cluster.createDatabase('bench_pool'), { max: 4 });
    try {
      return { sqlite, postgres: await sweepTimes(storage, cards) };
    } finally {
      await storage.close();
    }
  } finally {
    cluster.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const count = Number(process.argv[2] ?? 10_000);
  const result = await runPoolBench(makeCards(count, 10));
  console.log(JSON.stringify(result, null, 2));
}
