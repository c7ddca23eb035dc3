/**
 * The complete card in real Chromium: edit fields of several sections, a controlled change is
 * refused without a reason, change records show reasons and restore earlier values, orders and
 * payments update receivables and the ABC class, the side panel shows the summary, and the UI
 * speaks Chinese.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveFixtures, type FixtureServer } from '../tools/serve-fixtures.ts';
import { EXTENSION_ID, launchBrowser, newProfileDir, SidePanel, tabIdOf, waitFor, type Browser } from './harness.ts';

let fixtures: FixtureServer;
let browser: Browser;
let cardPage: Page;
let panel: SidePanel;

async function editField(page: Page, key: string, value: string, reason?: string): Promise<void> {
  await page.getByTestId(`edit-${key}`).click();
  const input = page.getByTestId(`input-${key}`);
  if ((await input.evaluate((el) => el.tagName)) === 'SELECT') await input.selectOption(value);
  else await input.fill(value);
  if (reason !== undefined) await page.getByTestId(`reason-${key}`).fill(reason);
  await page.getByTestId(`save-${key}`).click();
}

beforeAll(async () => {
  fixtures = await serveFixtures();
  browser = await launchBrowser(newProfileDir());
  const loader = await SidePanel.open(browser);
  await loader.loadDemoData();
  await loader.page.close();
  const mail = await browser.context.newPage();
  await mail.goto(fixtures.url + 'gmail-thread.html');
  panel = await SidePanel.open(browser, await tabIdOf(browser, mail));
  await waitFor(() => panel.cardName().textContent(), (name) => name === '金鼎贸易有限公司');
  const opened = browser.context.waitForEvent('page');
  await panel.page.getByTestId('open-full-card').click();
  cardPage = await opened;
  await cardPage.getByTestId('card-page-name').waitFor();
});

afterAll(async () => {
  await browser?.close();
  await fixtures?.close();
});

describe('the card page', () => {
  it('edits fields of several sections and records each change', async () => {
    await cardPage.setViewportSize({ width: 1280, height: 900 });
    await editField(cardPage, 'city', '苏州');
    await editField(cardPage, 'industry', 'Electronics wholesale');
    await editField(cardPage, 'paymentTermsDays', '45');
    await editField(cardPage, 'organisation', 'limited-company');
    await expect.poll(() => cardPage.getByTestId('edit-city').textContent()).toBe('苏州');
    await expect.poll(() => cardPage.getByTestId('edit-organisation').textContent()).toBe('Limited company');
    await cardPage.getByTestId('history-field').selectOption('city');
    await expect.poll(() => cardPage.getByTestId('history-row').first().textContent()).toContain('苏州');
    await cardPage.getByTestId('history-field').selectOption('');
  });

  it('refuses a controlled change without a reason, in the user’s language, and keeps the reason', async () => {
    await editField(cardPage, 'creditLimitApproved', '500000');
    await cardPage.getByText('This change needs a reason.').waitFor();
    await cardPage.getByTestId('reason-creditLimitApproved').fill('Approved by the GM after the 2026 review');
    await cardPage.getByTestId('save-creditLimitApproved').click();
    await expect.poll(() => cardPage.getByTestId('edit-creditLimitApproved').textContent()).toBe('500,000');
    await expect.poll(() => cardPage.getByTestId('history').textContent()).toContain('Approved by the GM after the 2026 review');
    await editField(cardPage, 'staffCount', 'many');
    await cardPage.getByText('This value is not valid.').waitFor();
    await cardPage.getByRole('button', { name: 'Cancel' }).click();
  });

  it('restores an earlier value as a new change record', async () => {
    const before = await cardPage.getByTestId('history-row').count();
    await cardPage.getByTestId('history-field').selectOption('city');
    await cardPage.getByTestId('history-row').first().getByRole('button', { name: 'Restore this value' }).click();
    await expect.poll(() => cardPage.getByTestId('edit-city').textContent()).toBe('上海');
    await cardPage.getByTestId('history-field').selectOption('');
    await expect.poll(() => cardPage.getByTestId('history-row').count()).toBe(before + 1);
  });

  it('updates receivables and the ABC class when an order and a payment are added', async () => {
    await cardPage.getByTestId('ledger-amount').fill('90000000');
    await cardPage.getByTestId('ledger-add').click();
    await cardPage.getByTestId('ledger-kind').selectOption('payment');
    await cardPage.getByTestId('ledger-amount').fill('1000000');
    await cardPage.getByTestId('ledger-add').click();
    await expect.poll(() => cardPage.getByTestId('chip-abc').textContent(), { timeout: 15_000 }).toBe('Class A');
    const receivables = await cardPage.getByTestId('ledger-receivables').textContent();
    expect(Number(receivables!.replace(/[^\d.]/g, ''))).toBeGreaterThanOrEqual(89_000_000);
    await cardPage.screenshot({ path: 'tests/e2e/screenshots/card-page.png', fullPage: true });
  });

  it('shows the summary of the sender’s card in the side panel', async () => {
    await expect.poll(() => panel.page.getByTestId('summary-abc').textContent(), { timeout: 15_000 }).toBe('Class A');
    expect(await panel.page.getByTestId('summary-stage').textContent()).toBeTruthy();
    await panel.screenshot('sidepanel-summary');
  });

  it('speaks Chinese: the catalogue’s labels and the UI', async () => {
    await cardPage.getByTestId('language-switch').selectOption('zh-CN');
    await cardPage.getByText('基本资料').waitFor();
    await cardPage.getByText('信用分析').waitFor();
    expect(await cardPage.getByTestId('field-name').textContent()).toContain('商号');
    await cardPage.screenshot({ path: 'tests/e2e/screenshots/card-page-zh-CN.png', fullPage: true });
    await cardPage.emulateMedia({ media: 'print' });
    await cardPage.screenshot({ path: 'tests/e2e/screenshots/card-print.png', fullPage: true });
    await cardPage.emulateMedia({ media: 'screen' });
    await cardPage.getByTestId('language-switch').selectOption('auto');
  });

  it('recomputes classes with the thresholds chosen in the settings', async () => {
    // A second big buyer: C by default, since the first buyer alone holds over 90 % of purchases.
    const panel = await SidePanel.open(browser);
    await panel.search('Keller');
    await panel.page.getByTestId('search-results').getByText('Keller Maschinenbau GmbH').click();
    const opened = browser.context.waitForEvent('page');
    await panel.page.getByTestId('open-full-card').click();
    const keller = await opened;
    await keller.getByTestId('ledger-amount').fill('5000000');
    await keller.getByTestId('ledger-add').click();
    await expect.poll(() => keller.getByTestId('chip-abc').textContent(), { timeout: 15_000 }).toBe('Class C');
    const settings = await browser.context.newPage();
    await settings.goto(`chrome-extension://${EXTENSION_ID}/settings.html`);
    await settings.getByTestId('abc-a').fill('99');
    await settings.getByTestId('abc-b').fill('100');
    await settings.getByTestId('save-classification').click();
    await settings.getByTestId('settings-classification').getByText('Saved').waitFor({ timeout: 30_000 });
    await expect.poll(() => keller.getByTestId('chip-abc').textContent(), { timeout: 15_000 }).toBe('Class A');
    await expect.poll(() => panel.page.getByTestId('summary-abc').textContent(), { timeout: 15_000 }).toBe('Class A');
    for (const page of [settings, keller, panel.page]) await page.close();
  });
});
