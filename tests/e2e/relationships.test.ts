/**
 * How deep and how warm the relationships are, in real Chromium with the built extension and the
 * sample customers: the desk lists the A customers with no close contact or only one; contacts
 * logged with a person every week and then a long silence flag that person as cooling — on the
 * person in the side panel and on the card, in the due list and on the desk — well before the
 * class cadence. Screenshots in English and Chinese.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXTENSION_ID, launchBrowser, newProfileDir, SidePanel, waitFor, type Browser } from './harness.ts';

const DAY = 86_400_000;
let browser: Browser;
let panel: SidePanel;
let desk: Page;

/** A local date N days ago as the date input takes it. */
function daysAgo(days: number): string {
  const at = new Date(Date.now() - days * DAY);
  return `${at.getFullYear()}-${String(at.getMonth() + 1).padStart(2, '0')}-${String(at.getDate()).padStart(2, '0')}`;
}

async function openDesk(): Promise<Page> {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 1280, height: 1000 });
  await page.goto(`chrome-extension://${EXTENSION_ID}/dashboard.html?tab=desk&desk=relationships`);
  await page.getByTestId('table-thin-relationships').waitFor({ timeout: 30_000 });
  return page;
}

beforeAll(async () => {
  browser = await launchBrowser(newProfileDir());
  panel = await SidePanel.open(browser);
  await panel.loadDemoData();
}, 90_000);

afterAll(() => browser?.close());

