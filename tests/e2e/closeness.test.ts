/**
 * How close we are to a person, in real Chromium with the built extension: a call logged with
 * Olivia from the side panel; on the card page the rep ticks signs of closeness, accepts the
 * level they suggest, later sets one by hand with a reason, notes her influence and mail opt-in,
 * and reads the level's dated history. Screenshots in English and Chinese.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveFixtures, type FixtureServer } from '../tools/serve-fixtures.ts';
import { launchBrowser, newProfileDir, SidePanel, tabIdOf, type Browser } from './harness.ts';

let fixtures: FixtureServer;
let browser: Browser;
let cardPage: Page;

beforeAll(async () => {
  fixtures = await serveFixtures();
  browser = await launchBrowser(newProfileDir());
  const mail = await browser.context.newPage();
  await mail.goto(fixtures.url + 'gmail-unknown.html');
  const panel = await SidePanel.open(browser, await tabIdOf(browser, mail));
  await panel.createCardFromSender();
  await panel.page.getByTestId('log-contact-open').click();
  await panel.page.getByTestId('log-text').fill('Called Olivia: she shared the news of their new branch before anyone else');
  await panel.page.getByTestId('log-person').selectOption({ label: 'Olivia Brandt' });
  await panel.page.getByTestId('log-save').click();
  await panel.page.getByTestId('log-saved').waitFor();
  const opened = browser.context.waitForEvent('page');
  await panel.page.getByTestId('open-full-card').click();
  cardPage = await opened;
  await cardPage.setViewportSize({ width: 1280, height: 1000 });
  await cardPage.getByTestId('card-page-name').waitFor();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await fixtures?.close();
});

describe('closeness per person', () => {
  it('suggests a level from the signs and the contacts, keeps the level set with its history', async () => {
    const panel = cardPage.getByTestId('closeness').first();
    expect(await panel.getByTestId('closeness-level').textContent()).toBe('not judged yet');
    expect(await panel.getByTestId('closeness-suggestion').textContent()).toContain('Suggested: Far');
    for (const sign of ['news-first', 'asks-our-view', 'talks-openly']) {
      await panel.getByTestId(`closeness-sign-${sign}`).click();
      await expect.poll(() => panel.getByTestId(`closeness-sign-${sign}`).isChecked()).toBe(true);
    }
    // 3 of 6 signs and a call in the last 30 days: friendly.
    await expect.poll(() => panel.getByTestId('closeness-suggestion').textContent()).toContain('Suggested: Friendly');
    expect(await panel.getByTestId('closeness-suggestion').textContent()).toContain('3 of 6 signs, 1 contacts logged with them');
    await panel.getByTestId('closeness-accept').click();
    await expect.poll(() => panel.getByTestId('closeness-level').textContent()).toBe('Friendly');
    await panel.getByTestId('closeness-set').selectOption('close');
    await panel.getByTestId('closeness-reason').fill('Invited us to the opening of the new branch');
    await panel.getByTestId('closeness-save').click();
    await expect.poll(() => panel.getByTestId('closeness-level').textContent()).toBe('Close');
    await panel.getByTestId('closeness-influence').selectOption('decides');
    await panel.getByTestId('closeness-mail').click();
    await expect.poll(() => panel.getByTestId('closeness-mail').isChecked()).toBe(true);
    const history = panel.getByTestId('closeness-history').locator('li');
    await expect.poll(() => history.count()).toBe(2);
    expect(await history.nth(0).textContent()).toMatch(/Friendly → Close — Invited us to the opening of the new branch/);
    expect(await history.nth(1).textContent()).toMatch(/— → Friendly — Accepted from the signs: 3 of 6 signs/);
    expect(await panel.locator('.closeness-head').textContent()).toMatch(/since .+, set by /);
    await panel.screenshot({ path: 'tests/e2e/screenshots/closeness-en.png' });
    await cardPage.getByTestId('language-switch').selectOption('zh-CN');
    await panel.getByText('关系远近').waitFor();
    expect(await panel.getByTestId('closeness-level').textContent()).toBe('亲近');
    await panel.screenshot({ path: 'tests/e2e/screenshots/closeness-zh.png' });
    await cardPage.getByTestId('language-switch').selectOption('auto');
    // Back in English before the next test reloads: the choice is stored, not only shown.
    await expect.poll(() => panel.getByTestId('closeness-level').textContent()).toBe('Close');
  });

  it('a reload shows the same closeness (it is stored on the person)', async () => {
    await cardPage.reload();
    const panel = cardPage.getByTestId('closeness').first();
    await panel.waitFor();
    expect(await panel.getByTestId('closeness-level').textContent()).toBe('Close');
    expect(await panel.getByTestId('closeness-influence').inputValue()).toBe('decides');
    expect(await panel.getByTestId('closeness-sms').isChecked()).toBe(false);
  });
});
