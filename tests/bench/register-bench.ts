/**
 * The register and the analysis desk in real Chromium with the built extension, on N imported
 * cards (tests/e2e/register-data.ts): the register's first render (navigation → first line
 * drawn), a sort and a filter (click → lines updated; React renders a click synchronously),
 * pinyin and typo search in the store (index warm), and opening the analysis desk (click →
 * every chart drawn, the chart library loaded lazily with it).
 */
import { EXTENSION_ID, launchBrowser, newProfileDir } from '../e2e/harness.ts';
import { registerSeeds } from '../e2e/register-data.ts';

export interface RegisterBenchResult {
  cards: number;
  firstRenderMs: number[];
  /**
   * The side panel's first render measured in the same browser at the same moment (as the
   * Chromium bench does): a reference for how loaded the machine was.
   */
  sidePanelFirstRenderMs: number[];
  /** Warm clicks (the same control clicked again); `…ColdMs`: each page's first click. */
  sortMs: number[];
  filterMs: number[];
  sortColdMs: number[];
  filterColdMs: number[];
  searchMs: Record<string, number[]>;
  /** Per analysis view (the first includes loading the desk and the chart library). */
  deskMs: Record<string, number[]>;
}

export const DESK_VIEWS = ['abc', 'cycle', 'receivables', 'sales', 'credit', 'activity', 'statement'];
const PINYIN_QUERIES = ['hxmy', 'huaxin', '华xin', 'jindingwujin', 'kellr'];

export async function runRegisterBench(count: number, runs: number): Promise<RegisterBenchResult> {
  const browser = await launchBrowser(newProfileDir());
  // tsx (which runs `npm run bench`) wraps named functions in __name(); give the pages one.
  await browser.context.addInitScript('globalThis.__name = (f) => f;');
  try {
    const seeds = registerSeeds(count);
    for (let start = 0; start < seeds.length; start += 2_500) {
      const result = await browser.worker.evaluate(async (batch) => {
        const { store } = (globalThis as unknown as { customerCards: { store: { importCards(s: unknown[]): Promise<{ ok: boolean; message?: string }> } } }).customerCards;
        return store.importCards(batch);
      }, seeds.slice(start, start + 2_500));
      if (!result.ok) throw new Error(result.message);
    }
    const worker = browser.worker;
    const searchMs: Record<string, number[]> = {};
    for (const query of PINYIN_QUERIES) {
      searchMs[query] = await worker.evaluate(
        async ({ q, n }) => {
          const { store } = (globalThis as unknown as { customerCards: { store: { search(q: string): Promise<unknown[]>; fillPinyin(): Promise<number> } } }).customerCards;
          await store.fillPinyin();
          await store.search('warm the index');
          const times: number[] = [];
          for (let i = 0; i < n; i++) {
            const started = performance.now();
            const found = await store.search(q);
            times.push(performance.now() - started);
            if (found.length === 0) throw new Error(`no result for ${q}`);
          }
          return times;
        },
        { q: query, n: Math.max(3, runs) },
      );
    }

    const firstRenderMs: number[] = [];
    const sidePanelFirstRenderMs: number[] = [];
    const sortMs: number[] = [];
    const filterMs: number[] = [];
    const sortColdMs: number[] = [];
    const filterColdMs: number[] = [];
    const deskMs: Record<string, number[]> = {};
    for (let run = 0; run < runs; run++) {
      const panel = await browser.context.newPage();
      await panel.goto(`chrome-extension://${EXTENSION_ID}/sidepanel.html`);
      const panelDrawn = await panel.waitForFunction(() => (/\d/.test(document.querySelector('.panel-footer-row')?.textContent ?? '') ? performance.now() : 0), undefined, { timeout: 60_000, polling: 'raf' });
      sidePanelFirstRenderMs.push(Number(await panelDrawn.jsonValue()));
      await panel.close();
      const page = await browser.context.newPage();
      await page.setViewportSize({ width: 1400, height: 900 });
      await page.goto(`chrome-extension://${EXTENSION_ID}/dashboard.html?tab=register`);
      const rendered = await page.waitForFunction(() => (document.querySelector('[data-testid="register-row"]') ? performance.now() : 0), undefined, { timeout: 60_000, polling: 'raf' });
      firstRenderMs.push(Number(await rendered.jsonValue()));
      // Sort and filter once every row is in (the first screen comes from an index query).
      await page.waitForFunction(() => /\d/.test(document.querySelector('[data-testid="register-totals"] strong')?.textContent ?? ''), undefined, { timeout: 60_000, polling: 'raf' });
      // Sort and filter: the first click of each (code not yet compiled) and warm clicks after.
      const click = (selector: string) =>
        page.evaluate((sel) => {
          const started = performance.now();
          document.querySelector<HTMLElement>(sel)!.click();
          return performance.now() - started;
        }, selector);
      const settle = () => page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 50))));
      for (const [selector, warm, cold] of [
        ['[data-testid="sort-receivables"]', sortMs, sortColdMs],
        ['[data-testid="flag-overdue"]', filterMs, filterColdMs],
      ] as const) {
        cold.push(await click(selector));
        for (let i = 0; i < 4; i++) {
          await settle();
          warm.push(await click(selector));
        }
        await settle();
      }
      // Each analysis view: click → its charts (or, without charts, its tables) drawn.
      for (const view of DESK_VIEWS) {
        const elapsed = await page.evaluate(async (id) => {
          const started = performance.now();
          const button = id === 'abc' ? '[data-testid="tab-desk"]' : `[data-testid="desk-view-${id}"]`;
          await new Promise((resolve) => requestAnimationFrame(resolve));
          const clickedAt = performance.now();
          document.querySelector<HTMLButtonElement>(button)!.click();
          return new Promise<number>((resolve) => {
            const check = () => {
              const sections = [...document.querySelectorAll(`[data-testid="desk"] .desk-section`)];
              const ready = sections.length > 0 && sections.every((s) => s.querySelector('.desk-table') && [...s.querySelectorAll('.desk-chart')].every((c) => c.querySelector('canvas')));
              const current = document.querySelector(`[data-testid="desk-view-${id}"]`)?.getAttribute('aria-selected') === 'true';
              if (ready && current) resolve(performance.now() - clickedAt);
              else if (performance.now() - started > 30_000) resolve(Number.NaN);
              else requestAnimationFrame(check);
            };
            check();
          });
        }, view);
        (deskMs[view] ??= []).push(elapsed);
      }
      await page.close();
    }
    return { cards: count, firstRenderMs, sidePanelFirstRenderMs, sortMs, filterMs, sortColdMs, filterColdMs, searchMs, deskMs };
  } finally {
    await browser.close();
  }
}
