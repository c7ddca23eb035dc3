/**
 * A day's visits picked by region, without a map, in real Chromium with the sample customers
 * and five Shanghai customers whose cards hold only an address: the routes tab groups them by
 * region (the city read from the address), orders them by district and along the street, the
 * first few are ticked and given a date, and they are planned visits. Screenshots in English and
 * Chinese.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXTENSION_ID, launchBrowser, newProfileDir, SidePanel, type Browser } from './harness.ts';

let browser: Browser;

/** Customers whose card has no city, only an address, given in no particular order. */
const SHANGHAI: [string, string][] = [
  ['漕河泾电子', '上海市徐汇区漕宝路66号'],
  ['张江药业 88', '上海市浦东新区张江路88号'],
  ['世纪精工', '上海市浦东新区世纪大道100号'],
  ['张江药业 6', '上海市浦东新区张江路6号'],
  ['徐家汇百货', '上海市徐汇区漕溪北路8号'],
];

beforeAll(async () => {
  browser = await launchBrowser(newProfileDir());
  const panel = await SidePanel.open(browser);
  await panel.loadDemoData();
  // Cards made through the extension's own store (as the capture and import pages do).
  await browser.worker.evaluate(async (cards) => {
    const store = (globalThis as unknown as { customerCards: { store: { mutate(m: unknown): Promise<{ ok: boolean }> } } }).customerCards.store;
    for (const [name, address] of cards) {
      const made = await store.mutate({ type: 'card-create', name, fields: { address } });
      if (!made.ok) throw new Error(`card ${name}: ${JSON.stringify(made)}`);
    }
  }, SHANGHAI);
}, 90_000);

afterAll(() => browser?.close());

describe('visit routes by region', () => {
  it('ticks the first stops of a region and plans them for a day', async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`chrome-extension://${EXTENSION_ID}/dashboard.html?tab=routes`);
    const stops = page.getByTestId('route-stop');
    await stops.first().waitFor({ timeout: 30_000 });
    // The largest region comes first: Shanghai, the sample's customer there (city 上海) with the five
    // whose address names 上海市; by district (浦东新区 before 徐汇区), then along the street.
    const regions = await page.getByTestId('route-region').locator('option').allTextContents();
    expect(regions[0]).toBe('上海 · 6 customers');
    expect(regions.length).toBeGreaterThan(10);
    await expect.poll(() => stops.count()).toBe(6);
    const names = await stops.locator('td:nth-child(3)').allTextContents();
    expect(names.slice(1)).toEqual(['世纪精工', '张江药业 6', '张江药业 88', '漕河泾电子', '徐家汇百货']);
    expect(await stops.nth(1).locator('td').nth(3).textContent()).toBe('浦东新区 · 世纪大道100号');

    // A day's route: the first four stops.
    await page.getByTestId('route-pick-first').locator('xpath=following-sibling::input[1]').fill('4');
    await page.getByTestId('route-pick-first').click();
    const picked = 4;
    expect(await page.getByTestId('route-picked').textContent()).toBe(`${picked} picked for the route`);
    await page.getByTestId('route-date').fill('2026-12-24');
    await page.screenshot({ path: 'tests/e2e/screenshots/visit-route-en.png', fullPage: true });
    await page.getByTestId('route-plan').click();
    await expect.poll(() => page.getByTestId('route-planned').textContent()).toBe(`${picked} visit(s) planned`);
    await expect.poll(() => page.getByTestId('route-stop-planned').filter({ hasText: /2026/ }).count(), { timeout: 20_000 }).toBe(picked);

    await page.getByTestId('language-switch').selectOption('zh-CN');
    await page.getByText('按地区安排一天的拜访路线').waitFor();
    expect(await page.getByTestId('route-planned').textContent()).toBe(`已安排 ${picked} 次拜访`);
    await page.screenshot({ path: 'tests/e2e/screenshots/visit-route-zh.png', fullPage: true });
    await page.getByTestId('language-switch').selectOption('auto');
  });
});
