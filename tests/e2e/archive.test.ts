/**
 * The archive stays in the company (issue #25), in real Chromium with the built extension against
 * the real server: a rep who holds her own card and a borrowed one exports the register, backs up
 * and prints — the files lack the borrowed card, the server's audit has each export; a restore
 * leaves out a card she may not read; while the server cannot be told, nothing is released.
 * Screenshots of the export page's notice in English and Chinese.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeBackup, encodeBackup } from '../../shared/backup/backup-format.ts';
import { cid, startServerProcess, type ServerProcess } from '../sync/helpers.ts';
import { EXTENSION_ID, launchBrowser, newProfileDir, openPage, seedTeam, signInOn, waitFor, type Browser } from './harness.ts';

const OWN = cid('e2e-archive-own');
const BORROWED = cid('e2e-archive-borrowed');
const NOT_HERS = cid('e2e-archive-not-hers');
const SHOTS = join(process.cwd(), 'tests', 'e2e', 'screenshots');

let server: ServerProcess;
let dataDir: string;
let browser: Browser;
let page: Page;
let monaBrowser: Browser | undefined;
let tokens: Map<string, string>;
let states: Map<string, Uint8Array>;

function admin(...args: string[]): string {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'sync-server/admin.ts', '--data', dataDir, ...args], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`admin ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

interface Handlers {
  checkReminders(): Promise<{ id: string; cardId: string; kind: string; bucket: string }[]>;
}

/** The worker's reminder check, as its alarm runs it: the items of the due list (the badge counts those overdue or due today). */
function checkReminders(of: Browser): Promise<{ id: string; cardId: string; kind: string; bucket: string }[]> {
  return of.worker.evaluate(() => (globalThis as unknown as { customerCards: Handlers }).customerCards.checkReminders());
}

async function downloaded(click: () => Promise<void>): Promise<string> {
  const [download] = (await Promise.all([page.waitForEvent('download'), click()])) as [Download, void];
  return readFileSync(await download.path()).toString('utf8');
}

/** Whether the device holds a card's index row. */
function deviceHolds(cardId: string): Promise<boolean> {
  return page.evaluate(
    (id) =>
      new Promise<boolean>((resolve, reject) => {
        const open = indexedDB.open('customer-cards');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const request = open.result.transaction(['cards'], 'readonly').objectStore('cards').get(id);
          request.onsuccess = () => resolve(request.result !== undefined);
          request.onerror = () => reject(request.error);
        };
      }),
    cardId,
  );
}

beforeAll(async () => {
  // Made 100 days ago and never contacted since: every card is past its contact cadence (a reminder).
  const madeAt = Date.now() - 100 * 86_400_000;
  ({ dataDir, tokens, states } = await seedTeam(
    [['rob', 'rep', 'north'], ['rita', 'rep', 'north'], ['mona', 'manager', 'north']],
    [
      { id: OWN, owner: 'rob', name: 'Robs Eigenkunde GmbH', madeAt },
      { id: BORROWED, owner: 'rita', name: 'Ritas Leihkunde AG', madeAt },
      { id: NOT_HERS, owner: 'rita', name: 'Nicht Robs Kunde KG', madeAt },
    ],
  ));
  server = await startServerProcess(dataDir);
  admin('borrow', 'grant', '--card', BORROWED, '--to', 'rob', '--until', new Date(Date.now() + 7 * 86_400_000).toISOString(), '--reason', 'visit', '--write');
  browser = await launchBrowser(newProfileDir());
  page = await openPage(browser, 'settings.html', 1100, 800);
  await signInOn(page, server.url, tokens.get('rob')!);
  await waitFor(async () => (await deviceHolds(OWN)) && (await deviceHolds(BORROWED)), (held) => held, 30_000);
}, 180_000);

afterAll(async () => {
  await monaBrowser?.close();
  await browser?.close();
  await server?.stop();
});

