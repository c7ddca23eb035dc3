/**
 * The server on PostgreSQL while its database goes away and comes back (postgres project only):
 * the process keeps running, `/health` says 503 "database unavailable" so a proxy takes the
 * instance out of rotation, and says `ok` again once the database answers. A device that writes
 * meanwhile is closed with STORE_UNAVAILABLE, keeps its change, and sends it once it is back.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresUrlOf } from './backend.ts';
import * as Y from 'yjs';
import WebSocket from 'ws';
import { CLOSE, encodeMessage } from '../../shared/sync/protocol.ts';
import { BACKEND, MemoryDevice, addUser, cid, newDataDir, openStorage, startServerProcess, waitUntil, type ServerProcess } from './helpers.ts';
import { recordedSet } from './honest-edit.ts';

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

const database = () => new URL(postgresUrlOf(dataDir)).pathname.slice(1);
const takeDatabaseAway = () => asAdmin([`ALTER DATABASE ${database()} WITH ALLOW_CONNECTIONS false`, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${database()}'`]);
const bringDatabaseBack = () => asAdmin([`ALTER DATABASE ${database()} WITH ALLOW_CONNECTIONS true`]);

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
    await takeDatabaseAway();
    await waitUntil(async () => (await health()) === '503 database unavailable', 15_000, 'health to report the database away');
    await bringDatabaseBack();
    await waitUntil(async () => (await health()) === '200 ok', 15_000, 'health to report the database back');
    expect(server!.child.exitCode).toBeNull();
  });

  it('a write while the database is away: closed with STORE_UNAVAILABLE, the change kept on the device and stored once it is back', async () => {
    const token = await addUser(dataDir, 'rep');
    const device = new MemoryDevice();
    const closes: number[] = [];
    device.connect(server!.url, token);
    await device.client!.whenIdle(20_000);
    const card = cid('outage-card');
    device.edit(card, (doc) => doc.getMap('card').set('name', 'Before the outage'));
    await device.client!.whenIdle(20_000);

    await takeDatabaseAway();
    device.edit(card, (doc) => recordedSet(doc, 'rep', 'phone', '021-5555 0101'));
    await waitUntil(() => device.statuses.some((status) => status.state === 'offline' && status.storeUnavailable), 20_000, 'the device to be told the database is away');
    expect(device.pendingCount()).toBe(1);
    expect(device.dropped).toEqual([]);
    // The close code itself, as a device's socket sees it.
    const probe = new WebSocket(`${server!.url}/sync`);
    probe.on('close', (code: number) => closes.push(code));
    await new Promise((resolve) => probe.once('open', resolve));
    probe.send(encodeMessage({ type: 'auth', token, device: 'probe' }));
    await waitUntil(() => closes.length > 0, 20_000, 'the probe to be closed');
    expect(closes).toEqual([CLOSE.STORE_UNAVAILABLE]);

    await bringDatabaseBack();
    await waitUntil(() => device.pendingCount() === 0, 30_000, 'the kept change to be sent');
    const storage = await openStorage(dataDir);
    try {
      const stored = new Y.Doc();
      Y.applyUpdate(stored, (await storage.getCard(card))!.state);
      expect(stored.getMap('card').get('phone')).toBe('021-5555 0101');
    } finally {
      await storage.close();
    }
    expect(device.dropped).toEqual([]);
    device.disconnect();
  });
});
