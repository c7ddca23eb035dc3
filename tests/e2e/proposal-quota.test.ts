/**
 * The proposal quota as a rep meets it, in real Chromium with the built extension against the
 * real server process (started with `--max-open-proposals 1`): with one proposal already
 * waiting, proposing another controlled change on the card page shows the server's refusal as a
 * reason in the page's language, English and Chinese, and the field keeps its editor (nothing was
 * proposed). Screenshots: tests/e2e/screenshots/proposal-quota-{en,zh}.png.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cid, startServerProcess, type ServerProcess } from '../sync/helpers.ts';
import { callApi, launchBrowser, newProfileDir, openPage, seedTeam, signIn, type Browser } from './harness.ts';

const OWN = cid('quota-own');
let server: ServerProcess;
let token = '';
const browsers: Browser[] = [];

async function cardPageOf(language: string): Promise<Page> {
  const browser = await launchBrowser(newProfileDir(), { language });
  browsers.push(browser);
  await signIn(browser, server.url, token);
  const card = await openPage(browser, `card.html?id=${OWN}`, 1000, 800);
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
  const { dataDir, tokens } = await seedTeam([['rob', 'rep', 'north'], ['mona', 'manager', 'north']], [{ id: OWN, owner: 'rob', name: 'Northwind Traders', fields: { city: 'Hangzhou' } }]);
  token = tokens.get('rob')!;
  server = await startServerProcess(dataDir, 0, [], ['--max-open-proposals', '1']);
  // Rob's one allowed proposal is already waiting for the manager.
  const response = await callApi(server.url, token, 'POST', '/api/proposals', { cardId: OWN, field: 'creditLimitManager', value: 50_000, reason: 'first proposal' });
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
