/**
 * Settings say who the device is signed in as, with the role and team the server gives, and on
 * which server: a manager of team north signs in with a token and reads it back in Settings; a
 * rep signs in with nothing but the invitation code `npm run admin -- user invite` printed.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
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

  it('an admin makes a code on the Team desk; typed in Settings it signs the colleague in', async () => {
    const dataDir = newDataDir();
    const adminToken = await addUser(dataDir, 'root', 'admin');
    await addUser(dataDir, 'zhou');
    const storage = await openStorage(dataDir);
    await storage.addTeam('south');
    await storage.setUserTeam('zhou', 'south');
    await storage.close();
    const third = await startServerProcess(dataDir);
    try {
      await settings.getByTestId('sign-out').click();
      await settings.getByTestId('server-url').fill(third.url);
      await settings.getByTestId('server-token').fill(adminToken);
      await settings.getByTestId('sign-in').click();
      await expect.poll(() => settings.getByTestId('signed-in-as').textContent().catch(() => null), { timeout: 20_000 }).toBe(`Signed in as root (admin) on ${third.url}.`);
      const desk = await browser.context.newPage();
      await desk.setViewportSize({ width: 1100, height: 800 });
      await desk.goto(`chrome-extension://${EXTENSION_ID}/dashboard.html?tab=team`);
      const invite = desk.getByTestId('team-invite');
      await invite.waitFor({ timeout: 30_000 });
      await invite.getByTestId('invite-user').fill('zhou');
      await invite.getByTestId('invite-make').click();
      const code = (await invite.getByTestId('invite-code').textContent({ timeout: 20_000 })) ?? '';
      expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
      expect(await invite.getByTestId('invite-made').textContent()).toContain('Code for zhou, valid once until');
      await invite.screenshot({ path: join(process.cwd(), 'tests', 'e2e', 'screenshots', 'team-invite-en.png') });
      await browser.worker.evaluate(`(async () => { await globalThis.customerCards.store.setSetting('language', 'zh-CN'); })()`);
      await desk.reload();
      await desk.getByTestId('team-invite').waitFor({ timeout: 30_000 });
      await desk.getByTestId('invite-user').fill('nobody');
      await desk.getByTestId('invite-make').click();
      await desk.getByTestId('team-invite').getByRole('alert').waitFor({ timeout: 20_000 });
      expect(await desk.getByTestId('team-invite').getByRole('alert').textContent()).toBe('服务器上没有用户“nobody”：请先用“npm run admin -- user add”添加。');
      await desk.getByTestId('team-invite').screenshot({ path: join(process.cwd(), 'tests', 'e2e', 'screenshots', 'team-invite-zh.png') });
      await browser.worker.evaluate(`(async () => { await globalThis.customerCards.store.setSetting('language', 'en'); })()`);
      await desk.close();

      // The colleague's device: nothing but the server address and the code.
      await settings.reload();
      await settings.getByTestId('sign-out').click();
      await settings.getByTestId('server-url').fill(third.url);
      await settings.getByTestId('invitation-code').fill(code);
      await settings.getByTestId('invitation-redeem').click();
      await expect.poll(() => settings.getByTestId('signed-in-as').textContent().catch(() => null), { timeout: 20_000 }).toBe(`Signed in as zhou (rep, team south) on ${third.url}.`);
    } finally {
      await third.stop();
    }
  }, 120_000);
});
