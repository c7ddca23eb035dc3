/**
 * The register and the desk in real Chromium on 10,000 cards: filters that combine, sort, a saved
 * view and the view in the URL, selecting rows and printing a visit pack (sensitive fields left
 * out), tagging, printing the register as 客户名册, finding by pinyin; and screenshots of the
 * register and every analysis chart in both languages (tests/e2e/screenshots/register-*.png,
 * desk-*.png). Expected counts are computed independently from the store in the service worker.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXTENSION_ID, launchBrowser, newProfileDir, waitFor, type Browser } from './harness.ts';
import { registerSeeds } from './register-data.ts';

const CARDS = 10_000;
let browser: Browser;

const shot = (name: string) => join(process.cwd(), 'tests', 'e2e', 'screenshots', `${name}.png`);

interface WorkerStore {
  importCards(seeds: unknown[]): Promise<{ ok: boolean; message?: string }>;
  allRows(): Promise<{ id: string; name: string; abc: string; overdue: number; receivables: number; owner: string; tags: string[] }[]>;
}

/** What the store in the service worker says (independent of the page under test). */
async function inWorker<T>(fn: string): Promise<T> {
  return browser.worker.evaluate(`(async () => { const store = globalThis.customerCards.store; ${fn} })()`) as Promise<T>;
}

async function openRegister(query = ''): Promise<Page> {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto(`chrome-extension://${EXTENSION_ID}/dashboard.html?tab=register${query}`);
  await page.getByTestId('register-row').first().waitFor({ timeout: 60_000 });
  return page;
}

const shownCount = async (page: Page) => Number(((await page.getByTestId('register-totals').locator('strong').textContent()) ?? '').split(/\s/)[0]!.replace(/[,\s]/g, ''));

beforeAll(async () => {
  browser = await launchBrowser(newProfileDir());
  const seeds = registerSeeds(CARDS);
  for (let start = 0; start < seeds.length; start += 2_500) {
    const result = await browser.worker.evaluate(async (batch) => {
      const { store } = (globalThis as unknown as { customerCards: { store: WorkerStore } }).customerCards;
      return store.importCards(batch);
    }, seeds.slice(start, start + 2_500));
    if (!result.ok) throw new Error(result.message);
  }
  const count = await inWorker<number>('return (await store.allRows()).length;');
  expect(count).toBe(CARDS);
}, 300_000);

afterAll(async () => {
  await browser?.close();
});

