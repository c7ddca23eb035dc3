/**
 * Logging a contact in one step, in real Chromium with the built extension: a call logged from
 * the side panel (with its outcome, the person and a follow-up) restarts the contact clock and
 * sets the next follow-up; a quick note counts as a contact unless marked "not a contact"; a
 * selection captured from a page is logged as a contact through the capture menu's picker.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayInput } from '../../extension/ui/common/form-dates.ts';
import { serveFixtures, type FixtureServer } from '../tools/serve-fixtures.ts';
import { launchBrowser, newProfileDir, SidePanel, tabIdOf, type Browser } from './harness.ts';

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

describe('log a contact from the panel', () => {
  it('a note marked “not a contact” leaves the clock; a quick note restarts it', async () => {
    const page = panel.page;
    expect(await page.getByTestId('last-contact').textContent()).toBe('never');
    await page.getByTestId('quick-note').fill('Internal: check the lens stock before calling');
    await page.getByTestId('note-not-contact').check();
    await page.getByTestId('save-note').click();
    await page.getByTestId('timeline').getByText('Internal: check the lens stock').waitFor();
    expect(await page.getByTestId('last-contact').textContent()).toBe('never');
    await panel.addNote('Met Olivia at the optics fair, she wants the new catalogue');
    await expect.poll(() => page.getByTestId('last-contact').textContent()).toBe('today');
  });

  it('logs a call in one step with its outcome, the person and a follow-up', async () => {
    const page = panel.page;
    const followUp = todayInput(Date.now() + 9 * 86_400_000);
    await page.getByTestId('log-contact-open').click();
    await page.getByTestId('log-kind-call').click();
    await page.getByTestId('log-text').fill('Called Olivia about the autumn lens order');
    await page.getByTestId('log-outcome').fill('Agreed: order of 400 frames');
    await page.getByTestId('log-person').selectOption({ label: 'Olivia Brandt' });
    await page.getByTestId('log-follow-up').fill(followUp);
    await panel.screenshot('log-contact-panel');
    await page.getByTestId('log-save').click();
    await page.getByTestId('log-saved').waitFor();
    const entry = page.getByTestId('timeline').locator('.timeline-entry').filter({ hasText: 'Called Olivia about the autumn lens order' });
    await entry.waitFor();
    expect(await entry.locator('.timeline-kind-label').textContent()).toBe('Call');
    expect(await entry.textContent()).toContain('Agreed: order of 400 frames');
    expect(await page.getByTestId('last-contact').textContent()).toBe('today');
    const [y, m, d] = followUp.split('-').map(Number) as [number, number, number];
    expect(await page.locator('.card-stats dd').nth(1).textContent()).toBe(new Intl.DateTimeFormat('en', { year: 'numeric', month: 'short', day: 'numeric' }).format(new Date(y, m - 1, d, 12)));
  });

  it('an empty log is still a contact of the chosen kind, never a blank entry', async () => {
    const page = panel.page;
    await page.getByTestId('log-contact-open').click();
    await page.getByTestId('log-kind-visit').click();
    await page.getByTestId('log-save').click();
    await page.getByTestId('log-saved').waitFor();
    await page.getByTestId('timeline').locator('.timeline-entry.kind-visit').first().waitFor();
  });

  it('logs a selection from a page as a contact through the capture menu', async () => {
    const url = fixtures.url + 'gmail-unknown.html';
    const opened = browser.context.waitForEvent('page', { predicate: (p) => p.url().includes('capture.html?mode=selection'), timeout: 10_000 });
    const ok = await browser.worker.evaluate(
      (u) => (globalThis as unknown as { customerCards: { onMenuClick(info: unknown, tab: unknown): Promise<boolean> } }).customerCards.onMenuClick({ menuItemId: 'capture-selection', selectionText: 'WeChat from Olivia: samples arrived, all fine', pageUrl: u }, { title: 'WeChat web', url: u }),
      url,
    );
    expect(ok).toBe(true);
    const picker = await opened;
    await picker.getByTestId('capture-as-contact').check();
    await picker.getByTestId('capture-pick').filter({ hasText: 'Nordlicht Optik' }).click();
    await picker.getByTestId('log-kind-message').click();
    expect(await picker.getByTestId('log-text').inputValue()).toBe('WeChat from Olivia: samples arrived, all fine');
    const closed = picker.waitForEvent('close', { timeout: 10_000 }).catch(() => undefined);
    await picker.getByTestId('log-save').click();
    await picker.getByTestId('capture-status').waitFor();
    expect(await picker.getByTestId('capture-status').textContent()).toContain('Nordlicht Optik');
    await closed;
    const entry = panel.page.getByTestId('timeline').locator('.timeline-entry.kind-message').filter({ hasText: 'samples arrived' });
    await entry.waitFor({ timeout: 10_000 });
  });
});
