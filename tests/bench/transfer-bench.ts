/**
 * Import, export and backup at scale in real Chromium (issue #13's targets): an XLSX of `rows`
 * customers (written by exceljs) imported through the transfer page, from file pick to stored
 * and indexed, while the page's longest frame gap is recorded (responsiveness); the register
 * exported to XLSX; a full backup written and restored into a fresh profile.
 */
import { readFileSync } from 'node:fs';
import type { Download, Page } from 'playwright-core';
import { EXTENSION_ID, launchBrowser, newProfileDir } from '../e2e/harness.ts';
import { loadExcel } from '../../shared/import/xlsx-read.ts';
import { xlsxBytes } from '../import/fixtures.ts';

export interface TransferBenchResult {
  rows: number;
  /** File pick → every accepted card stored and indexed (import result shown). */
  importMs: number;
  /** Of which: reading and analysing the file in the worker (pick → summary shown). */
  analyseMs: number;
  /** The longest gap between animation frames in the page during the import. */
  longestFrameMs: number;
  exportXlsxMs: number;
  /** Customers in the exported workbook (its lines below the header). */
  exportedRows: number;
  backupMs: number;
  restoreMs: number;
  restoredCards: number;
}

const CITIES = ['上海', '深圳', '杭州', 'Berlin', 'Chicago', '北京', 'Osaka', '成都'];

export function customerSheet(rows: number): Promise<Uint8Array> {
  return xlsxBytes((sheet) => {
    sheet.addRow(['客户名称', '统一编号', '联系人', '电话', '邮箱', '城市', '行业', '往来日期', '注册资本']);
    for (let i = 0; i < rows; i++) {
      sheet.addRow([`华星电子第${i}分公司`, `9131000${String(i).padStart(11, '0')}`, `张伟${i}`, `021-5555 ${String(i % 10_000).padStart(4, '0')}`, `buyer${i}@company${i}.example.com`, CITIES[i % CITIES.length], '电子', new Date(Date.UTC(2015 + (i % 10), i % 12, 1 + (i % 28))), 1_000_000 + i]);
    }
    sheet.getColumn(8).numFmt = 'yyyy-mm-dd';
  });
}

/** Lines below the header of the first sheet of an exported workbook. */
async function workbookRows(bytes: Buffer): Promise<number> {
  const Excel = await loadExcel();
  const workbook = new Excel.Workbook();
  await workbook.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  return Math.max(0, (workbook.worksheets[0]?.actualRowCount ?? 1) - 1);
}

async function download(page: Page, click: () => Promise<void>): Promise<Buffer> {
  const [file] = (await Promise.all([page.waitForEvent('download', { timeout: 120_000 }), click()])) as [Download, void];
  return readFileSync(await file.path());
}

/** Records the longest gap between animation frames until read back. */
async function watchFrames(page: Page): Promise<void> {
  // A string, not a function: tsx would wrap a named inner function in a helper the page lacks.
  await page.evaluate(`(() => {
    window.longestFrame = 0;
    let last = performance.now();
    const tick = (now) => { window.longestFrame = Math.max(window.longestFrame, now - last); last = now; requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
  })()`);
}

export async function runTransferBench(rows: number): Promise<TransferBenchResult> {
  const sheet = Buffer.from(await customerSheet(rows));
  const browser = await launchBrowser(newProfileDir());
  const fresh = await launchBrowser(newProfileDir());
  try {
    const page = await browser.context.newPage();
    await page.goto(`chrome-extension://${EXTENSION_ID}/transfer.html#import`);
    await watchFrames(page);
    const started = performance.now();
    await page.getByTestId('import-file').setInputFiles({ name: 'customers.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: sheet });
    await page.getByTestId('import-start').waitFor({ timeout: 300_000 });
    const analyseMs = performance.now() - started;
    await page.getByTestId('import-start').click();
    await page.getByTestId('import-result').waitFor({ timeout: 300_000 });
    const importMs = performance.now() - started;
    const longestFrameMs = await page.evaluate(() => (window as unknown as { longestFrame: number }).longestFrame);

    await page.goto(`chrome-extension://${EXTENSION_ID}/transfer.html#export`);
    await page.getByText(`(${rows} customers)`, { exact: false }).waitFor({ timeout: 60_000 });
    let at = performance.now();
    const workbook = await download(page, () => page.getByTestId('export-xlsx').click());
    const exportXlsxMs = performance.now() - at;
    const exportedRows = await workbookRows(workbook);

    await page.goto(`chrome-extension://${EXTENSION_ID}/transfer.html#backup`);
    at = performance.now();
    const backup = await download(page, () => page.getByTestId('backup-download').click());
    const backupMs = performance.now() - at;
    // The restore runs alone, as on a user's new machine: the first profile's background work
    // (moving the import's rows into their table, put off while the export and backup ran)
    // would otherwise share this machine's two cores with it.
    await browser.close();

    const target = await fresh.context.newPage();
    await target.goto(`chrome-extension://${EXTENSION_ID}/transfer.html#backup`);
    at = performance.now();
    await target.getByTestId('backup-restore').setInputFiles({ name: 'backup.json', mimeType: 'application/json', buffer: backup });
    await target.getByTestId('backup-message').waitFor({ timeout: 300_000 });
    const restoreMs = performance.now() - at;
    const message = (await target.getByTestId('backup-message').textContent()) ?? '';
    const restoredCards = Number(/Restored: (\d+) new/.exec(message)?.[1] ?? 0);
    return { rows, importMs, analyseMs, longestFrameMs, exportXlsxMs, exportedRows, backupMs, restoreMs, restoredCards };
  } finally {
    await browser.close();
    await fresh.close();
  }
}
