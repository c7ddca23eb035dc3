/**
 * Which store the sync suites run on: SQLite (the default) or PostgreSQL when the vitest
 * project sets SYNC_BACKEND=postgres (its global setup starts a throwaway cluster and passes its
 * URL in TEST_POSTGRES_URL). A test's "data folder" stands for its store either way: with
 * PostgreSQL, each folder has its own database, named after it and made when the folder is.
 */
import { execFileSync } from 'node:child_process';
import { basename, join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { Storage } from '../../sync-server/storage/storage.ts';
import { openPostgresStorage } from '../../sync-server/storage/storage-postgres.ts';
import { openSqliteStorage } from '../../sync-server/storage/storage-sqlite.ts';
import { postgresBin } from '../tools/postgres.ts';

export const BACKEND: 'sqlite' | 'postgres' = process.env.SYNC_BACKEND === 'postgres' ? 'postgres' : 'sqlite';

function clusterUrl(): URL {
  const url = process.env.TEST_POSTGRES_URL;
  if (!url) throw new Error('SYNC_BACKEND=postgres needs TEST_POSTGRES_URL (the postgres project’s global setup sets it)');
  return new URL(url);
}

function databaseOf(dataDir: string): string {
  return `t_${basename(dataDir).toLowerCase().replace(/[^a-z0-9]/g, '_')}`;
}

/** The PostgreSQL URL of a data folder's database. */
export function postgresUrlOf(dataDir: string): string {
  const url = clusterUrl();
  url.pathname = `/${databaseOf(dataDir)}`;
  return url.toString();
}

/** Makes the store of a new data folder (PostgreSQL: its database; SQLite: nothing yet). */
export function createStore(dataDir: string): void {
  if (BACKEND !== 'postgres') return;
  execFileSync(join(postgresBin(), 'psql'), [clusterUrl().toString(), '-q', '-c', `CREATE DATABASE ${databaseOf(dataDir)}`], { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** The flags that point the server or the admin CLI at a data folder's store. */
export function storeArgs(dataDir: string): string[] {
  return BACKEND === 'postgres' ? ['--postgres', postgresUrlOf(dataDir)] : ['--data', dataDir];
}

/** The store of a data folder, opened beside a running server (as the admin CLI opens it). */
export async function openStorage(dataDir: string): Promise<Storage> {
  return BACKEND === 'postgres' ? openPostgresStorage(postgresUrlOf(dataDir), { max: 4 }) : openSqliteStorage(dataDir);
}

/**
 * Runs one statement on a data folder's store behind the storage's back (a clock moved forward,
 * an attempt to rewrite the audit). `?` placeholders; returns the rows changed.
 */
export async function rawSql(dataDir: string, sql: string, values: unknown[] = []): Promise<number> {
  if (BACKEND === 'postgres') {
    const client = new pg.Client({ connectionString: postgresUrlOf(dataDir) });
    await client.connect();
    try {
      let n = 0;
      return (await client.query(sql.replace(/\?/g, () => `$${++n}`), values)).rowCount ?? 0;
    } finally {
      await client.end();
    }
  }
  const db = new Database(join(dataDir, 'cards.sqlite'));
  try {
    return db.prepare(sql).run(...values).changes;
  } finally {
    db.close();
  }
}
