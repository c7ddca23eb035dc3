/**
 * Which store a command works on, from its flags: `--postgres <url>` (PostgreSQL, shared by
 * several server instances and the admin CLI) or else `--data <folder>` (the embedded SQLite
 * file, the default `./data`). The same for `npm run server` and every admin command.
 */
import { resolve } from 'node:path';
import { flag } from '../args.ts';
import type { Storage } from './storage.ts';

export interface StoreChoice {
  /** What the log line names: the folder, or the PostgreSQL server (without a password). */
  label: string;
  open(): Promise<Storage>;
}

export function storeFromArgs(args: string[]): StoreChoice {
  const url = flag(args, 'postgres', '');
  if (url) {
    let label: string;
    try {
      const parsed = new URL(url);
      if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') throw new Error();
      label = `postgres://${parsed.host}${parsed.pathname}`;
    } catch {
      throw new Error('--postgres takes a URL: postgres://user:password@host:5432/database');
    }
    // Loaded only when chosen: a command on the SQLite folder starts as fast as before.
    return { label, open: async () => (await import('./storage-postgres.ts')).openPostgresStorage(url) };
  }
  const dataDir = resolve(flag(args, 'data', './data'));
  return { label: dataDir, open: async () => (await import('./storage-sqlite.ts')).openSqliteStorage(dataDir) };
}
