/**
 * Least privilege in real Chromium with the built extension: the sender script runs where the
 * extension holds host permissions (the loopback webmail of the test build stands for Gmail and
 * Outlook here) and nowhere else — the same webmail page served from 127.0.0.2 shows no card —
 * nothing is registered for other sites until the user enables one, and Settings → Webmail
 * sites lists none and refuses an address that is not one. Granting a site through the
 * browser's own prompt is webmail-site-enable.test.ts (headed, on a virtual screen).
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveFixtures, type FixtureServer } from '../tools/serve-fixtures.ts';
import { EXTENSION_ID, launchBrowser, newProfileDir, SidePanel, tabIdOf, type Browser } from './harness.ts';

let fixtures: FixtureServer;
let browser: Browser;
let other: Server;
let otherUrl = '';

beforeAll(async () => {
  fixtures = await serveFixtures();
  // The same webmail page on another loopback address: a site the extension was not given.
  const page = readFileSync(join(process.cwd(), 'tests', 'fixtures', 'webmail', 'gmail-thread.html'));
  other = createServer((_request, response) => response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page));
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.2', resolve));
  const address = other.address();
  otherUrl = `http://127.0.0.2:${typeof address === 'object' && address ? address.port : 0}/gmail-thread.html`;
  browser = await launchBrowser(newProfileDir());
  const loader = await SidePanel.open(browser);
  await loader.loadDemoData();
  await loader.page.close();
});

afterAll(async () => {
  await browser?.close();
  await fixtures?.close();
  await new Promise((resolve) => other?.close(resolve));
});

async function panelBeside(url: string): Promise<{ page: Page; panel: SidePanel }> {
  const page = await browser.context.newPage();
  await page.goto(url);
  return { page, panel: await SidePanel.open(browser, await tabIdOf(browser, page)) };
}

describe('where the sender script runs', () => {
  it('shows the card on a permitted webmail, and nothing on a site the user has not enabled', async () => {
    const allowed = await panelBeside(fixtures.url + 'gmail-thread.html');
    await expect.poll(() => allowed.panel.cardName().textContent(), { timeout: 20_000 }).toBe('金鼎贸易有限公司');
    const elsewhere = await panelBeside(otherUrl);
    await elsewhere.page.waitForTimeout(3_000);
    expect(await elsewhere.panel.cardName().count()).toBe(0);
    expect(await elsewhere.panel.page.getByTestId('unknown-sender').count()).toBe(0);
    const granted = (await browser.worker.evaluate(async () => {
      const all = await chrome.permissions.getAll();
      const scripts = await chrome.scripting.getRegisteredContentScripts();
      return { origins: all.origins ?? [], scripts: scripts.map((s) => s.id) };
    })) as { origins: string[]; scripts: string[] };
    expect(granted.origins).not.toContain('<all_urls>');
    expect(granted.origins).not.toContain('http://127.0.0.2/*');
    expect(granted.scripts).toEqual([]);
  });

  it('Settings → Webmail sites: none enabled yet; an address that is not a site is refused', async () => {
    const page = await browser.context.newPage();
    await page.goto(`chrome-extension://${EXTENSION_ID}/settings.html`);
    await page.getByTestId('sites-none').waitFor();
    await page.getByTestId('site-address').fill('not a site');
    await page.getByTestId('site-enable').click();
    expect(await page.getByTestId('sites-message').textContent()).toBe('Type the webmail’s address, such as mail.example.com.');
    expect(await page.getByTestId('site').count()).toBe(0);
  });
});