describe('the archive stays in the company', () => {
  it('a rep’s export lacks the borrowed card, and the server’s audit has the export', async () => {
    await page.goto(`chrome-extension://${EXTENSION_ID}/transfer.html#export`);
    await expect.poll(() => page.getByTestId('export-panel').textContent(), { timeout: 20_000 }).toContain('2 customers');
    const csv = await downloaded(() => page.getByTestId('export-csv').click());
    expect(csv).toContain('Robs Eigenkunde GmbH');
    expect(csv).not.toContain('Ritas Leihkunde AG');
    expect(await page.getByTestId('export-notice').textContent()).toBe('1 card(s) left out: borrowed cards, and cards that are not yours to export, stay in the company.');
    await page.screenshot({ path: join(SHOTS, 'archive-export-left-out.png') });
    // One entry for the run, naming the card that left and not the borrowed one.
    const run = admin('audit', '--user', 'rob');
    expect(run).toMatch(new RegExp(`\\trob\\texport\\t-\\tcsv: 1 card\\(s\\), 1 refused; cards: ${OWN}$`, 'm'));
    expect(run.split('\n').filter((line) => /\texport\t/.test(line) && line.includes(BORROWED))).toEqual([]);
    expect(admin('audit', '--card', OWN)).toMatch(new RegExp(`\\trob\\texport\\t${OWN}\\tcsv: 1 card\\(s\\), 1 refused$`, 'm'));
    expect(admin('audit', '--card', BORROWED)).not.toMatch(/\trob\texport\t/);
    // The same in Chinese.
    await page.getByTestId('language-switch').selectOption('zh-CN');
    await downloaded(() => page.getByTestId('export-csv').click());
    expect(await page.getByTestId('export-notice').textContent()).toBe('已略去 1 张卡：借阅的卡和不归您导出的卡留在公司。');
    await page.screenshot({ path: join(SHOTS, 'archive-export-left-out-zh-CN.png') });
    await page.getByTestId('language-switch').selectOption('en');
  });

  it('a backup leaves the borrowed card out; a restore leaves out a card she may not read', async () => {
    await page.goto(`chrome-extension://${EXTENSION_ID}/transfer.html#backup`);
    const text = await downloaded(() => page.getByTestId('backup-download').click());
    const backup = decodeBackup(text);
    if (!backup.ok) throw new Error(backup.message);
    expect(backup.value.cards.map((card) => card.id)).toEqual([OWN]);
    expect(await page.getByTestId('backup-message').textContent()).toBe('Backup of 1 cards saved. 1 card(s) were left out of the backup: borrowed cards and cards that are not yours stay in the company.');
    expect(admin('audit', '--user', 'rob')).toMatch(new RegExp(`\\trob\\tbackup\\t-\\tjson: 1 card\\(s\\), 1 refused; cards: ${OWN}$`, 'm'));
    expect(admin('audit', '--card', BORROWED)).not.toMatch(/\trob\tbackup\t/);
    // A file holding her card and a colleague's she may not read.
    const file = encodeBackup({ createdAt: Date.now(), source: 'extension', settings: {}, cards: [{ id: OWN, state: states.get(OWN)! }, { id: NOT_HERS, state: states.get(NOT_HERS)! }] });
    await page.getByTestId('backup-restore').setInputFiles({ name: 'old-backup.json', mimeType: 'application/json', buffer: Buffer.from(file) });
    await expect.poll(() => page.getByTestId('backup-message').textContent(), { timeout: 30_000 }).toMatch(/^Restored: 0 new cards, \d merged, \d unchanged; 0 settings\. 1 card\(s\) in the file were not restored: you may no longer read them\.$/);
    expect(await deviceHolds(NOT_HERS)).toBe(false);
  });

  it('the register prints and exports only her own lines', async () => {
    await page.goto(`chrome-extension://${EXTENSION_ID}/dashboard.html?tab=register`);
    await expect.poll(() => page.getByTestId('register-row').count(), { timeout: 30_000 }).toBe(2);
    await page.evaluate(() => {
      window.print = () => undefined;
    });
    await page.getByTestId('print-register').click();
    const printed = page.getByTestId('register-print');
    await printed.waitFor({ state: 'attached', timeout: 10_000 });
    expect(await printed.locator('tbody tr').allTextContents()).toEqual([expect.stringContaining('Robs Eigenkunde GmbH')]);
    expect(await page.getByTestId('register-notice').textContent()).toContain('1 card(s) left out');
    expect(admin('audit', '--user', 'rob')).toMatch(/\trob\tprint\t-\ta4: 1 card\(s\), 1 refused/);
  });

  it('the borrowed card may not be printed', async () => {
    await page.goto(`chrome-extension://${EXTENSION_ID}/card.html?id=${BORROWED}`);
    await page.getByTestId('print').click();
    await expect.poll(() => page.getByTestId('print-notice').textContent(), { timeout: 10_000 }).toBe('This card may not be printed: a borrowed card is read here, never copied out of the company.');
    // The browser's own print command prints nothing of it either.
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByTestId('card-page-name').isVisible()).toBe(false);
    await page.emulateMedia({ media: 'screen' });
    expect(admin('audit', '--user', 'rob')).toMatch(/\trob\tprint\t-\ta4: 0 card\(s\), 1 refused/);
  });

  it('reminders follow responsibility: a rep is not reminded of a borrowed card, a manager not of her reps’ cards', async () => {
    const robs = await checkReminders(browser);
    expect(robs.filter((item) => item.cardId === OWN).map((item) => item.kind)).toEqual(['cadence']);
    expect(robs.filter((item) => item.cardId === BORROWED)).toEqual([]);
    expect(await browser.worker.evaluate(() => chrome.action.getBadgeText({}))).toBe('1');

    monaBrowser = await launchBrowser(newProfileDir());
    const desk = await openPage(monaBrowser, 'settings.html', 1100, 900);
    await signInOn(desk, server.url, tokens.get('mona')!);
    // She holds her team's three cards, every one past its cadence, and none of it is in her own list or badge.
    await waitFor(() => desk.evaluate(() => new Promise<number>((resolve) => {
      const open = indexedDB.open('customer-cards');
      open.onsuccess = () => {
        const count = open.result.transaction(['cards'], 'readonly').objectStore('cards').count();
        count.onsuccess = () => resolve(count.result);
      };
    })), (count) => count === 3, 30_000);
    expect(await checkReminders(monaBrowser)).toEqual([]);
    expect(await monaBrowser.worker.evaluate(() => chrome.action.getBadgeText({}))).toBe('');
    // On the desk: a digest per rep and the team's overdue items.
    await desk.goto(`chrome-extension://${EXTENSION_ID}/dashboard.html#team`);
    await desk.getByTestId('team-digest').waitFor({ timeout: 20_000 });
    await expect.poll(() => desk.getByTestId('digest-rep').count(), { timeout: 10_000 }).toBe(2);
    expect(await desk.locator('[data-rep="rob"] [data-testid="digest-overdue"]').textContent()).toBe('1');
    expect(await desk.locator('[data-rep="rita"] [data-testid="digest-overdue"]').textContent()).toBe('2');
    expect(await desk.getByTestId('digest-item').count()).toBe(3);
    await desk.getByTestId('team-digest').screenshot({ path: join(SHOTS, 'archive-team-digest.png') });
    await desk.getByTestId('language-switch').selectOption('zh-CN');
    await desk.getByText('团队提醒').waitFor();
    await desk.getByTestId('team-digest').screenshot({ path: join(SHOTS, 'archive-team-digest-zh-CN.png') });
  });

  it('while the server cannot be told, nothing is exported', async () => {
    await server.stop();
    await page.goto(`chrome-extension://${EXTENSION_ID}/transfer.html#export`);
    await expect.poll(() => page.getByTestId('export-panel').textContent(), { timeout: 20_000 }).toContain('2 customers');
    let downloads = 0;
    page.on('download', () => downloads++);
    await page.getByTestId('export-csv').click();
    await expect.poll(() => page.getByTestId('export-notice').textContent(), { timeout: 20_000 }).toContain('The server cannot be reached, so nothing was released');
    await page.screenshot({ path: join(SHOTS, 'archive-export-offline.png') });
    expect(downloads).toBe(0);
  });
});
