/**
 * Two browser profiles (two devices of one user) against the real sync server: a card created
 * on A appears on B; both go offline (the server stops), edit the same card, come back after
 * the server restarts on the same data, and converge with both edits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveFixtures, type FixtureServer } from '../tools/serve-fixtures.ts';
import { addUser, newDataDir, startServerProcess, type ServerProcess } from '../sync/helpers.ts';
import { EXTENSION_ID, launchBrowser, newProfileDir, SidePanel, signIn, tabIdOf, type Browser } from './harness.ts';

let fixtures: FixtureServer;
let server: ServerProcess;
let dataDir: string;
let token: string;
let deviceA: Browser;
let deviceB: Browser;

async function syncState(panel: SidePanel): Promise<string | null> {
  return panel.page.getByTestId('sync-status').getAttribute('data-state');
}

beforeAll(async () => {
  fixtures = await serveFixtures();
  dataDir = newDataDir();
  token = await addUser(dataDir, 'alice');
  server = await startServerProcess(dataDir);
  deviceA = await launchBrowser(newProfileDir());
  deviceB = await launchBrowser(newProfileDir());
  await signIn(deviceA, server.url, token);
  await signIn(deviceB, server.url, token);
});

afterAll(async () => {
  await deviceA?.close();
  await deviceB?.close();
  await server?.stop();
  await fixtures?.close();
});

describe('two devices of one user', () => {
  it('a card created on A appears on B; offline edits on both converge after a server restart', async () => {
    const mail = await deviceA.context.newPage();
    await mail.goto(fixtures.url + 'gmail-unknown.html');
    const panelA = await SidePanel.open(deviceA, await tabIdOf(deviceA, mail));
    await panelA.createCardFromSender();
    await panelA.screenshot('sidepanel-synced');

    const panelB = await SidePanel.open(deviceB);
    await expect.poll(async () => {
      await panelB.search('Nordlicht');
      return panelB.page.getByTestId('search-results').getByText('Nordlicht Optik').count();
    }, { timeout: 20_000 }).toBe(1);
    await panelB.page.getByTestId('search-results').getByText('Nordlicht Optik').click();
    await panelB.cardName().waitFor();

    await server.stop();
    await expect.poll(() => syncState(panelA), { timeout: 20_000 }).toBe('offline');
    await expect.poll(() => syncState(panelB), { timeout: 20_000 }).toBe('offline');
    await panelA.addNote('Written on device A while offline');
    await panelB.addNote('设备 B 离线时写的备注');

    server = await startServerProcess(dataDir, server.port);
    await expect.poll(() => panelA.page.getByText('设备 B 离线时写的备注').count(), { timeout: 30_000 }).toBe(1);
    await expect.poll(() => panelB.page.getByText('Written on device A while offline').count(), { timeout: 30_000 }).toBe(1);
    await expect.poll(() => syncState(panelA), { timeout: 20_000 }).toBe('online');
  });

  it('a rejected token is shown and not retried', async () => {
    const page = await deviceB.context.newPage();
    await page.goto(`chrome-extension://${EXTENSION_ID}/settings.html`);
    await page.getByTestId('server-token').fill('cct_not-a-real-token');
    await page.getByTestId('sign-in').click();
    await expect.poll(() => page.getByTestId('sync-status').getAttribute('data-state'), { timeout: 20_000 }).toBe('token-rejected');
    await page.screenshot({ path: 'tests/e2e/screenshots/settings-token-rejected.png', fullPage: true });
  });
});
