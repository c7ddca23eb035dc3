/**
 * A device's cursor and outbox belong to (server address, user, server database), in a real
 * browser profile against real server processes: signing in as another user, to a reset server
 * database, or to another server stops the sync and asks; nothing of the two accounts is mixed
 * (the server receives nothing), nothing is lost, and the user's choice is carried out.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStorage } from '../../sync-server/storage/storage-sqlite.ts';
import { serveFixtures, type FixtureServer } from '../tools/serve-fixtures.ts';
import { addUser, newDataDir, startServerProcess, type ServerProcess } from '../sync/helpers.ts';
import { launchBrowser, newProfileDir, openPage, SidePanel, storedCardCount, submitSignIn, tabIdOf, type Browser } from './harness.ts';

let fixtures: FixtureServer;
let browser: Browser;
let settings: Page;
const servers: ServerProcess[] = [];

/** Signs in on the one settings page, waiting for nothing: each test polls the state it expects. */
const signIn = (url: string, token: string) => submitSignIn(settings, url, token);

function syncState(): Promise<string | null> {
  return settings.getByTestId('sync-status').getAttribute('data-state');
}

/** Cards stored on the device (the extension's IndexedDB, read from an extension page). */
const deviceCards = () => storedCardCount(settings);

/** Cards the server holds, by owner. */
async function serverCards(dataDir: string, owner: string): Promise<number> {
  const storage = openSqliteStorage(dataDir);
  try {
    return (await storage.cardOwners(owner)).length;
  } finally {
    await storage.close();
  }
}

beforeAll(async () => {
  fixtures = await serveFixtures();
  browser = await launchBrowser(newProfileDir());
  settings = await openPage(browser, 'settings.html', 1000, 900);
});

afterAll(async () => {
  await browser?.close();
  for (const server of servers) await server.stop();
  await fixtures?.close();
});

