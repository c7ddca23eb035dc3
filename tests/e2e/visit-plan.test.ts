/**
 * The visit cycle in real Chromium with the built extension: customers picked in the register
 * get a visit date; the due list reminds of the visit (with what we still don't know to ask);
 * a visit planned for a day gone by shows "visited, not reported" until a visit is logged from
 * the side panel, which clears it.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayInput } from '../../extension/ui/common/form-dates.ts';
import { serveFixtures, type FixtureServer } from '../tools/serve-fixtures.ts';
import { EXTENSION_ID, launchBrowser, newProfileDir, SidePanel, tabIdOf, type Browser } from './harness.ts';

let fixtures: FixtureServer;
let browser: Browser;
let panel: SidePanel;

beforeAll(async () => {
  fixtures = await serveFixtures();
  browser = await launchBrowser(newProfileDir());
  const mail = await browser.context.newPage();
  await mail.goto(fixtures.url + 'gmail-unknown.html');
  panel = await SidePanel.open(browser, await tabIdOf(browser, mail));
  await panel.createCardFromSender();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await fixtures?.close();
});

async function planInRegister(day: string): Promise<void> {
  const register = await browser.context.newPage();
  await register.setViewportSize({ width: 1300, height: 900 });
  await register.goto(`chrome-extension://${EXTENSION_ID}/dashboard.html?tab=register`);
  const line = register.getByTestId('register-row').filter({ hasText: 'Nordlicht Optik' });
  await line.waitFor({ timeout: 20_000 });
  await line.locator('input[type=checkbox]').check();
  await register.getByTestId('visit-plan-date').fill(day);
  await register.getByTestId('visit-plan').click();
  await expect.poll(() => register.getByTestId('tag-message').textContent()).toBe('1 visit(s) planned');
  await register.close();
}

async function dueKinds(page: Page): Promise<string[]> {
  return page.getByTestId('due-item').evaluateAll((items) => items.map((item) => `${item.getAttribute('data-kind')}: ${item.textContent}`));
}

describe('a visit plan from the register to a logged visit', () => {
  it('reminds of a planned visit, flags it unreported after its day, and clears it when the visit is logged', async () => {
    await planInRegister(todayInput());
    const today = await browser.context.newPage();
    await today.goto(`chrome-extension://${EXTENSION_ID}/dashboard.html?tab=today`);
    await expect.poll(() => dueKinds(today), { timeout: 15_000 }).toContainEqual(expect.stringMatching(/^visit-planned: .*Nordlicht Optik.*Visit planned — read the card; \d+ things we still don’t know to ask/));

    await today.getByTestId('dashboard-due').screenshot({ path: 'tests/e2e/screenshots/visit-plan-due.png' });

    await planInRegister(todayInput(Date.now() - 2 * 86_400_000));
    await today.reload();
    await expect.poll(() => dueKinds(today), { timeout: 15_000 }).toContainEqual(expect.stringMatching(/^visit-unreported: .*Visited, not reported/));

    await panel.page.getByTestId('log-contact-open').click();
    await panel.page.getByTestId('log-kind-visit').click();
    await panel.page.getByTestId('log-text').fill('Visited the shop: new display for the spring frames');
    await panel.page.getByTestId('log-save').click();
    await panel.page.getByTestId('log-saved').waitFor();
    await today.reload();
    await expect.poll(async () => (await dueKinds(today)).filter((k) => k.startsWith('visit')), { timeout: 15_000 }).toEqual([]);
  });
});
