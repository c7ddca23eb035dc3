/**
 * Duplicates merged in real Chromium: the register's duplicates view finds a pair kept twice
 * (a Chinese name inside another, the same 统一编号), the merge keeps every person, note and
 * order on one card and takes the other out of the register, and the merge is undone from its
 * change record on the card kept. Screenshots in English and Chinese
 * (tests/e2e/screenshots/merge-*.png).
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXTENSION_ID, launchBrowser, newProfileDir, type Browser } from './harness.ts';

let browser: Browser;
const shot = (name: string) => join(process.cwd(), 'tests', 'e2e', 'screenshots', `${name}.png`);
const DAY = 86_400_000;

async function inWorker<T>(fn: string): Promise<T> {
  return browser.worker.evaluate(`(async () => { const store = globalThis.customerCards.store; ${fn} })()`) as Promise<T>;
}

const seeds = [
  {
    create: { type: 'card-create', name: '深圳华星电子有限公司', domains: ['huaxing-elec.com.cn'], contact: { name: '张伟', email: 'zhangwei@huaxing-elec.com.cn', role: 'owner' }, fields: { businessNumber: '91440300MA5F00001X' } },
    steps: [{ type: 'note-add', text: '拜访：谈了明年的订货计划', kind: 'visit' }],
  },
  {
    create: { type: 'card-create', name: '华星电子', domains: ['huaxing.cn'], contact: { name: '刘洋', email: 'liuyang@huaxing.cn', role: 'purchasing' }, fields: { city: '深圳', businessNumber: '91440300ma5f00001x' } },
    steps: [{ type: 'ledger-add', kind: 'order', date: Date.now() - 30 * DAY, amount: 12_800, products: 'LED 驱动板' }],
  },
  { create: { type: 'card-create', name: '杭州西湖丝绸有限公司', domains: ['xihu-silk.cn'], contact: { name: '周敏', email: 'zhoumin@xihu-silk.cn' } } },
  { create: { type: 'card-create', name: '贸易有限公司', domains: [] } },
];

async function openRegister(): Promise<Page> {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 1300, height: 820 });
  await page.goto(`chrome-extension://${EXTENSION_ID}/dashboard.html?tab=register`);
  await page.getByTestId('register-row').first().waitFor({ timeout: 60_000 });
  return page;
}

const shownCount = async (page: Page) => Number(((await page.getByTestId('register-totals').locator('strong').textContent()) ?? '').split(/\s/)[0]!.replace(/[,\s]/g, ''));

beforeAll(async () => {
  browser = await launchBrowser(newProfileDir());
  const result = await browser.worker.evaluate(async (batch) => {
    const { store } = (globalThis as unknown as { customerCards: { store: { importCards(s: unknown[]): Promise<{ ok: boolean; message?: string }> } } }).customerCards;
    return store.importCards(batch);
  }, seeds);
  if (!result.ok) throw new Error(result.message);
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

describe('duplicates in the register', () => {
  it('finds the pair, merges it into one card, and undoes the merge from its record', async () => {
    const page = await openRegister();
    await expect.poll(() => shownCount(page), { timeout: 30_000 }).toBe(4);
    await page.getByTestId('open-duplicates').click();
    const pair = page.getByTestId('duplicate-pair');
    await pair.first().waitFor({ timeout: 30_000 });
    // One pair only: the two 华星 cards (same 统一编号, one name inside the other); never 贸易有限公司.
    expect(await pair.count()).toBe(1);
    const text = (await pair.textContent()) ?? '';
    expect(text).toContain('深圳华星电子有限公司');
    expect(text).toContain('华星电子');
    expect(text).toContain('same 统一编号');
    expect(text).toContain('similar name');
    await page.getByTestId('duplicates').screenshot({ path: shot('merge-duplicates-en') });

    // Keep the one whose name is 华星电子 (it may be listed first or second).
    const keepFirst = (await pair.getByTestId('merge-keep-a').textContent())?.includes('“华星电子”');
    await pair.getByTestId(keepFirst ? 'merge-keep-a' : 'merge-keep-b').click();
    await expect.poll(async () => (await page.getByTestId('merge-status').textContent()) ?? '', { timeout: 30_000 }).toContain('“深圳华星电子有限公司” was merged into “华星电子”');
    await expect.poll(() => shownCount(page), { timeout: 30_000 }).toBe(3);
    await page.getByTestId('no-duplicates').waitFor({ timeout: 30_000 });

    // The kept card holds both people, the visit and the order; the other card is out of every list.
    const ids = await inWorker<{ kept: string; gone: string }>(
      "const all = await store.allRows(); const kept = all.find((r) => r.name === '华星电子'); const gone = (await store.search('深圳华星电子有限公司')).length; return { kept: kept.id, gone: String(gone) };",
    );
    expect(ids.gone).toBe('0');
    const card = await browser.context.newPage();
    await card.setViewportSize({ width: 1300, height: 1000 });
    await card.goto(`chrome-extension://${EXTENSION_ID}/card.html?id=${ids.kept}`);
    await card.getByTestId('card-page-name').waitFor({ timeout: 30_000 });
    const history = card.getByTestId('section-history');
    await expect.poll(async () => (await history.textContent()) ?? '', { timeout: 30_000 }).toContain('Merged “深圳华星电子有限公司” into this card');
    const page1 = (await card.textContent('body')) ?? '';
    for (const expected of ['张伟', '刘洋', '拜访：谈了明年的订货计划', 'LED 驱动板']) expect(page1).toContain(expected);
    // The retired card's change records are shown among the kept card's, marked where they came from.
    expect(await history.textContent()).toContain('from “深圳华星电子有限公司”');
    await history.screenshot({ path: shot('merge-history-en') });

    await history.getByTestId('history-undo-merge').click();
    await expect.poll(async () => (await history.textContent()) ?? '', { timeout: 30_000 }).toContain('Merge of “深圳华星电子有限公司” undone');
    expect(await history.getByTestId('history-undo-merge').count()).toBe(0);
    expect((await card.textContent('body')) ?? '').not.toContain('拜访：谈了明年的订货计划');
    await expect.poll(() => shownCount(page), { timeout: 30_000 }).toBe(4);
    const back = await inWorker<number>("return (await store.search('深圳华星电子有限公司')).length;");
    expect(back).toBe(1);
    await card.close();
    await page.close();
  }, 180_000);

  it('shows the duplicates view and a retired card in Chinese', async () => {
    await inWorker("await store.setSetting('language', 'zh-CN'); return 0;");
    const page = await openRegister();
    await page.getByTestId('open-duplicates').click();
    const pair = page.getByTestId('duplicate-pair');
    await pair.first().waitFor({ timeout: 30_000 });
    expect((await pair.textContent()) ?? '').toContain('统一编号相同');
    await page.getByTestId('duplicates').screenshot({ path: shot('merge-duplicates-zh') });
    const keepFirst = (await pair.getByTestId('merge-keep-a').textContent())?.includes('“华星电子”');
    await pair.getByTestId(keepFirst ? 'merge-keep-a' : 'merge-keep-b').click();
    await expect.poll(async () => (await page.getByTestId('merge-status').textContent()) ?? '', { timeout: 30_000 }).toContain('已并入');
    await expect.poll(() => inWorker<number>('return (await store.listCards({ limit: 10 })).length;'), { timeout: 30_000 }).toBe(3);
    const goneId = await inWorker<string>(
      "const card = (await store.readCards((await store.allRows()).map((r) => r.id))).find((c) => c.fields.name === '华星电子'); const rec = card.history.find((r) => r.mutation === 'card-merge' && r.merge); return rec.merge.from;",
    );
    const card = await browser.context.newPage();
    await card.setViewportSize({ width: 1300, height: 700 });
    await card.goto(`chrome-extension://${EXTENSION_ID}/card.html?id=${goneId}`);
    const notice = card.getByTestId('merged-notice');
    await notice.waitFor({ timeout: 30_000 });
    expect((await notice.textContent()) ?? '').toContain('并入“华星电子”');
    await card.screenshot({ path: shot('merge-retired-zh') });
    // Undone from the retired card's notice: both cards are listed again.
    await notice.getByTestId('merged-notice-undo').click();
    await expect.poll(() => card.getByTestId('merged-notice').count(), { timeout: 30_000 }).toBe(0);
    await expect.poll(() => inWorker<number>('return (await store.allRows()).length;'), { timeout: 30_000 }).toBe(4);
    await inWorker("await store.setSetting('language', 'en'); return 0;");
  }, 180_000);
});
