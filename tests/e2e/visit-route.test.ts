/**
 * A day's visits picked by region, without a map, in real Chromium with the sample customers:
 * the routes tab groups the customers by region, the first few of a region are ticked and given
 * a date, and they are planned visits (the register shows the same date). Screenshots in English
 * and Chinese.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXTENSION_ID, launchBrowser, newProfileDir, SidePanel, type Browser } from './harness.ts';

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser(newProfileDir());
  const panel = await SidePanel.open(browser);
  await panel.loadDemoData();
}, 90_000);

afterAll(() => browser?.close());

describe('visit routes by region', () => {
  it('ticks the first stops of a region and plans them for a day', async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`chrome-extension://${EXTENSION_ID}/dashboard.html?tab=routes`);
    const stops = page.getByTestId('route-stop');
    await stops.first().waitFor({ timeout: 30_000 });
    // The largest region comes first; every stop listed is of that region.
    const regions = await page.getByTestId('route-region').locator('option').allTextContents();
    expect(regions.length).toBeGreaterThan(1);
    const counts = regions.map((label) => Number(/(\d+)/.exec(label.split('·').pop()!)?.[1]));
    expect(counts[0]).toBe(Math.max(...counts));
    expect(await stops.count()).toBe(counts[0]);

    await page.getByTestId('route-region').selectOption({ index: 1 });
    await expect.poll(() => stops.count()).toBe(counts[1]);
    await page.getByTestId('route-pick-first').click();
    const picked = Math.min(6, counts[1]!);
    expect(await page.getByTestId('route-picked').textContent()).toBe(`${picked} picked for the route`);
    await page.getByTestId('route-date').fill('2026-12-24');
    await page.screenshot({ path: 'tests/e2e/screenshots/visit-route-en.png', fullPage: true });
    await page.getByTestId('route-plan').click();
    await expect.poll(() => page.getByTestId('route-planned').textContent()).toBe(`${picked} visit(s) planned`);
    await expect.poll(() => page.getByTestId('route-stop-planned').filter({ hasText: /2026/ }).count(), { timeout: 20_000 }).toBe(picked);

    await page.getByTestId('language-switch').selectOption('zh-CN');
    await page.getByText('按地区安排一天的拜访路线').waitFor();
    await page.screenshot({ path: 'tests/e2e/screenshots/visit-route-zh.png', fullPage: true });
    await page.getByTestId('language-switch').selectOption('auto');
  });
});
