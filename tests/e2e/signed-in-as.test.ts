/**
 * Settings say who the device is signed in as, with the role and team the server gives, and on
 * which server: a manager of team north signs in with a token and reads it back in Settings.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, newDataDir, openStorage, startServerProcess, type ServerProcess } from '../sync/helpers.ts';
import { EXTENSION_ID, launchBrowser, newProfileDir, type Browser } from './harness.ts';

let browser: Browser;
let settings: Page;
let server: ServerProcess;

beforeAll(async () => {
  browser = await launchBrowser(newProfileDir());
  settings = await browser.context.newPage();
  await settings.goto(`chrome-extension://${EXTENSION_ID}/settings.html`);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
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
});
