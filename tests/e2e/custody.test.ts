/**
 * Custody end to end, in real Chromium with the built extension, against the real server: a
 * rep asks to borrow a colleague's customer from the side panel, the manager approves on the
 * Team desk, the card appears on the rep's device, and when the loan ends its copy is gone from
 * the rep's IndexedDB; a handover on the desk moves a card between two reps' devices; a
 * disabled user's device deletes its cards and says why. Screenshots of the panel and the desk.
 */
import { spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cid, startServerProcess, type ServerProcess } from '../sync/helpers.ts';
import { serveFixtures, type FixtureServer } from '../tools/serve-fixtures.ts';
import { launchBrowser, newProfileDir, openPage, seedTeam, SidePanel, signIn, storedCardCount, tabIdOf, waitFor, type Browser } from './harness.ts';

const NORDLICHT = cid('e2e-nordlicht');
const HANDED = cid('e2e-handed-over');

let fixtures: FixtureServer;
let server: ServerProcess;
let dataDir: string;
let tokens: Map<string, string>;
const browsers = new Map<string, Browser>();

function admin(...args: string[]): string {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'sync-server/admin.ts', '--data', dataDir, ...args], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`admin ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

/** Whether the device's IndexedDB holds anything of a card (row, state, pack entry, outbox). */
function deviceHolds(page: Page, cardId: string): Promise<boolean> {
  return page.evaluate(
    (id) =>
      new Promise<boolean>((resolve, reject) => {
        const open = indexedDB.open('customer-cards');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction(['cards', 'docs', 'packs'], 'readonly');
          let found = false;
          tx.objectStore('cards').get(id).onsuccess = (e) => (found ||= (e.target as IDBRequest).result !== undefined);
          tx.objectStore('docs').get(id).onsuccess = (e) => (found ||= (e.target as IDBRequest).result !== undefined);
          tx.objectStore('packs').index('cardIds').count(id).onsuccess = (e) => (found ||= ((e.target as IDBRequest).result as number) > 0);
          tx.oncomplete = () => resolve(found);
          tx.onerror = () => reject(tx.error);
        };
      }),
    cardId,
  );
}

const extensionPage = (user: string, path = 'settings.html'): Promise<Page> => openPage(browsers.get(user)!, path, 1200);

beforeAll(async () => {
  fixtures = await serveFixtures();
  ({ dataDir, tokens } = await seedTeam(
    [['rob', 'rep', 'north'], ['rita', 'rep', 'north'], ['mona', 'manager', 'north']],
    [
      { id: NORDLICHT, owner: 'rita', name: 'Nordlicht Optik GmbH', contact: { name: 'Olivia Brandt', email: 'olivia.brandt@nordlicht-optik.de' } },
      { id: HANDED, owner: 'rob', name: '华信贸易有限公司' },
    ],
  ));
  server = await startServerProcess(dataDir);
  for (const user of ['rob', 'rita', 'mona']) {
    const browser = await launchBrowser(newProfileDir());
    browsers.set(user, browser);
    await signIn(browser, server.url, tokens.get(user)!);
  }
}, 180_000);

afterAll(async () => {
  for (const browser of browsers.values()) await browser.close();
  await server?.stop();
  await fixtures?.close();
});

describe('custody in the browser', () => {
  it('a rep asks to borrow from the side panel; the manager approves on the desk; the card comes, and goes when the loan ends', async () => {
    const rob = browsers.get('rob')!;
    const mail = await rob.context.newPage();
    await mail.goto(fixtures.url + 'gmail-unknown.html');
    const panel = await SidePanel.open(rob, await tabIdOf(rob, mail));
    await panel.page.getByTestId('colleague-customer').waitFor({ timeout: 20_000 });
    expect(await panel.page.getByTestId('colleague-customer').textContent()).toContain('Nordlicht Optik GmbH');
    expect(await panel.page.getByTestId('colleague-customer').textContent()).toMatch(/rita.*north/);
    expect(await panel.page.getByTestId('owned-elsewhere-warning').isVisible()).toBe(true);
    await panel.page.getByTestId('ask-to-borrow').click();
    await panel.page.getByTestId('borrow-reason').fill('Visiting Olivia next week with the new catalogue');
    await panel.screenshot('custody-ask-to-borrow');
    await panel.page.getByTestId('borrow-send').click();
    await panel.page.getByTestId('borrow-sent').waitFor();

    const desk = await extensionPage('mona', 'dashboard.html#team');
    const row = desk.getByTestId('loan-row').filter({ hasText: 'Nordlicht Optik GmbH' });
    await row.waitFor({ timeout: 20_000 });
    await row.getByTestId('loan-reason').fill('Approved for the visit');
    await desk.screenshot({ path: join(process.cwd(), 'tests', 'e2e', 'screenshots', 'team-desk.png'), fullPage: true });
    await row.getByTestId('loan-approve').click();
    await desk.getByTestId('loan-row').filter({ hasText: 'Nordlicht Optik GmbH' }).and(desk.locator('[data-status="active"]')).waitFor({ timeout: 10_000 });

    // The card arrives on the rep's device, and the panel now shows it as borrowed.
    await waitFor(() => deviceHolds(panel.page, NORDLICHT), (held) => held, 20_000);
    await panel.cardName().waitFor({ timeout: 20_000 });
    expect(await panel.cardName().textContent()).toBe('Nordlicht Optik GmbH');
    await panel.page.getByTestId('on-loan').waitFor({ timeout: 10_000 });
    expect(await panel.page.getByTestId('card-custody').textContent()).toContain('rita');
    await panel.screenshot('custody-on-loan');

    // Time passes: the loan's end comes (set in the database, as the clock would).
    const db = new Database(join(dataDir, 'cards.sqlite'));
    db.prepare("UPDATE loans SET until = ? WHERE card_id = ? AND status = 'active'").run(Date.now() + 500, NORDLICHT);
    db.close();
    await waitFor(() => deviceHolds(panel.page, NORDLICHT), (held) => !held, 20_000);
    await panel.page.getByTestId('colleague-customer').waitFor({ timeout: 20_000 });
    expect(admin('audit', '--card', NORDLICHT)).toMatch(/loan-request[\s\S]*loan-approve[\s\S]*read[\s\S]*loan-end/);
  });

  it('creating a card from a colleague’s customer’s web page warns first', async () => {
    const rob = browsers.get('rob')!;
    const url = 'https://www.nordlicht-optik.de/ueber-uns';
    const opened = rob.context.waitForEvent('page', { predicate: (page) => page.url().includes('capture.html?mode=create'), timeout: 10_000 });
    await rob.worker.evaluate(
      (u) => (globalThis as unknown as { customerCards: { onMenuClick(info: unknown, tab: unknown): Promise<unknown> } }).customerCards.onMenuClick({ menuItemId: 'create-card-from-page', pageUrl: u }, { title: 'Nordlicht Optik GmbH — Über uns', url: u }),
      url,
    );
    const picker = await opened;
    await picker.getByTestId('capture-owned-elsewhere').waitFor({ timeout: 20_000 });
    expect(await picker.getByTestId('capture-owned-elsewhere').textContent()).toContain('rita');
    await picker.close();
  });

  it('a handover on the desk moves a card from one rep’s device to another’s', async () => {
    const robPage = await extensionPage('rob');
    const ritaPage = await extensionPage('rita');
    await waitFor(() => deviceHolds(robPage, HANDED), (held) => held, 20_000);
    expect(await deviceHolds(ritaPage, HANDED)).toBe(false);

    const desk = await extensionPage('mona', 'dashboard.html#team');
    await desk.getByTestId('team-handover').waitFor();
    await desk.getByTestId('handover-from').selectOption('rob');
    await desk.getByTestId('handover-to').selectOption('rita');
    await desk.getByTestId('handover-choose').check();
    await desk.locator('[data-testid="handover-card"][data-card-name="华信贸易有限公司"]').check();
    await desk.getByTestId('handover-reason').fill('Rob moves to the south territory');
    await desk.getByTestId('handover-submit').click();
    await desk.getByTestId('handover-done').waitFor();

    await waitFor(() => deviceHolds(ritaPage, HANDED), (held) => held, 20_000);
    await waitFor(() => deviceHolds(robPage, HANDED), (held) => !held, 20_000);
    const panel = await SidePanel.open(browsers.get('rita')!);
    await panel.search('华信');
    await panel.page.getByTestId('search-results').getByText('华信贸易有限公司').click();
    await waitFor(() => panel.page.getByTestId('card-custody').textContent(), (text) => !!text?.includes('rita'), 20_000);
  });

  it('a manager hands the customers selected in the register over to another rep', async () => {
    const robPage = await extensionPage('rob');
    const register = await extensionPage('mona', 'dashboard.html?tab=register');
    // A manager filters the register by team (each owner's team, from the server).
    await register.getByTestId('filter-team').locator('summary').click({ timeout: 20_000 });
    await register.getByTestId('filter-team').getByLabel('north', { exact: false }).check();
    const line = register.locator(`[data-testid="register-row"][data-card-id="${HANDED}"]`);
    await line.waitFor({ timeout: 20_000 });
    expect(register.url()).toContain('team=north');
    await line.locator('input[type=checkbox]').check();
    await register.getByTestId('register-handover-open').click();
    await register.getByTestId('register-handover-to').selectOption('rob');
    await register.getByTestId('register-handover-reason').fill('Back to Rob after the reorganisation');
    await register.getByTestId('selection-actions').screenshot({ path: join(process.cwd(), 'tests', 'e2e', 'screenshots', 'register-handover.png') });
    await register.getByTestId('register-handover-submit').click();
    await register.getByTestId('register-handover-done').waitFor({ timeout: 10_000 });
    expect(await register.getByTestId('register-handover-done').textContent()).toContain('1 card(s) handed over to rob');
    await waitFor(() => deviceHolds(robPage, HANDED), (held) => held, 20_000);
    expect(admin('audit', '--card', HANDED)).toMatch(/handover[\s\S]*Back to Rob after the reorganisation/);
  });

  it('a disabled user’s device deletes its cards and says why', async () => {
    const page = await extensionPage('rita');
    expect(await storedCardCount(page)).toBeGreaterThan(0);
    admin('user', 'disable', 'rita');
    await waitFor(() => page.getByTestId('sync-status').getAttribute('data-state'), (state) => state === 'user-disabled', 20_000);
    await waitFor(() => storedCardCount(page), (count) => count === 0, 10_000);
    expect(await page.getByTestId('sync-wiped').textContent()).toMatch(/removed/);
    const panel = await SidePanel.open(browsers.get('rita')!);
    await waitFor(() => panel.page.getByTestId('sync-status').getAttribute('data-state'), (state) => state === 'user-disabled', 10_000);
    await panel.screenshot('custody-user-disabled');
  });
});
