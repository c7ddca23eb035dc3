/**
 * The proposal quota as a rep meets it, in real Chromium with the built extension against the
 * real server process (started with `--max-open-proposals 1`): with one proposal already
 * waiting, proposing another controlled change on the card page shows the server's refusal as a
 * reason in the page's language, English and Chinese, and the field keeps its editor (nothing was
 * proposed). Screenshots: tests/e2e/screenshots/proposal-quota-{en,zh}.png.
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

const OWN = cid('quota-own');
let server: ServerProcess;
let token = '';
const browsers: Browser[] = [];

function serverCard(id: string, owner: string, name: string) {
  const doc = new Y.Doc();
  const result = applyMutation(doc, { type: 'card-create', name, fields: { city: 'Hangzhou' } }, { actor: owner, now: Date.now(), newId: () => crypto.randomUUID() }, id);
  if (!result.ok) throw new Error(result.message);
  const state = Y.encodeStateAsUpdate(doc);
  return { id, owner, state, row: rowOfState(state, id) };
}

async function cardPageOf(language: string): Promise<Page> {
  const browser = await launchBrowser(newProfileDir(), { language });
  browsers.push(browser);
  const settings = await browser.context.newPage();
  await settings.goto(`chrome-extension://${EXTENSION_ID}/settings.html`);
  await settings.getByTestId('server-url').fill(server.url);
  await settings.getByTestId('server-token').fill(token);
  await settings.getByTestId('sign-in').click();
  await waitFor(() => settings.getByTestId('sync-status').getAttribute('data-state'), (state) => state === 'online', 30_000);
  const card = await browser.context.newPage();
  await card.setViewportSize({ width: 1000, height: 800 });
  await card.goto(`chrome-extension://${EXTENSION_ID}/card.html?id=${OWN}`);
  await card.getByTestId('card-page-owner').waitFor({ timeout: 30_000 });
  return card;
}

/** Proposes a new approved credit limit on the card page and returns the refusal the page shows. */
async function proposeRefused(card: Page, language: string): Promise<string> {
  await card.getByTestId('edit-creditLimitApproved').click();
  await card.getByTestId('input-creditLimitApproved').fill('90000');
  await card.getByTestId('reason-creditLimitApproved').fill(language === 'en' ? 'orders doubled' : '订单翻倍');
  await card.getByTestId('save-creditLimitApproved').click();
  const alert = card.getByTestId('field-creditLimitApproved').getByRole('alert');
  await alert.waitFor({ timeout: 10_000 });
  await alert.scrollIntoViewIfNeeded();
  await card.screenshot({ path: `tests/e2e/screenshots/proposal-quota-${language === 'en' ? 'en' : 'zh'}.png` });
  return (await alert.textContent()) ?? '';
}

beforeAll(async () => {
  const dataDir = newDataDir();
  const storage = openSqliteStorage(dataDir);
  await storage.addTeam('north');
  await storage.addUser('rob', 'rep', 'north');
  await storage.addUser('mona', 'manager', 'north');
  token = newToken();
  await storage.addToken(hashToken(token), 'rob');
  await storage.importCards([serverCard(OWN, 'rob', 'Northwind Traders')]);
  await storage.close();
  server = await startServerProcess(dataDir, 0, [], ['--max-open-proposals', '1']);
  // Rob's one allowed proposal is already waiting for the manager.
  const response = await fetch(`${server.url.replace('ws', 'http')}/api/proposals`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ cardId: OWN, field: 'creditLimitManager', value: 50_000, reason: 'first proposal' }),
  });
  expect(response.status).toBe(201);
}, 120_000);

afterAll(async () => {
  for (const browser of browsers) await browser.close();
  await server?.stop();
});

describe('the proposal quota on the device', () => {
  it('the card page shows the refusal as a reason in English, and keeps the editor open', async () => {
    const card = await cardPageOf('en-US');
    const shown = await proposeRefused(card, 'en');
    expect(shown).toMatch(/waiting for your manager’s decision/);
    expect(shown).not.toMatch(/too-many-proposals/);
    expect(await card.getByTestId('input-creditLimitApproved').isVisible()).toBe(true);
  }, 120_000);

  it('and in Chinese', async () => {
    const card = await cardPageOf('zh-CN');
    const shown = await proposeRefused(card, 'zh');
    expect(shown).toMatch(/等待主管决定/);
    expect(shown).not.toMatch(/too-many-proposals|waiting/);
  }, 120_000);
});
