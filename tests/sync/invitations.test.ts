/**
 * Invitations against the real server and the admin CLI, on the suite's store (SQLite, and
 * PostgreSQL in the postgres project): `user invite` prints a one-time code; the code, typed in
 * any case or with O for 0, is traded once at POST /api/invitations/redeem for a token of the
 * user's own; a second use, a made-up code, an expired code and a disabled user's code are refused
 * and give no token.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { addUser, newDataDir, openStorage, startServerProcess, storeArgs, type ServerProcess } from './helpers.ts';
import { hashToken } from '../../sync-server/custody/auth.ts';

const run = promisify(execFile);
const servers: ServerProcess[] = [];

afterAll(async () => {
  for (const server of servers) await server.stop();
});

const http = (server: ServerProcess) => server.url.replace(/^ws/, 'http');

async function redeem(server: ServerProcess, code: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${http(server)}/api/invitations/redeem`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('invitations', () => {
  it('a code from `user invite` signs a device in once, with a token of its own', async () => {
    const dataDir = newDataDir();
    await addUser(dataDir, 'wang', 'manager');
    const server = await startServerProcess(dataDir);
    servers.push(server);
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'sync-server/admin.ts', ...storeArgs(dataDir), 'user', 'invite', 'wang'], { encoding: 'utf8' });
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^invitation for wang, valid once until \d{4}-\d\d-\d\dT/);
    const code = lines.at(-1)!;
    expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    // Typed as people type it: lower case, without dashes.
    const first = await redeem(server, code.toLowerCase().replace(/-/g, ' '));
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ user: 'wang', role: 'manager', team: null });
    const me = await fetch(`${http(server)}/api/me`, { headers: { authorization: `Bearer ${String(first.body.token)}` } });
    expect(await me.json()).toEqual({ user: 'wang', role: 'manager', team: null });
    // Once only.
    expect(await redeem(server, code)).toMatchObject({ status: 400, body: { error: 'invalid-invitation' } });
  });

  it('refuses a made-up, an expired and a disabled user’s code, and hostile bodies', async () => {
    const dataDir = newDataDir();
    await addUser(dataDir, 'li');
    const server = await startServerProcess(dataDir);
    servers.push(server);
    const storage = await openStorage(dataDir);
    try {
      await storage.addInvitation(hashToken('AAAA-BBBB-CCCC'), 'li', Date.now() - 1);
      await storage.addInvitation(hashToken('DDDD-EEEE-FFFF'), 'li', Date.now() + 60_000);
      await storage.disableUser('li');
    } finally {
      await storage.close();
    }
    for (const code of ['AAAA-BBBB-CCCC', 'DDDD-EEEE-FFFF', '0000-0000-0000', 'x'.repeat(5_000), 42, null]) {
      expect(await redeem(server, code)).toMatchObject({ status: 400, body: { error: 'invalid-invitation' } });
    }
    const junk = await fetch(`${http(server)}/api/invitations/redeem`, { method: 'POST', body: '{not json' });
    expect(junk.status).toBe(400);
  });

  it('refuses guessing codes from one address after a few tries, even the right code, with a clear message', async () => {
    const dataDir = newDataDir();
    await addUser(dataDir, 'zhao');
    const server = await startServerProcess(dataDir);
    servers.push(server);
    const storage = await openStorage(dataDir);
    try {
      await storage.addInvitation(hashToken('GGGG-HHHH-JJJJ'), 'zhao', Date.now() + 60_000);
    } finally {
      await storage.close();
    }
    const guesses = ['0000-0000-0001', '0000-0000-0002', '0000-0000-0003', '0000-0000-0004', '0000-0000-0005', '0000-0000-0006', '0000-0000-0007', '0000-0000-0008', '0000-0000-0009', '0000-0000-000A'];
    for (const guess of guesses) expect(await redeem(server, guess)).toMatchObject({ status: 400, body: { error: 'invalid-invitation' } });
    const refused = await redeem(server, '0000-0000-000B');
    expect(refused.status).toBe(429);
    expect(refused.body.error).toBe('too-many-attempts');
    expect(String(refused.body.message)).toMatch(/Too many invitation codes were tried from this address: wait 1 minute/);
    // Past the limit even the right code gives no token: guessing gains nothing.
    const right = await redeem(server, 'GGGG-HHHH-JJJJ');
    expect(right).toMatchObject({ status: 429, body: { error: 'too-many-attempts' } });
    expect(right.body.token).toBeUndefined();
    // The code was not used up by the refused try.
    const stored = await openStorage(dataDir);
    try {
      expect(await stored.takeInvitation(hashToken('GGGG-HHHH-JJJJ'), Date.now())).toBe('zhao');
    } finally {
      await stored.close();
    }
  });

  it('an admin invites from the dashboard (POST /api/invitations): a code that signs in once; nobody else may, and a stranger name is refused', async () => {
    const dataDir = newDataDir();
    const admin = await addUser(dataDir, 'root', 'admin');
    const manager = await addUser(dataDir, 'mona', 'manager');
    await addUser(dataDir, 'qian');
    const server = await startServerProcess(dataDir);
    servers.push(server);
    const invite = (token: string, body: unknown) => fetch(`${http(server)}/api/invitations`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const made = await invite(admin, { user: 'qian' });
    expect(made.status).toBe(201);
    const { code, expiresAt } = (await made.json()) as { code: string; expiresAt: number };
    expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(expiresAt).toBeGreaterThan(Date.now() + 23 * 3_600_000);
    expect(await redeem(server, code)).toMatchObject({ status: 200, body: { user: 'qian', role: 'rep' } });
    expect(await redeem(server, code)).toMatchObject({ status: 400, body: { error: 'invalid-invitation' } });
    expect((await invite(manager, { user: 'qian' })).status).toBe(403);
    for (const body of [{ user: 42 }, {}, { user: '  ' }, { user: 'x'.repeat(10_000) }]) {
      const refused = await invite(admin, body);
      expect(refused.status).toBe(400);
      expect(((await refused.json()) as { error: string }).error).toBe('invalid-value');
    }
    const nobody = await invite(admin, { user: 'nobody' });
    expect(nobody.status).toBe(400);
    expect(((await nobody.json()) as { error: string }).error).toBe('unknown-user');
  });
});
