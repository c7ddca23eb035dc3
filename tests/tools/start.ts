/**
 * `npm start`: build the extension, serve the demo webmail, start the sync server on its
 * embedded store (once it exists), and — where a display exists — open Chromium with the
 * extension loaded and a demo profile holding the sample customers. Runs until Ctrl-C.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { hashToken, newToken } from '../../sync-server/custody/auth.ts';
import { startServer } from '../../sync-server/endpoints/server.ts';
import { serveFixtures } from './serve-fixtures.ts';

const EXTENSION_ID = 'coclnceeblfbphbhobcoghaekbdelmkm';
const root = process.cwd();
const extensionDir = join(root, '.output', 'chrome-mv3');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function build(): void {
  console.log('Building the extension…');
  const result = spawnSync('npx', ['wxt', 'build'], { stdio: 'inherit', cwd: root });
  if (result.status !== 0) {
    console.error('The build failed; see above.');
    process.exit(1);
  }
}

/** The demo user's token, made once and kept in the data folder so restarts reuse it. */
async function demoToken(dataDir: string, storage: Awaited<ReturnType<typeof startServer>>['storage']): Promise<string> {
  const file = join(dataDir, 'demo-token.txt');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  if (!(await storage.getUser('demo'))) await storage.addUser('demo', 'rep');
  const token = newToken();
  await storage.addToken(hashToken(token), 'demo');
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return token;
}

async function openDemoBrowser(webmailUrl: string, serverUrl: string, token: string): Promise<void> {
  const profile = join(root, 'tmp', 'demo-profile');
  mkdirSync(profile, { recursive: true });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: false,
    viewport: null,
    args: [`--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`, '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'],
  });
  const panel = await context.newPage();
  // Sample customers are offered before sign-in only (never into a company's archive): load
  // them first; signing in then claims them for the demo user, whose name every change record
  // must carry for the server to take it, so none is refused.
  await panel.goto(`chrome-extension://${EXTENSION_ID}/sidepanel.html`);
  const loadDemo = panel.getByTestId('load-demo');
  if (await loadDemo.isVisible({ timeout: 3_000 }).catch(() => false)) {
    console.log('Loading the sample customers into the demo profile…');
    await loadDemo.click();
    await panel.getByText(/50 cards|共 50 张资料卡/).waitFor({ timeout: 30_000 });
  }
  await panel.goto(`chrome-extension://${EXTENSION_ID}/settings.html`);
  await panel.getByTestId('server-url').fill(serverUrl);
  await panel.getByTestId('server-token').fill(token);
  await panel.getByTestId('sign-in').click();
  await panel.locator('[data-testid="sync-status"][data-state="online"]').waitFor({ timeout: 30_000 }).catch(() => console.log('(the demo profile has not synced yet; it keeps trying)'));
  await panel.close();
  const webmail = context.pages()[0] ?? (await context.newPage());
  await webmail.goto(webmailUrl);
  console.log('Chromium is open with the extension. Click its toolbar icon to open the side panel, then open a message.');
  await new Promise<void>((resolve) => context.on('close', () => resolve()));
}

async function main(): Promise<void> {
  build();
  const fixtures = await serveFixtures(5178);
  console.log(`Demo webmail: ${fixtures.url}`);
  const dataDir = join(root, 'data');
  const server = await startServer({ port: 1234, dataDir }).catch(() => startServer({ port: 0, dataDir }));
  console.log(`listening on ${server.url} (sync server, data in ${dataDir})`);
  const token = await demoToken(dataDir, server.storage);
  const hasDisplay = !!(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
  if (hasDisplay && existsSync(chromiumPath)) {
    await openDemoBrowser(fixtures.url, server.url, token);
    await fixtures.close();
    await server.close();
    return;
  }
  console.log('');
  console.log(hasDisplay ? `Chromium was not found at ${chromiumPath} (apt-get install -y chromium).` : 'No display here, so no browser is opened.');
  console.log('Load the extension by hand in Chrome or Chromium:');
  console.log('  1. open chrome://extensions and switch on Developer mode');
  console.log(`  2. click "Load unpacked" and choose ${extensionDir}`);
  console.log(`  3. open ${fixtures.url} and click the extension's toolbar icon to open the side panel`);
  console.log('  4. with an empty store, the side panel offers "Load 50 sample customers"');
  console.log(`  5. to sync, open the extension's Settings: server ${server.url}, token ${token}`);
  console.log('Press Ctrl-C to stop.');
  await new Promise<void>((resolve) => process.on('SIGINT', () => resolve()));
  await fixtures.close();
  await server.close();
}

void main();
