/**
 * The register bench alone (pinyin search in the store, the analysis desk's views), for A/B runs
 * without the whole `npm run bench`: `node --import tsx tests/bench/register-probe.ts [cards] [runs]`.
 * It loads the extension built in the current directory's .output/chrome-mv3.
 */
import { runRegisterBench } from './register-bench.ts';
import { median } from './stats.ts';

const cards = Number(process.argv[2] ?? 10_000);
const runs = Number(process.argv[3] ?? 3);
const result = await runRegisterBench(cards, runs);
const medians = (all: Record<string, number[]>) => Object.fromEntries(Object.entries(all).map(([key, values]) => [key, +median(values).toFixed(1)]));
console.log(JSON.stringify({ dir: process.cwd(), search: medians(result.searchMs), desk: medians(result.deskMs), registerFirstRender: +median(result.firstRenderMs).toFixed(0) }));
process.exit(0);
