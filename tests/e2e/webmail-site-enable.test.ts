/**
 * Enabling another webmail, through the browser's own permission prompt, in real Chromium with
 * the built extension: Settings → Webmail sites asks for one site; declined, nothing changes;
 * allowed, the site is listed, the sender script is registered for it and the sender's card
 * shows beside its mail; removed again, the permission and the script are gone and the card no
 * longer shows there. Headless Chromium cannot answer the prompt, so this test runs the browser
 * headed on a private virtual screen and answers with the keyboard (virtual-display.ts).
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXTENSION_ID, launchBrowser, newProfileDir, SidePanel, tabIdOf, type Browser } from './harness.ts';
import { answerPermissionPrompt, startVirtualDisplay, type VirtualDisplay } from './virtual-display.ts';

let screen: VirtualDisplay;
let browser: Browser;
let site: Server;
let siteUrl = '';

beforeAll(async () => {
  // A webmail on an address the extension was not given at install: 127.0.0.2.
  const page = readFileSync(join(process.cwd(), 'tests', 'fixtures', 'webmail', 'gmail-thread.html'));
  site = createServer((_request, response) => response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page));
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.2', resolve));
  const address = site.address();
  siteUrl = `http://127.0.0.2:${typeof address === 'object' && address ? address.port : 0}/gmail-thread.html`;
  screen = await startVirtualDisplay();
  browser = await launchBrowser(newProfileDir(), { display: screen.display });
  const loader = await SidePanel.open(browser);
  await loader.loadDemoData();
  await loader.page.close();
});

afterAll(async () => {
  await browser?.close();
  await screen?.close();
  await new Promise((resolve) => site?.close(resolve));
});

async function granted(): Promise<{ origins: string[]; scripts: string[] }> {
  return (await browser.worker.evaluate(async () => {
    const all = await chrome.permissions.getAll();
    const scripts = await chrome.scripting.getRegisteredContentScripts();
    return { origins: all.origins ?? [], scripts: scripts.flatMap((s) => s.matches ?? []) };
  })) as { origins: string[]; scripts: string[] };
}

/** Types the site, clicks Enable and answers the browser's prompt; resolves with the page's message. */
async function enable(settings: Page, allow: boolean): Promise<string> {
  await settings.getByTestId('site-address').fill('http://127.0.0.2');
  await settings.getByTestId('site-enable').click();
  // The prompt is the browser's, outside the page: give it a moment to open and take the focus.
  await settings.waitForTimeout(1_500);
  answerPermissionPrompt(screen.display, allow);
  const message = settings.getByTestId('sites-message');
  await message.waitFor({ timeout: 10_000 });
  return (await message.textContent()) ?? '';
}

async function panelBeside(url: string): Promise<{ page: Page; panel: SidePanel }> {
  const page = await browser.context.newPage();
  await page.goto(url);
  return { page, panel: await SidePanel.open(browser, await tabIdOf(browser, page)) };
}

describe('Settings → Webmail sites, through the browser’s own prompt', () => {
  it('declined: nothing is granted, nothing listed, no script', async () => {
    const settings = await browser.context.newPage();
    await settings.goto(`chrome-extension://${EXTENSION_ID}/settings.html`);
    await settings.getByTestId('sites-none').waitFor();
    expect(await enable(settings, false)).toBe('http://127.0.0.2 was not allowed: nothing changed.');
    expect(await settings.getByTestId('site').count()).toBe(0);
    const now = await granted();
    expect(now.origins).not.toContain('http://127.0.0.2/*');
    expect(now.scripts).not.toContain('http://127.0.0.2/*');
    await settings.close();
  });

  it('allowed: the site is listed, the sender script runs there and the card shows; removed, it is gone again', async () => {
    const settings = await browser.context.newPage();
    await settings.goto(`chrome-extension://${EXTENSION_ID}/settings.html`);
    expect(await enable(settings, true)).toBe('Enabled on http://127.0.0.2. Reload its tab to see cards there.');
    await expect.poll(() => settings.getByTestId('site').allTextContents()).toEqual([expect.stringContaining('http://127.0.0.2')]);
    await expect.poll(async () => (await granted()).origins).toContain('http://127.0.0.2/*');
    await expect.poll(async () => (await granted()).scripts, { timeout: 10_000 }).toContain('http://127.0.0.2/*');

    const mail = await panelBeside(siteUrl);
    await expect.poll(() => mail.panel.cardName().textContent(), { timeout: 20_000 }).toBe('金鼎贸易有限公司');

    await settings.getByTestId('site-remove-http://127.0.0.2').click();
    await settings.getByTestId('sites-none').waitFor();
    await expect.poll(async () => (await granted()).origins).not.toContain('http://127.0.0.2/*');
    await expect.poll(async () => (await granted()).scripts, { timeout: 10_000 }).not.toContain('http://127.0.0.2/*');

    // The same mail opened again (the old tab closed, so the panel follows the new one): the
    // extension may no longer read the page, so no card shows.
    await mail.panel.page.close();
    await mail.page.close();
    const again = await panelBeside(siteUrl);
    await again.page.waitForTimeout(3_000);
    expect(await again.panel.cardName().count()).toBe(0);
  });
});
