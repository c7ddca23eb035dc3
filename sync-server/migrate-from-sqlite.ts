/**
 * `admin --postgres <url> migrate-from --data <folder>`: moves an embedded server's SQLite store
 * into an empty PostgreSQL database, table by table with every row as it is (the log's seqs,
 * the database id devices tie their cursor to, the append-only audit), in one transaction, and
 * then checks it card by card (state bytes, owner, seq) and table by table (row counts). The
 * embedded server should be stopped first; its folder is only read.
 */
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { openPostgresStorage } from './storage/storage-postgres.ts';
import { openSqliteStorage } from './storage/storage-sqlite.ts';

/** The tables moved, parents before children (users name teams; tokens name users). */
const TABLES = ['teams', 'users', 'tokens', 'cards', 'changes', 'card_keys', 'loans', 'proposals', 'handovers', 'audit'] as const;
/** Tables whose ids PostgreSQL numbers itself (BIGSERIAL): its counter continues after the moved ids. */
const NUMBERED = ['loans', 'proposals', 'handovers', 'audit'] as const;
/** Rows per INSERT (PostgreSQL takes at most 65,535 parameters in one statement). */
const ROWS_PER_INSERT = 400;
/** What a data folder's store is kept in (storage-sqlite.ts). */
const SQLITE_FILE = 'cards.sqlite';

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

export async function migrateFromSqlite(postgresUrl: string, dataDir: string): Promise<string[]> {
  if (!existsSync(join(dataDir, SQLITE_FILE))) throw new Error(`No embedded store in ${dataDir} (${SQLITE_FILE} is missing)`);
  // Both stores brought to the current schema by their own code first.
  await (await openSqliteStorage(dataDir)).close();
  await (await openPostgresStorage(postgresUrl, { max: 1 })).close();

  const source = new Database(join(dataDir, SQLITE_FILE), { readonly: true, fileMustExist: true });
  const target = new pg.Client({ connectionString: postgresUrl });
  await target.connect();
  try {
    const held = await target.query<{ n: string }>('SELECT (SELECT COUNT(*) FROM cards) + (SELECT COUNT(*) FROM users) + (SELECT COUNT(*) FROM changes) AS n');
    if (Number(held.rows[0]?.n ?? 0) > 0) throw new Error('The PostgreSQL database already holds cards, users or changes: migrate into an empty one');

    const top = (source.prepare('SELECT MAX(seq) AS seq FROM changes').get() as { seq: number | null }).seq ?? 0;
    await target.query('BEGIN');
    try {
      for (const table of TABLES) await copyTable(source, target, table);
      for (const { key, value } of source.prepare('SELECT key, value FROM server_meta').all() as { key: string; value: string }[]) {
        await target.query('INSERT INTO server_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value', [key, value]);
      }
      await target.query('UPDATE log_counter SET seq = $1 WHERE id = 1', [top]);
      for (const table of NUMBERED) {
        await target.query(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), GREATEST((SELECT COALESCE(MAX(id), 0) FROM ${table}), 1), (SELECT COUNT(*) > 0 FROM ${table}))`);
      }
      await target.query('COMMIT');
    } catch (error) {
      await target.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
    return await check(source, target, top);
  } finally {
    source.close();
    await target.end();
  }
}

async function copyTable(source: Database.Database, target: pg.Client, table: string): Promise<void> {
  const columns = (source.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((column) => column.name);
  const list = columns.map(quote).join(', ');
  let batch: unknown[][] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const values: unknown[] = [];
    const tuples = batch.map((row) => `(${row.map((value) => `$${values.push(value)}`).join(', ')})`);
    await target.query(`INSERT INTO ${table} (${list}) VALUES ${tuples.join(', ')}`, values);
    batch = [];
  };
  for (const row of source.prepare(`SELECT ${columns.map(quote).join(', ')} FROM ${table}`).raw().iterate() as IterableIterator<unknown[]>) {
    batch.push(row);
    if (batch.length >= ROWS_PER_INSERT) await flush();
  }
  await flush();
}

/** Every card's bytes, owner and seq, and every table's row count, compared; throws on the first difference. */
async function check(source: Database.Database, target: pg.Client, top: number): Promise<string[]> {
  const lines: string[] = [];
  for (const table of TABLES) {
    const from = (source.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
    const to = Number((await target.query<{ n: string }>(`SELECT COUNT(*) AS n FROM ${table}`)).rows[0]?.n ?? 0);
    if (from !== to) throw new Error(`Check failed: ${table} has ${from} rows in SQLite and ${to} in PostgreSQL`);
    lines.push(`${table}: ${to}`);
  }
  let checked = 0;
  for (const card of source.prepare('SELECT id, owner, seq, state FROM cards ORDER BY id').iterate() as IterableIterator<{ id: string; owner: string; seq: number; state: Buffer }>) {
    const moved = (await target.query<{ owner: string; seq: string; state: Buffer }>('SELECT owner, seq, state FROM cards WHERE id = $1', [card.id])).rows[0];
    if (!moved || moved.owner !== card.owner || Number(moved.seq) !== card.seq || !moved.state.equals(card.state)) throw new Error(`Check failed: card ${card.id} differs after the move`);
    checked++;
  }
  const ids = await target.query<{ value: string }>("SELECT value FROM server_meta WHERE key = 'database_id'");
  lines.push(`checked ${checked} cards one by one; log top ${top}; database id ${ids.rows[0]?.value ?? '?'} kept, so devices keep their cursors`);
  return lines;
}
