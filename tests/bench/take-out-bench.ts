/**
 * The backup's take-out on the server alone (issue #25, custody.ts `takeOut`), on SQLite and on
 * PostgreSQL: a rep of 20 backs up every card she holds, asking for all 10,000 ids of the book
 * (as the device does); the server decides per card and audits what left. Reports the median of
 * several asks and the audit rows one ask writes. Run alone with
 * `node --import tsx tests/bench/take-out-bench.ts [cards] [rounds]`.
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

const REPS = 20;

export interface TakeOutTimes {
  /** Median ms of one ask for every card id, as the admin (all released) and as one rep (her twentieth). */
  adminMs: number;
  repMs: number;
  /** Audit rows one ask wrote. */
  auditRows: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function takeOutTimes(storage: Storage, cards: BenchCard[], rounds: number): Promise<TakeOutTimes> {
  const custody = new Custody(storage, (cardId, actor, mutation) => editStoredCard(storage, cardId, actor, mutation));
  await custody.addTeam('north');
  for (let i = 0; i < REPS; i++) await custody.addUser(`rep${i}`, 'rep', 'north');
  await storage.importCards(cards.map((card, i) => ({ id: card.id, owner: `rep${i % REPS}`, state: card.state, row: card.row, rowVersion: INDEX_ROW_VERSION })));
  const ids = cards.map((card) => card.id);
  const admin = { name: 'bench', role: 'admin' as const, team: null, disabled: false };
  const rep = { name: 'rep0', role: 'rep' as const, team: 'north', disabled: false };
  const ask = async (user: typeof admin | typeof rep) => {
    const started = performance.now();
    await custody.takeOut(user, { kind: 'backup', format: 'json', cardIds: ids });
    return performance.now() - started;
  };
  const adminMs: number[] = [];
  const repMs: number[] = [];
  const before = (await storage.auditOf({ user: 'bench', limit: 1_000_000 })).length;
  adminMs.push(await ask(admin));
  const auditRows = (await storage.auditOf({ user: 'bench', limit: 1_000_000 })).length - before;
  for (let i = 1; i < rounds; i++) adminMs.push(await ask(admin));
  for (let i = 0; i < rounds; i++) repMs.push(await ask(rep));
  return { adminMs: median(adminMs), repMs: median(repMs), auditRows };
}

export async function runTakeOutBench(cards: BenchCard[], rounds = 5): Promise<{ sqlite: TakeOutTimes; postgres: TakeOutTimes }> {
  const sqliteStorage = openSqliteStorage(newDataDir());
  let sqlite: TakeOutTimes;
  try {
    sqlite = await takeOutTimes(sqliteStorage, cards, rounds);
  } finally {
    await sqliteStorage.close();
  }
  const cluster = await startPostgres({ durable: true });
  try {
    const storage = await openPostgresStorage(await cluster.createDatabase('bench_take_out'), { max: 4 });
    try {
      return { sqlite, postgres: await takeOutTimes(storage, cards, rounds) };
    } finally {
      await storage.close();
    }
  } finally {
    cluster.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await runTakeOutBench(makeCards(Number(process.argv[2] ?? 10_000), 10), Number(process.argv[3] ?? 5));
  console.log(JSON.stringify(result));
}
