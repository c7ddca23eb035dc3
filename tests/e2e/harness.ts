/**
 * The e2e harness: launches real Chromium with the built extension (.output/chrome-mv3) in a
 * profile that can be closed and relaunched, serves the fixture webmail on 127.0.0.1, and gives
 * small page objects for the side panel. Fails loudly (never skips) without Chromium or a build.
 * For the tests that need a server with people on it: `seedTeam` (a data folder with teams, users,
 * their tokens and cards made by the real mutations), `signIn` (a profile signed in through the
 * settings page; `signInOn` and `submitSignIn` on a settings page the test keeps), `openPage`,
 * `setLanguage` and `callApi`/`callApiOk` (the custody API as a user).
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';
import * as Y from 'yjs';
import { applyMutation } from '../../shared/mutations.ts';
import type { CardCreate, CardStep, Mutation } from '../../shared/mutations-types.ts';
import type { Role } from '../../shared/rights/rights.ts';
import { hashToken, newToken } from '../../sync-server/custody/auth.ts';
import { rowOfState } from '../../sync-server/card-row.ts';
import { openSqliteStorage } from '../../sync-server/storage/storage-sqlite.ts';
import { newDataDir } from '../sync/helpers.ts';
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

/** A user of a seeded team: name, role, team (null: none, an admin). */
export type SeedUser = [name: string, role: Role, team: string | null];

/**
 * A card on the server before the test, made by the real mutations: created with its `contact`
 * and `fields` if given, then each step by its actor (the owner unless told).
 */
export interface SeedCard extends Pick<CardCreate, 'contact' | 'fields'> {
  id: string;
  owner: string;
  name: string;
  /** When the card was made (default: now). */
  madeAt?: number;
  steps?: (CardStep | { actor: string; step: CardStep })[];
}

/**
 * A server data folder (SQLite) with teams, users with a token each, and cards; start it with
 * startServerProcess. `states`: each card's state as it was stored (for a backup file, say).
 */
export async function seedTeam(users: readonly SeedUser[], cards: readonly SeedCard[] = []): Promise<{ dataDir: string; tokens: Map<string, string>; states: Map<string, Uint8Array> }> {
  const dataDir = newDataDir();
  const storage = openSqliteStorage(dataDir);
  try {
    for (const team of new Set(users.map(([, , team]) => team).filter((team): team is string => team !== null))) await storage.addTeam(team);
    const tokens = new Map<string, string>();
    for (const [name, role, team] of users) {
      await storage.addUser(name, role, team);
      const token = newToken();
      await storage.addToken(hashToken(token), name);
      tokens.set(name, token);
    }
    const states = new Map<string, Uint8Array>();
    await storage.importCards(
      cards.map((card) => {
        const doc = new Y.Doc();
        let n = 0;
        const ctx = (actor: string, now = Date.now()) => ({ actor, now, newId: () => `${card.id.slice(0, 8)}-${++n}-${crypto.randomUUID().slice(0, 8)}` });
        const create: CardCreate = { type: 'card-create', name: card.name, ...(card.contact && { contact: card.contact }), ...(card.fields && { fields: card.fields }) };
        const made = applyMutation(doc, create, ctx(card.owner, card.madeAt), card.id);
        if (!made.ok) throw new Error(made.message);
        for (const entry of card.steps ?? []) {
          const [actor, step] = 'step' in entry ? [entry.actor, entry.step] : [card.owner, entry];
          const result = applyMutation(doc, { ...step, cardId: card.id } as Mutation, ctx(actor), card.id);
          if (!result.ok) throw new Error(`${card.name}: ${result.message}`);
        }
        const state = Y.encodeStateAsUpdate(doc);
        states.set(card.id, state);
        return { id: card.id, owner: card.owner, state, row: rowOfState(state, card.id) };
      }),
    );
    return { dataDir, tokens, states };
  } finally {
    await storage.close();
  }
}

/** Fills in the sign-in form of an open settings page and sends it; what comes of it is the caller's to wait for. */
export async function submitSignIn(settings: Page, serverUrl: string, token: string): Promise<void> {
  await settings.getByTestId('server-url').fill(serverUrl);
  await settings.getByTestId('server-token').fill(token);
  await settings.getByTestId('sign-in').click();
}

/** Signs in on an open settings page and waits until the profile is online; the page stays open. */
export async function signInOn(settings: Page, serverUrl: string, token: string): Promise<void> {
  await submitSignIn(settings, serverUrl, token);
  await waitFor(() => settings.getByTestId('sync-status').getAttribute('data-state'), (state) => state === 'online', 30_000);
}

/** Signs a profile in to the sync server through a settings page of its own and waits until it is online. */
export async function signIn(browser: Browser, serverUrl: string, token: string): Promise<void> {
  const page = await browser.context.newPage();
  try {
    await page.goto(`chrome-extension://${EXTENSION_ID}/settings.html`);
    await signInOn(page, serverUrl, token);
  } finally {
    await page.close();
  }
}

/** An extension page (`path`, e.g. 'card.html?id=…') in a new tab of the profile. */
export async function openPage(browser: Browser, path: string, width = 1280, height = 900): Promise<Page> {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width, height });
  await page.goto(`chrome-extension://${EXTENSION_ID}/${path}`);
  return page;
}

/** The UI language the profile's pages use (open pages read it again on reload). */
export async function setLanguage(browser: Browser, language: 'en' | 'zh-CN'): Promise<void> {
  await browser.worker.evaluate(`(async () => { await globalThis.customerCards.store.setSetting('language', ${JSON.stringify(language)}); })()`);
}

/** The custody API as the holder of `token`: status and JSON body. */
export async function callApi(serverUrl: string, token: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; body: Record<string, any> }> {
  const response = await fetch(`${serverUrl.replace(/^ws/, 'http')}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  let parsed: Record<string, any> = {};
  try {
    parsed = JSON.parse(text) as Record<string, any>;
  } catch {
    parsed = { raw: text };
  }
  return { status: response.status, body: parsed };
}

/** callApi for a call that must succeed: its JSON body, or an error naming the status. */
export async function callApiOk<T = Record<string, any>>(serverUrl: string, token: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const reply = await callApi(serverUrl, token, method, path, body);
  if (reply.status < 200 || reply.status > 299) throw new Error(`${method} ${path}: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body as T;
}

/** Where a test saves its screenshot (tests/e2e/screenshots, not committed). */
export const screenshotPath = (name: string): string => join(process.cwd(), 'tests', 'e2e', 'screenshots', `${name}.png`);
