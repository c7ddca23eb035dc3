/**
 * The desk's audit of a person, in real Chromium with the built extension against the real
 * server process: a rep's sync of their own cards is one line, "Received their own cards — N
 * cards", in English and in Chinese (the server writes one `read-own` entry per feed run);
 * and every other action has its words too (an export here: an action without a label used to
 * break the whole table). Screenshots: tests/e2e/screenshots/audit-own-reads-{en,zh}.png.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cid, startServerProcess, type ServerProcess } from '../sync/helpers.ts';
import { callApiOk, launchBrowser, newProfileDir, openPage, seedTeam, signIn, type Browser } from './harness.ts';

let server: ServerProcess;
let tokens: Map<string, string>;
const browsers: Browser[] = [];

/** A browser signed in as `user`, synced. */
async function signedIn(user: string, language: string): Promise<Browser> {
  const browser = await launchBrowser(newProfileDir(), { language });
  browsers.push(browser);
  await signIn(browser, server.url, tokens.get(user)!);
  return browser;
}

/** The manager's desk, the audit of rob, as it shows. */
async function robsAudit(browser: Browser, shot: string): Promise<{ page: Page; text: string }> {
  const page = await openPage(browser, 'dashboard.html#team', 1200);
  await page.getByTestId('audit-person').selectOption('rob', { timeout: 30_000 });
  const table = page.getByTestId('audit-events');
  await table.waitFor({ timeout: 15_000 });
  await table.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `tests/e2e/screenshots/audit-own-reads-${shot}.png` });
  return { page, text: (await table.textContent()) ?? '' };
}

beforeAll(async () => {
  const fields = { city: 'Hangzhou' };
  const seeded = await seedTeam(
    [['rob', 'rep', 'north'], ['mona', 'manager', 'north']],
    [
      { id: cid('own-1'), owner: 'rob', name: 'Northwind Traders', fields },
      { id: cid('own-2'), owner: 'rob', name: '华信贸易', fields },
      { id: cid('own-3'), owner: 'rob', name: 'Contoso', fields },
    ],
  );
  tokens = seeded.tokens;
  server = await startServerProcess(seeded.dataDir);
  // Rob's device receives his three cards: one audit line for the run.
  await signedIn('rob', 'en-US');
  // He exports one of them, as the register's export asks the server first.
  await callApiOk(server.url, tokens.get('rob')!, 'POST', '/api/archive/take-out', { kind: 'export', format: 'xlsx', cardIds: [cid('own-1')] });
}, 120_000);

afterAll(async () => {
  for (const browser of browsers) await browser.close();
  await server?.stop();
});

describe('the audit of a rep’s own sync on the desk', () => {
  it('shows one line with the number of cards, in English', async () => {
    const { text } = await robsAudit(await signedIn('mona', 'en-US'), 'en');
    expect(text).toContain('Received their own cards');
    expect(text).toContain('3 cards');
    expect(text).toContain('Exported');
    expect(text).not.toMatch(/read-own|log \d/);
  }, 120_000);

  it('and in Chinese', async () => {
    const { text } = await robsAudit(await signedIn('mona', 'zh-CN'), 'zh');
    expect(text).toContain('接收本人的资料卡');
    expect(text).toContain('3 张资料卡');
    expect(text).toContain('导出');
    expect(text).toContain('xlsx：1 张资料卡');
    expect(text).not.toMatch(/read-own|Received|Exported/);
  }, 120_000);
});
