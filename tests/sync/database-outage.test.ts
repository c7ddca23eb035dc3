/**
 * The server on PostgreSQL while its database goes away and comes back (postgres project only):
 * the process keeps running, `/health` says 503 "database unavailable" so a proxy takes the
 * instance out of rotation, and says `ok` again once the database answers.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresUrlOf } from './backend.ts';
import { BACKEND, newDataDir, startServerProcess, waitUntil, type ServerProcess } from './helpers.ts';

let server: ServerProcess | undefined;
let dataDir: string;

/** Runs statements on the cluster's own `postgres` database (not the server's). */
async function asAdmin(statements: string[]): Promise<void> {
  const url = new URL(postgresUrlOf(dataDir));
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    for (const statement of statements) await client.query(statement);
  } finally {
    await client.end();
  }
}

const health = async () => {
  const response = await fetch(`${server!.url.replace('ws', 'http')}/health`);
  return `${response.status} ${await response.text()}`;
};

describe.runIf(BACKEND === 'postgres')('the database goes away', () => {
  beforeAll(async () => {
    dataDir = newDataDir();
    server = await startServerProcess(dataDir);
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('health says 503 while the database is away and ok once it is back; the process keeps running', async () => {
    expect(await health()).toBe('200 ok');
    const database = new URL(postgresUrlOf(dataDir)).pathname.slice(1);
    await asAdmin([`ALTER DATABASE ${database} WITH ALLOW_CONNECTIONS false`, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${database}'`]);
    await waitUntil(async () => (await health()) === '503 database unavailable', 15_000, 'health to report the database away');
    await asAdmin([`ALTER DATABASE ${database} WITH ALLOW_CONNECTIONS true`]);
    await waitUntil(async () => (await health()) === '200 ok', 15_000, 'health to report the database back');
    expect(server!.child.exitCode).toBeNull();
  });
});