describe('the register on 10,000 cards', () => {
  it('filters, sorts, saves the view, keeps it in the URL, and prints a visit pack', async () => {
    const page = await openRegister();
    await expect.poll(() => shownCount(page), { timeout: 30_000 }).toBe(CARDS);
    // Virtualised: a handful of lines in the DOM, and the last customer is reachable by scrolling.
    expect(await page.getByTestId('register-row').count()).toBeLessThan(80);
    await page.screenshot({ path: shot('register-en') });

    // Class A and overdue, combined.
    await page.getByTestId('filter-class').locator('summary').click();
    await page.getByTestId('filter-class').getByLabel('A', { exact: false }).first().check();
    await page.getByTestId('filter-class').locator('summary').click();
    await page.getByTestId('flag-overdue').check();
    const expected = await inWorker<{ count: number; top: string }>(
      "const rows = (await store.allRows()).filter((r) => r.abc === 'A' && r.overdue > 0); rows.sort((a, b) => b.receivables - a.receivables); return { count: rows.length, top: rows[0]?.name ?? '' };",
    );
    expect(expected.count).toBeGreaterThan(5);
    await expect.poll(() => shownCount(page), { timeout: 30_000 }).toBe(expected.count);
    const classes = await page.getByTestId('register-row').locator('.abc').allTextContents();
    expect(new Set(classes)).toEqual(new Set(['A']));

    // Sort by receivables, largest first (a second click reverses).
    await page.getByTestId('sort-receivables').click();
    await page.getByTestId('sort-receivables').click();
    await expect.poll(() => page.getByTestId('register-row').first().locator('button.link').textContent()).toBe(expected.top);
    expect(page.url()).toContain('class=A');
    expect(page.url()).toContain('is=overdue');
    expect(page.url()).toContain('sort=-receivables');

    // Save the view, clear, reopen it from the saved views, and from the URL in a new tab.
    await page.getByTestId('saved-view-name').fill('A overdue');
    await page.getByTestId('saved-view-save').click();
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(() => shownCount(page), { timeout: 30_000 }).toBe(CARDS);
    await page.getByTestId('saved-view-select').selectOption('A overdue');
    await expect.poll(() => shownCount(page), { timeout: 30_000 }).toBe(expected.count);
    const bookmarked = page.url();
    const again = await browser.context.newPage();
    await again.setViewportSize({ width: 1400, height: 900 });
    await again.goto(bookmarked);
    await again.getByTestId('register-row').first().waitFor();
    await expect.poll(() => shownCount(again), { timeout: 30_000 }).toBe(expected.count);
    await again.close();

    // Select three customers and print their visit pack.
    const rows = page.getByTestId('register-row');
    for (let i = 0; i < 3; i++) await rows.nth(i).locator('input[type=checkbox]').check();
    const chosen = await Promise.all([0, 1, 2].map((i) => rows.nth(i).locator('button.link').textContent()));
    await page.evaluate(() => {
      const w = window as unknown as { printed: number };
      w.printed = 0;
      window.print = () => {
        w.printed++;
      };
    });
    await page.getByTestId('visit-pack-open').click();
    const pack = page.getByTestId('visit-pack');
    await expect.poll(() => pack.getByTestId('visit-sheet').count()).toBe(3);
    const packText = (await pack.textContent()) ?? '';
    for (const name of chosen) expect(packText).toContain(name!);
    expect(packText).not.toContain('Bank account');
    await page.screenshot({ path: shot('register-visit-pack') });
    await pack.getByTestId('pack-print').click();
    // Printing first asks what may leave (take-out): the print follows the answer.
    await expect.poll(() => page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);
    await page.emulateMedia({ media: 'print' });
    await page.screenshot({ path: shot('register-visit-pack-print'), fullPage: true });
    await page.emulateMedia({ media: 'screen' });
    await pack.getByTestId('pack-close').click();

    // Tag the three; the tag filter then shows exactly them.
    await page.getByTestId('tag-input').fill('拜访 12月');
    await page.getByTestId('tag-add').click();
    await expect.poll(() => page.getByTestId('tag-message').textContent()).toContain('3');
    await page.goto(`chrome-extension://${EXTENSION_ID}/dashboard.html?tab=register&tag=${encodeURIComponent('拜访 12月')}`);
    await expect.poll(() => shownCount(page), { timeout: 20_000 }).toBe(3);
    await page.close();
  });

  it('exports exactly the register’s view, every field, from the export page', async () => {
    const page = await openRegister('&class=A&is=overdue');
    const expected = await inWorker<number>("return (await store.allRows()).filter((r) => r.abc === 'A' && r.overdue > 0).length;");
    await expect.poll(() => shownCount(page), { timeout: 30_000 }).toBe(expected);
    const [exportPage] = await Promise.all([browser.context.waitForEvent('page'), page.getByTestId('register-export-full').click()]);
    await expect.poll(() => exportPage.getByTestId('export-register-hint').textContent(), { timeout: 30_000 }).toContain(`(${expected})`);
    const [download] = await Promise.all([exportPage.waitForEvent('download'), exportPage.getByTestId('export-csv').click()]);
    const text = readFileSync((await download.path())!, 'utf8');
    expect(text.startsWith('\ufeff')).toBe(true);
    expect(text.split('\r\n').filter(Boolean).length).toBe(expected + 1);
    await exportPage.close();
    await page.close();
  });

  it('prints the register as 客户名册 and finds customers by pinyin', async () => {
    const page = await openRegister('&owner=' + encodeURIComponent('王芳') + '&cols=number,name,city,class,stage,owner,receivables,rank');
    const count = await inWorker<number>("return (await store.allRows()).filter((r) => r.owner === '王芳').length;");
    await expect.poll(() => shownCount(page), { timeout: 30_000 }).toBe(count);
    await page.evaluate(() => {
      window.print = () => undefined;
    });
    await page.getByTestId('print-register').click();
    const printed = page.getByTestId('register-print');
    await printed.waitFor({ state: 'attached' });
    expect(await printed.locator('tbody tr').count()).toBe(count);
    expect(await printed.locator('h1').textContent()).toContain('客户名册');

    await page.getByTestId('find-input').fill('hxmy');
    await page.getByTestId('find-results').waitFor();
    const found = await page.getByTestId('find-results').locator('li').allTextContents();
    expect(found.length).toBeGreaterThan(0);
    for (const line of found) expect(line).toContain('华信贸易');
    await page.screenshot({ path: shot('register-find-pinyin') });
    await page.close();
  });

  it('warns on the card when receivables (plus a new order) pass the approved limit, and shows its rank', async () => {
    const over = await inWorker<{ id: string; limit: number; receivables: number }>(
      'const row = (await store.allRows()).find((r) => r.creditLimit > 0 && r.receivables > r.creditLimit && r.orders.some(([d]) => d >= Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth() < 6 ? 0 : 6, 1))); return { id: row.id, limit: row.creditLimit, receivables: row.receivables };',
    );
    const under = await inWorker<{ id: string; limit: number; receivables: number }>('const row = (await store.allRows()).find((r) => r.creditLimit > 0 && r.receivables < r.creditLimit / 2); return { id: row.id, limit: row.creditLimit, receivables: row.receivables };');
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`chrome-extension://${EXTENSION_ID}/card.html?id=${over.id}`);
    await page.getByTestId('credit-over').waitFor();
    await expect.poll(() => page.getByTestId('chip-rank').textContent(), { timeout: 20_000 }).toMatch(/^Rank \d+ in \d{4}-H[12]$/);
    await page.goto(`chrome-extension://${EXTENSION_ID}/card.html?id=${under.id}`);
    await page.getByTestId('credit-headroom').waitFor();
    await page.getByTestId('ledger-amount').fill(String(Math.ceil(under.limit - under.receivables + 1)));
    await page.getByTestId('credit-order-over').waitFor();
    await page.getByTestId('section-ledger').screenshot({ path: shot('card-credit-warning') });
    // Ratings below the company's credit floor (C: shared/credit-floor.ts) are flagged in the order form.
    const low = await inWorker<string>("return (await store.allRows()).find((r) => r.creditRating === 'D').id;");
    await page.goto(`chrome-extension://${EXTENSION_ID}/card.html?id=${low}`);
    await page.getByTestId('credit-low-rating').waitFor();
    await page.getByTestId('ledger-amount').fill('100');
    await page.getByTestId('credit-order-low-rating').waitFor();
    expect(await page.getByTestId('credit-order-low-rating').textContent()).toMatch(/Credit rating D is below C/);
    await page.close();
  });

  it('speaks Chinese: the register and every chart of the desk', async () => {
    const settings = await browser.context.newPage();
    await settings.goto(`chrome-extension://${EXTENSION_ID}/settings.html`);
    await settings.evaluate(() => undefined);
    await browser.worker.evaluate(async () => {
      const { store } = (globalThis as unknown as { customerCards: { store: { setSetting(k: string, v: unknown): Promise<void> } } }).customerCards;
      await store.setSetting('language', 'zh-CN');
    });
    await settings.close();
    const page = await openRegister('&sort=-purchases12m&cols=number,name,city,class,stage,owner,key,receivables,overdue,purchases12m,rank,tags');
    await expect.poll(() => page.getByTestId('tab-register').textContent()).toBe('客户名册');
    await page.screenshot({ path: shot('register-zh') });

    await page.getByTestId('tab-desk').click();
    await page.getByTestId('desk').waitFor({ timeout: 60_000 });
    const views: [string, string[]][] = [['abc', ['abc']], ['cycle', ['cycle']], ['receivables', ['aging', 'flow']], ['sales', ['region', 'rank']], ['credit', ['credit']], ['activity', ['activity']]];
    for (const [view, sections] of views) {
      await page.getByTestId(`desk-view-${view}`).click();
      for (const id of sections) {
        const section = page.getByTestId(`desk-${id}`);
        await section.waitFor();
        if (id !== 'credit') await waitFor(() => section.locator('canvas').count(), (n) => n > 0, 20_000);
        expect(await section.getByTestId(`table-${id}`).locator('tbody tr').count()).toBeGreaterThan(0);
        await section.screenshot({ path: shot(`desk-${id}-zh`) });
      }
      // Every text on the desk is translated: no message keys on screen.
      expect(await page.getByTestId('desk').textContent()).not.toMatch(/desk\.|register\.|undefined|NaN/);
    }
    // The customer statement of a customer with orders and payments, found by name.
    const customer = await inWorker<string>("return (await store.allRows()).find((r) => r.orders.length >= 2 && r.payments.length > 0 && /有限公司/.test(r.name)).name;");
    await page.getByTestId('desk-view-statement').click();
    await page.getByTestId('statement-customer').fill(customer);
    await page.getByTestId('desk-statement').locator('ul button').first().click();
    await page.getByTestId('desk-statement').locator('input[type=date]').first().fill('2024-01-01');
    await expect.poll(() => page.getByTestId('table-statement').locator('tbody tr').count()).toBeGreaterThan(1);
    await page.getByTestId('desk-statement').screenshot({ path: shot('desk-statement-zh') });
    await browser.worker.evaluate(async () => {
      const { store } = (globalThis as unknown as { customerCards: { store: { setSetting(k: string, v: unknown): Promise<void> } } }).customerCards;
      await store.setSetting('language', 'en');
    });
    await expect.poll(() => page.getByTestId('tab-desk').textContent()).toBe('Analysis');
    for (const [view, id] of [['abc', 'abc'], ['receivables', 'aging'], ['activity', 'activity'], ['sales', 'rank']]) {
      await page.getByTestId(`desk-view-${view}`).click();
      const section = page.getByTestId(`desk-${id}`);
      await waitFor(() => section.locator('canvas').count(), (n) => n > 0, 20_000);
      await section.screenshot({ path: shot(`desk-${id}-en`) });
    }
    await page.close();
  });
});