describe('relationships', () => {
  let customer = '';
  let person = '';

  it('the desk lists A customers with no close contact, or only one, with whom to deepen', async () => {
    desk = await openDesk();
    const lines = desk.getByTestId('table-thin-relationships').locator('tbody tr');
    await waitFor(() => lines.count(), (n) => n > 0, 20_000);
    // A customer with two people on the card (so two can be made close below).
    const line = lines.filter({ has: desk.locator('td:nth-child(4)', { hasText: /^2$/ }) }).first();
    customer = (await line.locator('td').first().textContent())!.trim();
    expect(customer).not.toBe('');
    // No one is judged close yet on the sample cards: 0 close contacts, someone to deepen named.
    expect(await line.locator('td').nth(2).textContent()).toBe('0');
    expect((await line.locator('td').nth(4).textContent())!.trim()).toMatch(/\S · not judged yet$/);
  });

  it('a person contacted weekly and then silent for four weeks is cooling: in the panel, on the card, in the due list and on the desk', async () => {
    await panel.search(customer);
    await panel.page.getByTestId('search-results').getByText(customer, { exact: true }).first().click();
    await panel.cardName().waitFor();
    for (const [days, direction] of [[50, 'out'], [43, 'in'], [36, 'out'], [29, 'out']] as const) {
      await panel.page.getByTestId('log-contact-open').click();
      await panel.page.getByTestId(`log-direction-${direction}`).click();
      await panel.page.getByTestId('log-text').fill(`Weekly call (${days} days ago)`);
      await panel.page.getByTestId('log-date').fill(daysAgo(days));
      if (!person) person = (await panel.page.getByTestId('log-person').locator('option').nth(1).textContent())!.trim();
      await panel.page.getByTestId('log-person').selectOption({ label: person });
      await panel.page.getByTestId('log-save').click();
      await panel.page.getByTestId('log-saved').waitFor();
    }
    // Usually every 7 days, silent for 29: cooling (an A customer's cadence is 14 days from the last contact with anyone).
    const cooling = panel.page.locator('[data-testid="person"][data-cooling="true"]');
    await cooling.waitFor({ timeout: 10_000 });
    expect(await cooling.textContent()).toContain(person);
    expect(await cooling.getByTestId('person-cooling-line').textContent()).toBe('Cooling: no contact for 29 days; usually every 7 days');
    await panel.screenshot('cooling-person-panel-en');

    await panel.page.getByTestId('due-toggle').click();
    const item = panel.page.locator('[data-testid="due-item"][data-kind="cooling"]').filter({ hasText: person });
    await item.waitFor({ timeout: 20_000 });
    expect(await item.textContent()).toContain(`${person} is cooling: no contact for 29 days, usually every 7`);
    await panel.page.getByTestId('due-toggle').click();

    // On the card, the person's closeness says so, and the suggestion counts the two-way contact.
    const opened = browser.context.waitForEvent('page');
    await panel.page.getByTestId('open-full-card').click();
    const card = await opened;
    await card.setViewportSize({ width: 1280, height: 1000 });
    const closeness = card.getByTestId('closeness').filter({ has: card.getByTestId('closeness-cooling') });
    await closeness.waitFor({ timeout: 20_000 });
    expect(await closeness.getByTestId('closeness-cooling').textContent()).toContain('no contact for 29 days; usually every 7 days');
    expect(await closeness.getByTestId('closeness-suggestion').textContent()).toContain('two-way');
    await closeness.screenshot({ path: 'tests/e2e/screenshots/cooling-person-card-en.png' });
    expect(await card.getByTestId('timeline-inbound').count()).toBe(1);

    await desk.reload();
    const coolingLine = desk.getByTestId('table-cooling').locator('tbody tr').filter({ hasText: person });
    await coolingLine.waitFor({ timeout: 20_000 });
    expect(await coolingLine.locator('td').first().textContent()).toBe(customer);
    expect(await coolingLine.locator('td').nth(4).textContent()).toBe('7');
    expect(await coolingLine.locator('td').nth(5).textContent()).toBe('29');
    await desk.screenshot({ path: 'tests/e2e/screenshots/desk-relationships-en.png', fullPage: true });

    await panel.page.getByTestId('language-switch').selectOption('zh-CN');
    await waitFor(() => panel.page.getByTestId('person-cooling-line').first().textContent(), (text) => text === '关系转冷：已 29 天未联系；平时约每 7 天联系一次', 10_000);
    await panel.screenshot('cooling-person-panel-zh');
    await desk.reload();
    await desk.getByText('没有或只有一位亲近联系人的 A 类客户').waitFor({ timeout: 20_000 });
    await desk.getByTestId('table-cooling').locator('tbody tr').filter({ hasText: person }).waitFor();
    await desk.screenshot({ path: 'tests/e2e/screenshots/desk-relationships-zh.png', fullPage: true });
    await card.reload();
    await card.getByTestId('closeness-cooling').first().waitFor({ timeout: 20_000 });
    await card.getByTestId('closeness').filter({ has: card.getByTestId('closeness-cooling') }).screenshot({ path: 'tests/e2e/screenshots/cooling-person-card-zh.png' });
    await panel.page.getByTestId('language-switch').selectOption('auto');
  });

  it('marking two of the customer’s people close takes it off the desk’s list', async () => {
    const opened = browser.context.waitForEvent('page');
    await panel.page.getByTestId('open-full-card').click();
    const card = await opened;
    const panels = card.getByTestId('closeness');
    await panels.first().waitFor({ timeout: 20_000 });
    expect(await panels.count()).toBeGreaterThan(1);
    // One close person: still listed (only one); with a second, off the list.
    await panels.nth(0).getByTestId('closeness-set').selectOption('close');
    await panels.nth(0).getByTestId('closeness-save').click();
    await expect.poll(() => panels.nth(0).getByTestId('closeness-level').textContent()).toBe('Close');
    await desk.reload();
    const line = desk.getByTestId('table-thin-relationships').locator('tbody tr').filter({ has: desk.locator('td', { hasText: new RegExp(`^${customer.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) });
    await line.first().waitFor({ timeout: 20_000 });
    expect(await line.first().locator('td').nth(2).textContent()).toMatch(/^1 · /);
    await panels.nth(1).getByTestId('closeness-set').selectOption('close');
    await panels.nth(1).getByTestId('closeness-save').click();
    await expect.poll(() => panels.nth(1).getByTestId('closeness-level').textContent()).toBe('Close');
    await desk.reload();
    await desk.getByTestId('table-thin-relationships').waitFor();
    await expect.poll(() => line.count(), { timeout: 20_000 }).toBe(0);
  });
});
