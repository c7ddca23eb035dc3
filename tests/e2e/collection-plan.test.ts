/**
 * Terms drive the money, in real Chromium against the real server: the order form shows the
 * due date the card's terms give (monthly settlement) and takes a date moved by hand; the
 * collection plan lists what is owed by date on each customer's terms — a rep his own
 * customers, the manager the whole team's with a total per rep — and exports it as CSV.
 * Screenshots of the plan in English and Chinese.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dueDateFromTerms, scheduleOf } from '../../shared/derive/terms.ts';
import { todayInput } from '../../extension/ui/common/form-dates.ts';
import { cid } from '../sync/helpers.ts';
import { waitFor } from './harness.ts';
import { startTeamServer, type TeamServer } from './team-server.ts';

const DAY = 86_400_000;
const NOW = Date.now();
const HUAXIN = cid('plan-huaxin');
const JINDING = cid('plan-jinding');
const KELLER = cid('plan-keller');
const NORDLICHT = cid('plan-nordlicht');
let team: TeamServer;

beforeAll(async () => {
  team = await startTeamServer(
    [
      ['rob', 'rep'],
      ['rita', 'rep'],
      ['mona', 'manager'],
    ],
    [
      {
        id: HUAXIN,
        owner: 'rob',
        name: '华信贸易有限公司',
        steps: [
          { type: 'card-set-field', field: 'settlementDay', value: 25 },
          { type: 'card-set-field', field: 'paymentTermsDays', value: 30 },
          { type: 'ledger-add', kind: 'order', date: NOW - 70 * DAY, amount: 86_000 },
        ],
      },
      {
        id: JINDING,
        owner: 'rob',
        name: '金鼎贸易有限公司',
        steps: [
          { type: 'card-set-field', field: 'paymentMethod', value: 'bill' },
          { type: 'card-set-field', field: 'paymentTermsDays', value: 10 },
          { type: 'card-set-field', field: 'billTenorDays', value: 30 },
          { type: 'ledger-add', kind: 'order', date: NOW - 20 * DAY, amount: 42_500 },
        ],
      },
      {
        id: KELLER,
        owner: 'rita',
        name: 'Keller Feinmechanik GmbH',
        steps: [
          { type: 'card-set-field', field: 'paymentMethod', value: 'instalments' },
          { type: 'card-set-field', field: 'instalments', value: 3 },
          { type: 'card-set-field', field: 'paymentTermsDays', value: 0 },
          { type: 'ledger-add', kind: 'order', date: NOW - 20 * DAY, amount: 30_000 },
          { type: 'ledger-add', kind: 'payment', date: NOW - 19 * DAY, amount: 10_000 },
        ],
      },
      { id: NORDLICHT, owner: 'rita', name: 'Nordlicht Optik GmbH', steps: [{ type: 'ledger-add', kind: 'order', date: NOW - 10 * DAY, amount: 7_800 }] },
    ],
  );
}, 180_000);

afterAll(async () => {
  await team?.close();
});

async function whenHere(page: Page, testId: string): Promise<void> {
  await waitFor(
    async () => {
      if (await page.getByTestId(testId).first().isVisible()) return true;
      await page.reload();
      await page.waitForTimeout(700);
      return page.getByTestId(testId).first().isVisible();
    },
    (here) => here,
    30_000,
  );
}

const localIso = (time: number) => todayInput(time);

describe('terms drive the money', () => {
  it('the order form shows the due date from the card’s monthly settlement and takes one moved by hand', async () => {
    const page = await team.page('rob', `card.html?id=${HUAXIN}`);
    await whenHere(page, 'card-page-name');
    const orderDay = '2026-01-26';
    await page.getByTestId('ledger-date').fill(orderDay);
    // Settled on 25 February (the 26th is after January's settlement), paid 30 days later.
    expect(await page.getByTestId('ledger-due').inputValue()).toBe('2026-03-27');
    expect(await page.getByTestId('ledger-due-rule').textContent()).toContain('settled on day 25 of the month, paid 30 days after');
    await page.getByTestId('ledger-date').fill('2026-01-24');
    expect(await page.getByTestId('ledger-due').inputValue()).toBe('2026-02-24');
    await page.getByTestId('ledger-due').fill('2026-03-02');
    expect(await page.getByTestId('ledger-due-rule').textContent()).toContain('moved by hand');
    await page.getByTestId('ledger-amount').fill('1000');
    await page.getByTestId('ledger-add').click();
    await page.getByTestId('ledger-row').filter({ hasText: '1,000' }).filter({ hasText: 'due Mar 2, 2026' }).waitFor();
  });

  it('a rep’s plan lists his own customers by date on their terms, and exports as CSV', async () => {
    const page = await team.page('rob', 'dashboard.html?tab=collections');
    await whenHere(page, 'plan-line');
    await waitFor(() => page.getByTestId('plan-line').count(), (n) => n >= 2);
    const names = await page.getByTestId('plan-line').allTextContents();
    expect(names.some((line) => line.includes('华信贸易有限公司'))).toBe(true);
    expect(names.some((line) => line.includes('金鼎贸易有限公司'))).toBe(true);
    expect(names.some((line) => line.includes('Keller'))).toBe(false);
    expect(await page.getByTestId('plan-owner').count()).toBe(0);
    // 金鼎: net 10 then a bill of 30 days — due 40 days after the order, in the window.
    const jindingDue = dueDateFromTerms(NOW - 20 * DAY, { paymentTermsDays: 10, billTenorDays: 30, paymentMethod: 'bill' });
    const jindingDay = page.locator(`[data-testid="plan-day"][data-day="${localIso(jindingDue)}"]`);
    expect(await jindingDay.count()).toBe(1);
    const download = page.waitForEvent('download');
    await page.getByTestId('plan-csv').click();
    const csv = readFileSync((await (await download).path())!, 'utf8');
    expect(csv).toContain('金鼎贸易有限公司');
    expect(csv).toContain('42500');
  });

  it('the manager’s plan runs across reps, with a total per rep, in English and Chinese', async () => {
    const page = await team.page('mona', 'dashboard.html?tab=collections');
    await page.setViewportSize({ width: 1200, height: 1000 });
    await whenHere(page, 'plan-line');
    await waitFor(() => page.getByTestId('plan-rep').count(), (n) => n === 2);
    expect((await page.getByTestId('plan-rep').allTextContents()).join('|')).toMatch(/rob.*\|.*rita|rita.*\|.*rob/);
    // Keller pays in three monthly parts from the order: the first is paid, the second falls in
    // the next 30 days, the third after them.
    const kellerParts = scheduleOf({ date: NOW - 20 * DAY, amount: 30_000 }, { instalments: 3, paymentTermsDays: 0, paymentMethod: 'instalments' });
    expect(kellerParts.map((p) => p.amount)).toEqual([10_000, 10_000, 10_000]);
    await page.locator(`[data-testid="plan-day"][data-day="${localIso(kellerParts[1]!.dueDate)}"]`).waitFor();
    const keller = page.getByTestId('plan-line').filter({ hasText: 'Keller' });
    expect(await keller.count()).toBe(1); // the third part is after the 30-day window
    expect(await keller.first().textContent()).toContain('10,000');
    await page.getByTestId('plan-horizon').selectOption('90');
    await waitFor(() => keller.count(), (n) => n === 2);
    await page.getByTestId('plan-owner').selectOption('rita');
    await waitFor(() => page.getByTestId('plan-line').filter({ hasText: '华信' }).count(), (n) => n === 0);
    await page.getByTestId('plan-owner').selectOption('');
    await page.getByTestId('plan-horizon').selectOption('30');
    await page.getByTestId('collection-plan').screenshot({ path: 'tests/e2e/screenshots/collection-plan-en.png' });
    await page.getByTestId('language-switch').selectOption('zh-CN');
    await page.getByText('收款计划').first().waitFor();
    await page.getByTestId('collection-plan').screenshot({ path: 'tests/e2e/screenshots/collection-plan-zh.png' });
    await page.getByTestId('language-switch').selectOption('auto');
  });
});
