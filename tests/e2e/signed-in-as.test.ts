/**
 * Settings say who the device is signed in as, with the role and team the server gives, and on
 * which server: a manager of team north signs in with a token and reads it back in Settings; a
 * rep signs in with nothing but the invitation code `npm run admin -- user invite` printed.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, newDataDir, openStorage, startServerProcess, storeArgs, type ServerProcess } from '../sync/helpers.ts';
import { EXTENSION_ID, launchBrowser, newProfileDir, type Browser } from './harness.ts';

let browser: Browser;
let settings: Page;
let server: ServerProcess;
let second: ServerProcess | undefined;

beforeAll(async () => {
  browser = await launchBrowser(newProfileDir());
  settings = await browser.context.newPage();
  await settings.goto(`chrome-extension://${EXTENSION_ID}/settings.html`);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await second?.stop();
});

describe('the signed-in account in Settings', () => {
  it('shows the user, their role and team, and the server', async () => {
    const dataDir = newDataDir();
    const token = await addUser(dataDir, 'wang', 'manager');
    const storage = await openStorage(dataDir);
    await storage.addTeam('north');
    await storage.setUserTeam('wang', 'north');
    await storage.close();
    server = await startServerProcess(dataDir);
    expect(await settings.getByTestId('signed-in-as').count()).toBe(0);
    await settings.getByTestId('server-url').fill(server.url);
    await settings.getByTestId('server-token').fill(token);
    await settings.getByTestId('sign-in').click();
    await expect.poll(() => settings.getByTestId('signed-in-as').textContent().catch(() => null), { timeout: 20_000 }).toBe(`Signed in as wang (manager, team north) on ${server.url}.`);
  });

  it('signs in with an invitation code from `user invite`: no token typed; a used code is refused', async () => {
    const dataDir = newDataDir();
    await addUser(dataDir, 'li');
    second = await startServerProcess(dataDir);
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'sync-server/admin.ts', ...storeArgs(dataDir), 'user', 'invite', 'li'], { encoding: 'utf8' });
    const code = stdout.trim().split('\n').at(-1)!;
    await settings.getByTestId('sign-out').click();
    await settings.getByTestId('server-url').fill(second.url);
    await settings.getByTestId('invitation-code').fill(code);
    await settings.getByTestId('invitation-redeem').click();
    await expect.poll(() => settings.getByTestId('invitation-message').textContent(), { timeout: 20_000 }).toBe('Signed in as li. This device has its own token now.');
    await expect.poll(() => settings.getByTestId('signed-in-as').textContent().catch(() => null), { timeout: 20_000 }).toBe(`Signed in as li (rep) on ${second.url}.`);
    await settings.getByTestId('invitation-code').fill(code);
    await settings.getByTestId('invitation-redeem').click();
    await expect.poll(() => settings.getByTestId('invitation-message').textContent()).toBe('This code is unknown, already used or expired: ask your admin for a new one.');
  });
});
