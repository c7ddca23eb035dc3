/**
 * Reminders and capture in real Chromium: a drifting customer raises the badge and a
 * notification, "done" clears it and logs the contact; a page becomes a card and a selection is
 * saved into it (the context-menu handlers are triggered through the service worker, since
 * headless Chromium has no menus); the shortcut's handler focuses the quick note; and a
 * content-script message of the wrong shape or size is rejected and writes nothing.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveFixtures, type FixtureServer } from '../tools/serve-fixtures.ts';
import { EXTENSION_ID, launchBrowser, newProfileDir, SidePanel, tabIdOf, waitFor, type Browser } from './harness.ts';

let fixtures: FixtureServer;
let browser: Browser;
let cardPage: Page;

interface Handlers {
  onMenuClick(info: object, tab: object): Promise<boolean>;
  onCommand(command: string, tab?: object): Promise<void>;
  checkReminders(): Promise<{ id: string; kind: string; bucket: string }[]>;
}

function worker<T>(fn: (handlers: Handlers, arg: unknown) => Promise<T>, arg?: unknown): Promise<T> {
  return browser.worker.evaluate(
    async ([source, value]) => {
      const handlers = (globalThis as unknown as { customerCards: Handlers }).customerCards;
      return (0, eval)(`(${source})`)(handlers, value) as Promise<T>;
    },
    [fn.toString(), arg] as const,
  );
}

async function waitForPage(part: string): Promise<Page> {
  const found = () => browser.context.pages().find((p) => p.url().includes(part));
  await waitFor(async () => found() !== undefined, (ok) => ok, 15_000);
  const page = found()!;
  await page.waitForLoadState();
  return page;
}

beforeAll(async () => {
  fixtures = await serveFixtures();
  browser = await launchBrowser(newProfileDir());
});

afterAll(async () => {
  await browser?.close();
  await fixtures?.close();
});

describe('capture', () => {
  it('creates a card from a page (context menu → editable form)', async () => {
    const url = `${fixtures.url}company-page.html`;
    expect(await worker((h, u) => h.onMenuClick({ menuItemId: 'create-card-from-page', pageUrl: u }, { title: 'Harbor Freight Solutions — Logistics for growing manufacturers', url: u }), url)).toBe(true);
    const picker = await waitForPage('capture.html?mode=create');
    expect(await picker.getByTestId('capture-company').inputValue()).toBe('Harbor Freight Solutions');
    expect(await picker.getByTestId('capture-domain').inputValue()).toBe('127.0.0.1');
    await picker.getByTestId('capture-domain').fill('harbor-freight-solutions.com');
    await picker.getByTestId('capture-create').click();
    await picker.waitForURL(/card\.html\?id=/);
    cardPage = picker;
    await cardPage.getByTestId('card-page-name').waitFor();
    expect(await cardPage.getByTestId('card-page-name').textContent()).toBe('Harbor Freight Solutions');
  });

  it('saves a selection with the page’s title and URL into the picked card', async () => {
    const url = `${fixtures.url}company-page.html`;
    const ok = await worker((h, u) => h.onMenuClick({ menuItemId: 'capture-selection', selectionText: 'Container rates: 1,850 USD per FEU until March.', pageUrl: u }, { title: 'Harbor rates', url: u }), url);
    expect(ok).toBe(true);
    const picker = await waitForPage('capture.html?mode=selection');
    expect(await picker.getByTestId('captured-text').textContent()).toBe('Container rates: 1,850 USD per FEU until March.');
    await picker.getByTestId('capture-pick').filter({ hasText: 'Harbor Freight Solutions' }).click();
    await cardPage.getByText('Container rates: 1,850 USD per FEU until March.').waitFor();
    expect(await cardPage.locator('.timeline-source').first().getAttribute('href')).toBe(url);
  });

  it('refuses an oversized selection and writes nothing', async () => {
    const ok = await worker((h) => h.onMenuClick({ menuItemId: 'capture-selection', selectionText: 'x'.repeat(30_000) }, { title: 't', url: 'https://example.com/' }));
    expect(ok).toBe(false);
  });
});

describe('reminders', () => {
  it('raises the badge and a notification for a drifting customer; done clears it and logs the contact', async () => {
    await cardPage.getByTestId('entry-kind').selectOption('call');
    const longAgo = new Date(Date.now() - 100 * 86_400_000).toISOString().slice(0, 10);
    await cardPage.locator('.entry-form input[type="date"]').first().fill(longAgo);
    await cardPage.getByTestId('entry-text').fill('Called about the Q3 contract');
    await cardPage.getByTestId('entry-add').click();
    await cardPage.getByText('Called about the Q3 contract').waitFor();

    // The entry is on the page as soon as the card's document has it; the index row that the
    // reminders read follows a moment later, so wait for the cadence item to appear.
    const items = await waitFor(() => worker((h) => h.checkReminders()), (list) => list.some((i) => i.kind === 'cadence'));
    const cadence = items.find((i) => i.kind === 'cadence');
    expect(cadence?.bucket).toBe('overdue');
    expect(await browser.worker.evaluate(() => chrome.action.getBadgeText({}))).toBe('1');
    const notifications = await browser.worker.evaluate(() => chrome.notifications.getAll());
    expect(Object.keys(notifications)).toContain(cadence!.id);

    const dashboard = await browser.context.newPage();
    await dashboard.setViewportSize({ width: 1280, height: 800 });
    await dashboard.goto(`chrome-extension://${EXTENSION_ID}/dashboard.html`);
    await dashboard.getByTestId('dashboard-due').getByTestId('due-item').first().waitFor();
    expect(await dashboard.getByTestId('dashboard-due').textContent()).toContain('Harbor Freight Solutions');
    await dashboard.screenshot({ path: 'tests/e2e/screenshots/dashboard.png', fullPage: true });
    await dashboard.getByTestId('tab-register').click();
    await dashboard.getByTestId('register-row').first().waitFor();
    expect(await dashboard.getByTestId('register').textContent()).toContain('Harbor Freight Solutions');
    await dashboard.close();

    const panel = await SidePanel.open(browser);
    await panel.page.getByTestId('due-toggle').click();
    await panel.page.getByTestId('due-item').first().waitFor();
    expect(await panel.page.getByTestId('due-item').first().textContent()).toContain('Harbor Freight Solutions');
    await panel.screenshot('sidepanel-due');
    await panel.page.getByTestId('due-done').first().click();
    await panel.page.getByTestId('due-none').waitFor();
    await worker((h) => h.checkReminders());
    expect(await browser.worker.evaluate(() => chrome.action.getBadgeText({}))).toBe('');
    await cardPage.getByText(/Followed up/).waitFor();
    await panel.page.close();
  });
});

describe('the quick-note shortcut', () => {
  it('focuses the quick note of the card in the side panel', async () => {
    const panel = await SidePanel.open(browser);
    await panel.search('Harbor');
    await panel.page.getByTestId('search-results').getByText('Harbor Freight Solutions').click();
    await panel.page.getByTestId('quick-note').waitFor();
    await panel.page.bringToFront();
    await worker((h) => h.onCommand('quick-note'));
    await waitFor(() => panel.page.evaluate(() => document.activeElement?.id ?? ''), (id) => id === 'quick-note', 10_000);
    await panel.page.close();
  });
});

describe('the background’s gate', () => {
  it('rejects a message of the wrong shape or size and records nothing; a valid one is recorded', async () => {
    const page = await browser.context.newPage();
    await page.goto(`chrome-extension://${EXTENSION_ID}/sidepanel.html`);
    const tabId = await tabIdOf(browser, page);
    const ask = () => page.evaluate((id) => chrome.runtime.sendMessage({ type: 'get-tab-sender', tabId: id }), tabId) as Promise<{ sender: unknown }>;
    const good = { email: 'x@example-good.com', name: 'X', subject: 's', recipients: [], url: 'https://mail.example.com/', source: 'generic' };
    await page.evaluate((sender) => chrome.runtime.sendMessage({ type: 'sender-seen', sender: { ...sender, name: 'n'.repeat(50_000) } }).catch(() => undefined), good);
    await page.evaluate((sender) => chrome.runtime.sendMessage({ type: 'sender-seen', sender, html: '<img src=x onerror=alert(1)>' }).catch(() => undefined), good);
    await page.evaluate(() => chrome.runtime.sendMessage({ type: 'sender-seen', sender: { email: 42 } }).catch(() => undefined));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await ask()).sender).toBeNull();
    await page.evaluate((sender) => chrome.runtime.sendMessage({ type: 'sender-seen', sender }).catch(() => undefined), good);
    await waitFor(async () => (await ask()).sender, (sender) => sender !== null, 5_000);
    await page.close();
  });
});
