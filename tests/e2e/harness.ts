/**
 * The e2e harness: launches real Chromium with the built extension (.output/chrome-mv3) in a
 * profile that can be closed and relaunched, serves the fixture webmail on 127.0.0.1, and gives
 * small page objects for the side panel. Fails loudly (never skips) without Chromium or a build.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';
import { freePort } from '../tools/free-port.ts';
export { freePort };

export const EXTENSION_ID = 'coclnceeblfbphbhobcoghaekbdelmkm';
export const EXTENSION_DIR = join(process.cwd(), '.output', 'chrome-mv3');

export function chromiumPath(): string {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(path)) throw new Error(`Chromium not found at ${path}: install it with "apt-get install -y chromium" (or set CHROMIUM_PATH).`);
  return path;
}

export function newProfileDir(): string {
  return mkdtempSync(join(tmpdir(), 'cards-profile-'));
}


export interface Browser {
  context: BrowserContext;
  worker: Worker;
  debugPort: number;
  close(): Promise<void>;
}

/** `display`: run headed on that X display (virtual-display.ts) instead of headless, for tests of the browser's own prompts. */
export async function launchBrowser(profileDir: string, options: { language?: string; display?: string } = {}): Promise<Browser> {
  if (!existsSync(join(EXTENSION_DIR, 'manifest.json'))) throw new Error(`The extension is not built (${EXTENSION_DIR}): run "npx wxt build" first.`);
  const debugPort = await freePort();
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: chromiumPath(),
    headless: options.display === undefined,
    ...(options.display !== undefined ? { env: { ...process.env, DISPLAY: options.display } } : {}),
    locale: options.language ?? 'en-US',
    viewport: { width: 1200, height: 800 },
    args: [
      `--disable-extensions-except=${EXTENSION_DIR}`,
      `--load-extension=${EXTENSION_DIR}`,
      `--remote-debugging-port=${debugPort}`,
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...(options.language ? [`--lang=${options.language}`] : []),
    ],
  });
  const worker = context.serviceWorkers().find((w) => w.url().includes(EXTENSION_ID)) ?? (await context.waitForEvent('serviceworker', { timeout: 30_000 }));
  return { context, worker, debugPort, close: () => context.close() };
}

/** The id Chromium gave a page's tab, asked from the extension's service worker. */
export async function tabIdOf(browser: Browser, page: Page): Promise<number> {
  const url = page.url();
  for (let attempt = 0; attempt < 50; attempt++) {
    const id = await browser.worker.evaluate(async (target) => {
      const tabs = await chrome.tabs.query({});
      return tabs.find((tab) => tab.url === target)?.id ?? -1;
    }, url);
    if (id >= 0) return id;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`No tab found for ${url}`);
}

/** The side panel page opened as a tab that follows the given webmail tab. */
export class SidePanel {
  constructor(readonly page: Page) {}

  static async open(browser: Browser, followTabId?: number): Promise<SidePanel> {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 400, height: 900 });
    const query = followTabId === undefined ? '' : `?tab=${followTabId}`;
    await page.goto(`chrome-extension://${EXTENSION_ID}/sidepanel.html${query}`);
    return new SidePanel(page);
  }

  cardName() {
    return this.page.getByTestId('card-name');
  }

  async loadDemoData(): Promise<void> {
    await this.page.getByTestId('load-demo').click();
    await this.page.getByText(/50 cards|共 50 张资料卡/).waitFor({ timeout: 30_000 });
  }

  async createCardFromSender(company?: string): Promise<void> {
    await this.page.getByTestId('unknown-sender').waitFor();
    if (company !== undefined) await this.page.getByTestId('create-company').fill(company);
    await this.page.getByTestId('create-card').click();
    await this.cardName().waitFor();
  }

  async addNote(text: string): Promise<void> {
    await this.page.getByTestId('quick-note').fill(text);
    await this.page.getByTestId('save-note').click();
    await this.page.getByTestId('timeline').getByText(text).waitFor();
  }

  async search(query: string): Promise<void> {
    await this.page.getByTestId('search').fill(query);
  }

  async screenshot(name: string): Promise<void> {
    await this.page.screenshot({ path: join(process.cwd(), 'tests', 'e2e', 'screenshots', `${name}.png`), fullPage: true });
  }
}

/** Evaluates an expression in the REAL side panel (found over the DevTools protocol). */
export async function evaluateInRealSidePanel(browser: Browser, expression: string): Promise<unknown> {
  const { WebSocket } = await import('ws');
  const targets = (await (await fetch(`http://127.0.0.1:${browser.debugPort}/json/list`)).json()) as { url: string; webSocketDebuggerUrl?: string; type: string }[];
  const panels = targets.filter((t) => t.url.startsWith(`chrome-extension://${EXTENSION_ID}/sidepanel.html`) && !t.url.includes('?') && t.webSocketDebuggerUrl);
  const target = panels[0];
  if (!target?.webSocketDebuggerUrl) return undefined;
  const socket = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  try {
    return await new Promise((resolve, reject) => {
      socket.once('message', (data) => {
        const reply = JSON.parse(String(data)) as { result?: { result?: { value?: unknown } }; error?: unknown };
        if (reply.error) reject(new Error(JSON.stringify(reply.error)));
        else resolve(reply.result?.result?.value);
      });
      socket.send(JSON.stringify({ id: 1, method: 'Runtime.evaluate', params: { expression, returnByValue: true } }));
    });
  } finally {
    socket.close();
  }
}

export async function waitFor<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await read();
  while (!accept(last)) {
    if (Date.now() > deadline) throw new Error(`Timed out; last value: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
    last = await read();
  }
  return last;
}

/**
 * What the device's IndexedDB holds (read from an extension page): `cards`, the cards with an
 * index row (in `cards` or still waiting in a `packRows` record: a first sync's, an import's),
 * each once; `waitingRecords`, the `packRows` records not yet moved into `cards`.
 */
export function storedCardCounts(page: Page): Promise<{ cards: number; waitingRecords: number }> {
  return page.evaluate(
    () =>
      new Promise<{ cards: number; waitingRecords: number }>((resolve, reject) => {
        const open = indexedDB.open('customer-cards');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction(['cards', 'packRows'], 'readonly');
          const ids = new Set<string>();
          let waitingRecords = 0;
          const keys = tx.objectStore('cards').getAllKeys();
          keys.onsuccess = () => (keys.result as string[]).forEach((id) => ids.add(id));
          const waiting = tx.objectStore('packRows').getAll();
          waiting.onsuccess = () => {
            const records = waiting.result as { rows: { id: string }[] }[];
            waitingRecords = records.length;
            records.forEach((record) => record.rows.forEach((row) => ids.add(row.id)));
          };
          tx.oncomplete = () => {
            open.result.close();
            resolve({ cards: ids.size, waitingRecords });
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
  );
}

export const storedCardCount = async (page: Page): Promise<number> => (await storedCardCounts(page)).cards;
