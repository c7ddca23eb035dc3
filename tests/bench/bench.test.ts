/**
 * The benchmarks' small, fast mode, so they never rot: the same code as `npm run bench` on a
 * little data, checking that it runs and measures the right thing — not how fast it is.
 */
import { describe, expect, it } from 'vitest';
import { runBrowserBench } from './browser-bench.ts';
import { sidePanelGzipBytes } from './bundle-size.ts';
import { ensurePinyin } from '../../shared/pinyin.ts';
import { makeCards, makeSeeds } from './card-data.ts';
import { profileCardIngest } from './ingest-profile.ts';
import { DESK_VIEWS, runRegisterBench } from './register-bench.ts';
import { runServerLoad } from './server-load.ts';
import { runSyncBench } from './sync-bench.ts';
import { runTransferBench } from './transfer-bench.ts';
import { runCustodyBench } from './custody-bench.ts';
import { runScaleBench } from './scale-bench.ts';
import { QUICK_WRITE_PATH, runWritePathBench } from './write-path-bench.ts';

// Rows as the server builds them: with their pinyin terms.
await ensurePinyin();
const cards = makeCards(60, 3);

describe('benchmarks, fast mode', () => {
  it('custody: a manager receives the team’s cards; an access change reaches every connected device', async () => {
    const result = await runCustodyBench(makeCards(41, 2), 1, 20);
    expect(result.managerColdSyncMs).toHaveLength(1);
    expect(result.accessChangeMs).toHaveLength(20);
    expect(result.borrowerMs).toHaveLength(5);
  });

  it('sync: ours and the stock approach both deliver every card; a quiet reconnect is one SYNC', async () => {
    const result = await runSyncBench({ cards, runs: 1, stockLatencyCards: 20, oneWayDelayMs: 5 });
    expect(result.oursLoopbackMs).toHaveLength(1);
    expect(result.stockLoopbackMs[0]).toBeGreaterThan(0);
    expect(result.oursReconnect10Ms).toHaveLength(1);
    expect(result.reconnectNothingFrames).toEqual({ AUTH: 1, SYNC: 1 });
  });

  it('chromium: cold sync, time to card, search, first render, rebuild and import are measured', async () => {
    const result = await runBrowserBench(cards, { runs: 1, queries: ['Company 7', '华星'], seeds: makeSeeds(20) });
    expect(result.cards).toBe(62);
    expect(result.sawProgressBar).toBe(true);
    expect(result.rebuildMs).toBeGreaterThan(0);
    expect(result.importedCards).toBe(20);
    expect(result.timeToCardMs.length).toBeGreaterThan(0);
    expect(result.spaTimeToCardMs.length).toBeGreaterThan(0);
    expect(Object.keys(result.searchMs)).toEqual(['Company 7', '华星']);
    expect(result.idbBytesPerCard).toBeGreaterThan(0);
  });

  it('chromium: the register renders, sorts and filters, pinyin search and every desk view are measured', async () => {
    const result = await runRegisterBench(60, 1);
    expect(result.firstRenderMs).toHaveLength(1);
    expect(result.sortMs[0]).toBeGreaterThanOrEqual(0);
    expect(Object.keys(result.deskMs)).toEqual(DESK_VIEWS);
    expect(Object.values(result.deskMs).flat().every((value) => Number.isFinite(value))).toBe(true);
  });

  it('server load: devices connect and every reader receives the fanned-out update', async () => {
    const result = await runServerLoad(20, 5, 3);
    expect(result.fanoutMs).toHaveLength(15);
    expect(result.heldAfterSecondLeave).toBeGreaterThan(0);
  });

  it('past one machine: cold sync on PostgreSQL, writes on SQLite and on one and two PostgreSQL instances, fan-out across two instances', async () => {
    const result = await runScaleBench({ cards, runs: 1, writers: 3, writesPerWriter: 5, fanoutDevices: 10, fanoutRounds: 2 });
    expect(result.postgresColdSyncMs).toHaveLength(1);
    expect(result.writeRuns.map((run) => `${run.backend} ${run.instances} ${run.writes}`)).toEqual(['SQLite 1 15', 'PostgreSQL 1 15', 'PostgreSQL 2 15']);
    // The cores' busy share is read from /proc/stat around each counted round (a short round may see no tick).
    for (const run of result.writeRuns) {
      expect(run.coresBusy).toBeGreaterThanOrEqual(0);
      expect(run.coresBusy).toBeLessThanOrEqual(1);
    }
    // Every device got every round, half of them across instances.
    expect(result.crossMs).toHaveLength(10);
    expect(result.sameMs).toHaveLength(10);
  });

  it('write path: a burst over /y reaches every reader on ours and on the stock server; the other user is answered beside a hostile rep', async () => {
    const result = await runWritePathBench(QUICK_WRITE_PATH);
    expect(result.changes).toBe(20);
    expect(result.oursBurstMs).toHaveLength(1);
    expect(result.stockBurstMs[0]).toBeGreaterThan(0);
    expect(result.hostileWaitsMs).toHaveLength(QUICK_WRITE_PATH.hostileWrites);
  });

  it('transfer: an XLSX import, an XLSX export, a backup and its restore are measured', async () => {
    const result = await runTransferBench(50);
    expect(result.restoredCards).toBe(50);
    expect(result.importMs).toBeGreaterThanOrEqual(result.analyseMs);
    expect(result.exportXlsxMs).toBeGreaterThan(0);
    expect(result.longestFrameMs).toBeGreaterThan(0);
  });

  it('profiles ingest and measures the bundle', () => {
    expect(profileCardIngest(cards.slice(0, 5)).applyMs).toBeGreaterThan(0);
    expect(sidePanelGzipBytes().gzipBytes).toBeGreaterThan(10_000);
  });
});
