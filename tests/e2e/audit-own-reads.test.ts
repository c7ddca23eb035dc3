/**
 * The desk's audit of a person, in real Chromium with the built extension against the real
 * server process: a rep's sync of their own cards is one line, "Received their own cards — N
 * cards", in English and in Chinese (the server writes one `read-own` entry per feed run).
 * Screenshots: tests/e2e/screenshots/audit-own-reads-{en,zh}.png.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { applyMutation } from '../../shared/mutations.ts';
import { hashToken, newToken } from '../../sync-server/custody/auth.ts';
import { rowOfState } from '../../sync-server/card-row.ts';
import { openSqliteStorage } from '../../sync-server/storage/storage-sqlite.ts';
import { cid, newDataDir, startServerProcess, type ServerProcess } from '../sync/helpers.ts';
import { EXTENSION_ID, launchBrowser, newProfileDir, waitFor, type Browser } from './harness.ts';

let server: ServerProcess;
const tokens = new Map<string, string>();
const browsers: Browser[] = [];

function serverCard(id: string, owner: string, name: string) {
  const doc = new Y.Doc();
  const result = applyMutation(doc, { type: 'card-create', name, fields: { city: 'Hangzhou' } }, { actor: owner, now: Date.now(), newId: () => crypto.randomUUID() }, id);
  if (!result.ok) throw new Error(result.message);
  const state = Y.encodeStateAsUpdate(doc);
  return { id, owner, state, row: rowOfState(state, id) };
}

/** A browser signed in as `user`, synced. */
async function signedIn(user: string, language: string): Promise<Browser> {
  const browser = await launchBrowser(newProfileDir(), { language });
  browsers.push(browser);
  const settings = await browser.context.newPage();
  await settings.goto(`chrome-extension://${EXTENSION_ID}/settings.html`);
  await settings.getByTestId('server-url').fill(server.url);
  await settings.getByTestId('server-token').fill(tokens.get(user)!);
  await settings.getByTestId('sign-in').click();
  await waitFor(() => settings.getByTestId('sync-status').getAttribute('data-state'), (state) => state === 'online', 30_000);
  return browser;
}

/** The manager's desk, the audit of rob, as it shows. */
async function robsAudit(browser: Browser, shot: string): Promise<{ page: Page; text: string }> {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 1200, height: 900 });
  await page.goto(`chrome-extension://${EXTENSION_ID}/dashboard.html#team`);
  await page.getByTestId('audit-person').selectOption('rob', { timeout: 30_000 });
  const table = page.getByTestId('audit-events');
  await table.waitFor({ timeout: 15_000 });
  await table.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `tests/e2e/screenshots/audit-own-reads-${shot}.png` });
  return { page, text: (await table.textContent()) ?? '' };
}

beforeAll(async () => {
  const dataDir = newDataDir();
  const storage = openSqliteStorage(dataDir);
  await storage.addTeam('north');
  for (const [name, role] of [['rob', 'rep'], ['mona', 'manager']] as const) {
    await storage.addUser(name, role, 'north');
    const token = newToken();
    await storage.addToken(hashToken(token), name);
    tokens.set(name, token);
  }
  await storage.importCards([serverCard(cid('own-1'), 'rob', 'Northwind Traders'), serverCard(cid('own-2'), 'rob', '华信贸易'), serverCard(cid('own-3'), 'rob', 'Contoso')]);
  await storage.close();
  server = await startServerProcess(dataDir);
  // Rob's device receives his three cards: one audit line for the run.
  await signedIn('rob', 'en-US');
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
    expect(text).not.toMatch(/read-own|log \d/);
  }, 120_000);

  it('and in Chinese', async () => {
    const { text } = await robsAudit(await signedIn('mona', 'zh-CN'), 'zh');
    expect(text).toContain('接收本人的资料卡');
    expect(text).toContain('3 张资料卡');
    expect(text).not.toMatch(/read-own|Received/);
  }, 120_000);
});
