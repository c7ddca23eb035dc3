/**
 * A quick probe of the device-side figures, without the whole bench: one cold sync of N cards
 * into Chromium, then the side panel's search (timed as the bench times it, optionally under the
 * CPU profiler) and an import through the product's mutations in the service worker (profiled
 * over the DevTools protocol). Prints JSON and, with --profile, the functions with the most
 * self time. `node --import tsx tests/bench/device-probe.ts [--cards 10000] [--import 1000] [--profile]`
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { EXTENSION_DIR, EXTENSION_ID, launchBrowser, newProfileDir, storedCardCounts, waitFor } from '../e2e/harness.ts';
import { ensurePinyin } from '../../shared/pinyin.ts';
import { makeCards, makeSeeds } from './card-data.ts';
import { coldSync } from './browser-bench.ts';
import { startOurs } from './sync-bench.ts';
import { median } from './stats.ts';

const arg = (name: string, fallback: number) => {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};
const N = arg('--cards', 10_000);
const IMPORT = arg('--import', 1_000);
const RUNS = arg('--runs', 7);
const PROFILE = process.argv.includes('--profile');
const QUERIES = process.env.PROBE_QUERIES ? process.env.PROBE_QUERIES.split(',') : ['Company 4321', '华星电子第77', 'buyer99', 'hxdz'];

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }; hitCount?: number; children?: number[] }

/** The functions with the most self time in a CPU profile. */
function topSelf(profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }, count = 25): string[] {
  const selfMs = new Map<string, number>();
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  profile.samples.forEach((id, i) => {
    const frame = byId.get(id)!.callFrame;
    const key = `${frame.functionName || '(anon)'} ${frame.url.split('/').pop()}:${frame.lineNumber}:${frame.columnNumber}`;
    selfMs.set(key, (selfMs.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  const sources = new Map<string, string[]>();
  const snippet = (url: string, line: number, column: number) => {
    const path = url.replace(`chrome-extension://${EXTENSION_ID}/`, '');
    if (!path || !existsSync(join(EXTENSION_DIR, path))) return '';
    if (!sources.has(path)) sources.set(path, readFileSync(join(EXTENSION_DIR, path), 'utf8').split('\n'));
    return sources.get(path)![line]?.slice(column, column + 90) ?? '';
  };
  const where = new Map<string, string>();
  for (const node of profile.nodes) {
    const frame = node.callFrame;
    where.set(`${frame.functionName || '(anon)'} ${frame.url.split('/').pop()}:${frame.lineNumber}:${frame.columnNumber}`, snippet(frame.url, frame.lineNumber, frame.columnNumber));
  }
  return [...selfMs].sort((a, b) => b[1] - a[1]).slice(0, count).map(([key, ms]) => `${ms.toFixed(1).padStart(8)} ms  ${key}   ${where.get(key) ?? ''}`);
}

/** A raw DevTools session on a target found by URL (service workers are not Playwright pages). */
async function cdpSession(debugPort: number, match: (target: { url: string; type: string }) => boolean) {
  const targets = (await (await fetch(`http://127.0.0.1:${debugPort}/json/list`)).json()) as { url: string; type: string; webSocketDebuggerUrl?: string }[];
  const target = targets.find((t) => match(t) && t.webSocketDebuggerUrl);
  if (!target) throw new Error('no such target');
  const socket = new WebSocket(target.webSocketDebuggerUrl!, { maxPayload: 2 ** 30 });
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  let next = 1;
  const waiting = new Map<number, (reply: { result?: unknown; error?: unknown }) => void>();
  socket.on('message', (data) => {
    const reply = JSON.parse(String(data)) as { id?: number; result?: unknown; error?: unknown };
    if (reply.id !== undefined) waiting.get(reply.id)?.(reply);
  });
  const send = <T>(method: string, params: object = {}) =>
    new Promise<T>((resolve, reject) => {
      const id = next++;
      waiting.set(id, (reply) => (reply.error ? reject(new Error(JSON.stringify(reply.error))) : resolve(reply.result as T)));
      socket.send(JSON.stringify({ id, method, params }));
    });
  return { send, close: () => socket.close() };
}

async function main(): Promise<void> {
  await ensurePinyin();
  const cards = makeCards(N, 10);
  const ours = await startOurs(cards);
  const browser = await launchBrowser(newProfileDir());
  await browser.context.addInitScript('globalThis.__name = (f) => f;');
  try {
    const { settings, ms } = await coldSync(browser, ours);
    await waitFor(() => settings.evaluate(async () => ((await chrome.storage.session.get('dueFeed')).dueFeed as { total?: number } | undefined)?.total ?? -1), (total) => total >= 0, 120_000);
    await waitFor(async () => (await storedCardCounts(settings)).waitingRecords, (records) => records === 0, 120_000);
    await browser.worker.evaluate(async () => {
      const { store } = (globalThis as unknown as { customerCards: { store: { fillPinyin(): Promise<number> } } }).customerCards;
      await store.fillPinyin();
    });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const panel = await browser.context.newPage();
    await panel.setViewportSize({ width: 400, height: 900 });
    await panel.goto(`chrome-extension://${EXTENSION_ID}/sidepanel.html`);
    await panel.getByTestId('search').waitFor();
    // The first query loads the search index (the bench's first run does too); the probe times the warm ones.
    await panel.getByTestId('search').fill('warm');
    await panel.locator('[data-testid="search-results"], [data-testid="search-empty"]').first().waitFor({ timeout: 60_000 });
    await panel.getByTestId('search').fill('');
    const cdp = PROFILE ? await browser.context.newCDPSession(panel) : undefined;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
      await cdp.send('Profiler.start');
    }
    const searchMs: Record<string, number[]> = {};
    for (const query of QUERIES) {
      searchMs[query] = [];
      for (let run = 0; run < RUNS; run++) {
        searchMs[query]!.push(
          await panel.evaluate(async (q) => {
            const input = document.querySelector<HTMLInputElement>('[data-testid="search"]')!;
            const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
            setValue.call(input, '');
            input.dispatchEvent(new Event('input', { bubbles: true }));
            await new Promise((resolve) => setTimeout(resolve, 50));
            const started = performance.now();
            const done = new Promise<number>((resolve) => {
              const check = () => {
                if (document.querySelector('[data-testid="search-results"], [data-testid="search-empty"]')) resolve(performance.now() - started);
                else requestAnimationFrame(check);
              };
              check();
            });
            setValue.call(input, q);
            input.dispatchEvent(new Event('input', { bubbles: true }));
            return done;
          }, query),
        );
      }
    }
    console.log(JSON.stringify({ coldSyncMs: ms, search: Object.fromEntries(Object.entries(searchMs).map(([q, all]) => [q, { median: +median(all).toFixed(1), all: all.map((v) => Math.round(v)) }])) }));
    if (cdp) {
      const { profile } = (await cdp.send('Profiler.stop')) as { profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] } };
      console.log('side panel during the searches, self time:\n' + topSelf(profile).join('\n'));
    }
    const importInWorker = (seeds: unknown[]) =>
      browser.worker.evaluate(async (batch) => {
        const { store } = (globalThis as unknown as { customerCards: { store: { importCards(seeds: unknown[]): Promise<{ ok: boolean; message?: string }> } } }).customerCards;
        const started = performance.now();
        const result = await store.importCards(batch);
        if (!result.ok) throw new Error(result.message);
        return performance.now() - started;
      }, seeds);
    if (IMPORT > 0) {
      const seeds = makeSeeds(IMPORT);
      const worker = PROFILE ? await cdpSession(browser.debugPort, (t) => t.type === 'service_worker' && t.url.includes(EXTENSION_ID)) : undefined;
      if (worker) {
        await worker.send('Profiler.enable');
        await worker.send('Profiler.setSamplingInterval', { interval: 200 });
        await worker.send('Profiler.start');
      }
      const importMs = await browser.worker.evaluate(async (batch) => {
        const { store } = (globalThis as unknown as { customerCards: { store: { importCards(seeds: unknown[]): Promise<{ ok: boolean; message?: string }> } } }).customerCards;
        const started = performance.now();
        const result = await store.importCards(batch);
        if (!result.ok) throw new Error(result.message);
        return performance.now() - started;
      }, seeds);
      console.log(JSON.stringify({ imported: IMPORT, importMs: Math.round(importMs), perCardMs: +(importMs / IMPORT).toFixed(2) }));
      if (worker) {
        const { profile } = await worker.send<{ profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] } }>('Profiler.stop');
        console.log('service worker during the import, self time:\n' + topSelf(profile, 40).join('\n'));
        worker.close();
      }
      // Where the time goes when the worker waits: the same import with the pages closed, then offline.
      const more = makeSeeds(IMPORT * 3).slice(IMPORT);
      const half = more.length / 2;
      const withPanel = await importInWorker(more.slice(0, half / 2));
      await panel.close();
      await settings.close();
      const pagesClosed = await importInWorker(more.slice(half / 2, half));
      await ours.server.stop();
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const offline = await importInWorker(more.slice(half, half * 1.5));
      console.log(JSON.stringify({ perCardMs: { withPanelOpen: +(withPanel / (half / 2)).toFixed(2), pagesClosed: +(pagesClosed / (half / 2)).toFixed(2), pagesClosedServerStopped: +(offline / (half / 2)).toFixed(2) } }));
    }
  } finally {
    await browser.close();
    await ours.server.stop().catch(() => undefined);
  }
}

void main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