describe('switching account, server and database', () => {
  it('asks before mixing two users’ cards, and removes the first one’s when told', async () => {
    const dataDir = newDataDir();
    const alice = await addUser(dataDir, 'alice');
    const bob = await addUser(dataDir, 'bob');
    const server = await startServerProcess(dataDir);
    servers.push(server);
    await signIn(server.url, alice);
    await expect.poll(syncState, { timeout: 20_000 }).toBe('online');
    const mail = await browser.context.newPage();
    await mail.goto(fixtures.url + 'gmail-unknown.html');
    const panel = await SidePanel.open(browser, await tabIdOf(browser, mail));
    await panel.createCardFromSender();
    await expect.poll(() => serverCards(dataDir, 'alice'), { timeout: 20_000 }).toBe(1);

    await signIn(server.url, bob);
    await expect.poll(syncState, { timeout: 20_000 }).toBe('account-changed');
    const notice = settings.getByTestId('account-change');
    await expect.poll(() => notice.textContent()).toContain('alice');
    expect(await settings.getByTestId('account-reupload').count()).toBe(0);
    await settings.screenshot({ path: 'tests/e2e/screenshots/settings-account-changed.png', fullPage: true });
    // Nothing was mixed: bob's account got nothing, and alice's card is still on the device.
    expect(await serverCards(dataDir, 'bob')).toBe(0);
    expect(await deviceCards()).toBe(1);

    await settings.getByTestId('account-remove').click();
    await expect.poll(syncState, { timeout: 20_000 }).toBe('online');
    expect(await deviceCards()).toBe(0);
    expect(await serverCards(dataDir, 'bob')).toBe(0);
    expect(await serverCards(dataDir, 'alice')).toBe(1);
    await mail.close();
    await panel.page.close();
  });

  it('keeps the first user’s cards apart, syncs the second, and brings the first back on signing in again', async () => {
    const dataDir = newDataDir();
    const erin = await addUser(dataDir, 'erin');
    const frank = await addUser(dataDir, 'frank');
    const server = await startServerProcess(dataDir);
    servers.push(server);
    await signIn(server.url, erin);
    await expect.poll(syncState, { timeout: 20_000 }).toBe('online');
    const mail = await browser.context.newPage();
    await mail.goto(fixtures.url + 'gmail-unknown.html');
    const panel = await SidePanel.open(browser, await tabIdOf(browser, mail));
    await panel.createCardFromSender();
    await expect.poll(() => serverCards(dataDir, 'erin'), { timeout: 20_000 }).toBe(1);

    await signIn(server.url, frank);
    await expect.poll(syncState, { timeout: 20_000 }).toBe('account-changed');
    await settings.getByTestId('account-keep-apart').click();
    await expect.poll(syncState, { timeout: 20_000 }).toBe('online');
    expect(await deviceCards()).toBe(0);
    await expect.poll(() => settings.getByTestId('kept-accounts').textContent()).toContain('erin');
    await settings.screenshot({ path: 'tests/e2e/screenshots/settings-kept-apart.png', fullPage: true });
    expect(await serverCards(dataDir, 'frank')).toBe(0);

    await signIn(server.url, erin);
    await expect.poll(deviceCards, { timeout: 20_000 }).toBe(1);
    await expect.poll(syncState, { timeout: 20_000 }).toBe('online');
    // The settings page redraws its list of kept accounts once the restore is done.
    await expect.poll(() => settings.getByTestId('kept-accounts').count(), { timeout: 10_000 }).toBe(0);
    expect(await serverCards(dataDir, 'frank')).toBe(0);
    expect(await serverCards(dataDir, 'erin')).toBe(1);

    // Leave the device empty for the next test: back to frank, removing erin's cards this time.
    await signIn(server.url, frank);
    await expect.poll(syncState, { timeout: 20_000 }).toBe('account-changed');
    await settings.getByTestId('account-remove').click();
    await expect.poll(deviceCards, { timeout: 20_000 }).toBe(0);
    await mail.close();
    await panel.page.close();
  });

  it('notices a reset server database and sends the device’s cards to it again', async () => {
    const first = newDataDir();
    const token = await addUser(first, 'carol');
    let server = await startServerProcess(first);
    servers.push(server);
    await signIn(server.url, token);
    await expect.poll(syncState, { timeout: 20_000 }).toBe('online');
    const mail = await browser.context.newPage();
    await mail.goto(fixtures.url + 'gmail-unknown.html');
    const panel = await SidePanel.open(browser, await tabIdOf(browser, mail));
    await panel.createCardFromSender();
    await expect.poll(() => serverCards(first, 'carol'), { timeout: 20_000 }).toBe(1);

    // The server's data is lost: a fresh database at the same address, the same user name.
    await server.stop();
    const reset = newDataDir();
    const newToken = await addUser(reset, 'carol');
    server = await startServerProcess(reset, server.port);
    servers.push(server);
    await signIn(server.url, newToken);
    await expect.poll(syncState, { timeout: 20_000 }).toBe('account-changed');
    expect(await serverCards(reset, 'carol')).toBe(0);
    await settings.getByTestId('account-reupload').click();
    await expect.poll(syncState, { timeout: 20_000 }).toBe('online');
    await expect.poll(() => serverCards(reset, 'carol'), { timeout: 20_000 }).toBe(1);
    expect(await deviceCards()).toBe(1);
    await mail.close();
    await panel.page.close();
  });

  it('asks before syncing another server’s account, and offers no re-upload there', async () => {
    const elsewhere = newDataDir();
    const dave = await addUser(elsewhere, 'dave');
    const other = await startServerProcess(elsewhere);
    servers.push(other);
    await signIn(other.url, dave);
    await expect.poll(syncState, { timeout: 20_000 }).toBe('account-changed');
    expect(await settings.getByTestId('account-reupload').count()).toBe(0);
    expect(await serverCards(elsewhere, 'dave')).toBe(0);
    expect(await deviceCards()).toBe(1);
  });
});
