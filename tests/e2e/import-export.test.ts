/**
 * Import, export and backup in real Chromium with the built extension: an Excel file (written by
 * exceljs) with a duplicate of a demo customer and a refused row is imported from the dashboard's
 * Import link (the duplicate fills only empty fields, recorded with "import <file>"); a GBK CSV
 * is recognised; binary garbage gets a clear message; the register exports as CSV with a BOM;
 * and a full backup restored into a fresh profile gives identical cards, and merges on a second
 * restore without changing anything.
 */
import { readFileSync } from 'node:fs';
import type { Download, Page } from 'playwright-core';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeBackup, type Backup } from '../../shared/backup/backup-format.ts';
import { readCard } from '../../shared/card-read.ts';
import { loadExcel } from '../../shared/import/xlsx-read.ts';
import { gbkCsv, xlsxBytes } from '../import/fixtures.ts';
import { serveFixtures, type FixtureServer } from '../tools/serve-fixtures.ts';
import { EXTENSION_ID, launchBrowser, newProfileDir, SidePanel, tabIdOf, waitFor, type Browser } from './harness.ts';

let fixtures: FixtureServer;
let browser: Browser;
let transfer: Page;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

async function downloaded(page: Page, click: () => Promise<void>): Promise<{ name: string; bytes: Buffer }> {
  const [download] = (await Promise.all([page.waitForEvent('download'), click()])) as [Download, void];
  const path = await download.path();
  return { name: download.suggestedFilename(), bytes: readFileSync(path) };
}

/** A fresh load of the transfer page on a tab (a hash change alone keeps the page's state). */
async function openTab(tab: string): Promise<void> {
  await transfer.goto('about:blank');
  await transfer.goto(`chrome-extension://${EXTENSION_ID}/transfer.html#${tab}`);
}

function viewsOf(backup: Backup) {
  return backup.cards
    .map((card) => {
      const doc = new Y.Doc();
      Y.applyUpdate(doc, card.state);
      return readCard(doc, card.id);
    })
    .sort((a, b) => a.id.localeCompare(b.id));
}

beforeAll(async () => {
  fixtures = await serveFixtures();
  browser = await launchBrowser(newProfileDir());
  const loader = await SidePanel.open(browser);
  await loader.loadDemoData();
  await loader.page.close();
  const dashboard = await browser.context.newPage();
  await dashboard.goto(`chrome-extension://${EXTENSION_ID}/dashboard.html`);
  await dashboard.getByTestId('open-import').click();
  await dashboard.waitForURL(/transfer\.html#import/);
  transfer = dashboard;
  await transfer.setViewportSize({ width: 1200, height: 1400 });
});

afterAll(async () => {
  await browser?.close();
  await fixtures?.close();
});

describe('import', () => {
  it('imports an Excel file with a duplicate and a refused row: lists the error, fills the duplicate, creates the new card', async () => {
    const bytes = await xlsxBytes((sheet) => {
      sheet.addRow(['客户名称', '联系人', '邮箱', '城市', '行业', '往来日期']);
      sheet.addRow(['金鼎贸易有限公司', '李娜', 'li.na@jinding-trading.cn', '北京', '进出口贸易', new Date(Date.UTC(2018, 4, 2))]);
      sheet.addRow(['华信贸易有限公司', '王芳', 'wang.fang@huaxin-trade.cn', '上海', '贸易', new Date(Date.UTC(2019, 2, 15))]);
      sheet.addRow(['北方机械厂', '赵强', 'not-an-email', '北京', '机械', new Date(Date.UTC(2020, 0, 20))]);
      sheet.getColumn(6).numFmt = 'yyyy-mm-dd';
    });
    await transfer.getByTestId('import-file').setInputFiles({ name: '客户.xlsx', mimeType: XLSX, buffer: Buffer.from(bytes) });
    await expect.poll(() => transfer.getByTestId('import-counts').textContent(), { timeout: 30_000 }).toBe('Rows read: 3 — customers: 2, refused: 1');
    expect(await transfer.getByTestId('map-0').inputValue()).toBe('name');
    expect(await transfer.getByTestId('map-5').inputValue()).toBe('firstTradeDate');
    const errorRow = transfer.getByTestId('import-error-row');
    expect(await errorRow.count()).toBe(1);
    expect(await errorRow.locator('td').allTextContents()).toEqual(['4', '邮箱', 'not-an-email', '"not-an-email" is not a valid email address']);
    const errors = await downloaded(transfer, () => transfer.getByTestId('import-errors-download').click());
    expect(errors.bytes.toString('utf8')).toContain('4,邮箱,not-an-email');
    expect(await transfer.getByTestId('import-duplicate').textContent()).toContain('Row 2 “金鼎贸易有限公司” matches “金鼎贸易有限公司” (same email)');
    await transfer.getByTestId('import-duplicate-2').selectOption('fill');
    expect(await transfer.getByTestId('import-summary').textContent()).toBe('New cards: 1 · filled: 1 · skipped: 0. Refused rows, not imported: 1.');
    await transfer.screenshot({ path: 'tests/e2e/screenshots/import-review.png', fullPage: true });
    await transfer.getByTestId('import-start').click();
    await expect.poll(() => transfer.getByTestId('import-result').textContent(), { timeout: 30_000 }).toBe('Imported: 1 new cards, 1 filled, 0 skipped.');

    // The filled card kept its city, gained the industry, and says why in its history.
    const mail = await browser.context.newPage();
    await mail.goto(fixtures.url + 'gmail-thread.html');
    const panel = await SidePanel.open(browser, await tabIdOf(browser, mail));
    await waitFor(() => panel.cardName().textContent(), (name) => name === '金鼎贸易有限公司');
    const opened = browser.context.waitForEvent('page');
    await panel.page.getByTestId('open-full-card').click();
    const cardPage = await opened;
    await expect.poll(() => cardPage.getByTestId('edit-industry').textContent()).toBe('进出口贸易');
    expect(await cardPage.getByTestId('edit-city').textContent()).toBe('上海');
    expect(await cardPage.getByTestId('history').textContent()).toContain('import 客户.xlsx');
    await panel.search('华信');
    await panel.page.getByText('华信贸易有限公司').first().waitFor();
    await Promise.all([cardPage.close(), panel.page.close(), mail.close()]);
  });

  it('recognises a GBK CSV from a Chinese Excel and shows the encoding; refuses binary garbage clearly', async () => {
    await openTab('import');
    const csv = gbkCsv('客户名称,联系人,手机,城市\n东方电子股份有限公司,李明,13800138000,深圳\n');
    await transfer.getByTestId('import-file').setInputFiles({ name: '客户.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await expect.poll(() => transfer.getByTestId('import-encoding').inputValue(), { timeout: 20_000 }).toBe('gb18030');
    expect(await transfer.getByTestId('import-preview-card').first().textContent()).toContain('东方电子股份有限公司');
    await openTab('import');
    const garbage = Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 7919) % 256));
    await transfer.getByTestId('import-file').setInputFiles({ name: 'photo.csv', mimeType: 'text/csv', buffer: garbage });
    await expect.poll(() => transfer.getByTestId('import-failure').textContent(), { timeout: 20_000 }).toContain('This file is not a CSV text file');
  });
});

describe('export and backup', () => {
  let backupText = '';

  it('exports the register as CSV with a BOM, without sensitive fields unless ticked', async () => {
    await openTab('export');
    await expect.poll(() => transfer.getByTestId('export-panel').textContent()).toContain('51 customers');
    const csv = await downloaded(transfer, () => transfer.getByTestId('export-csv').click());
    const text = csv.bytes.toString('utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text).toContain('华信贸易有限公司');
    expect(text.split('\r\n').length).toBeGreaterThanOrEqual(52);
    await transfer.getByTestId('export-sensitive').check();
    await transfer.getByTestId('export-sensitive-warning').waitFor();
  });

  it('backs up, restores into a fresh profile identically, and merges on a second restore', async () => {
    await openTab('backup');
    const file = await downloaded(transfer, () => transfer.getByTestId('backup-download').click());
    backupText = file.bytes.toString('utf8');
    const original = decodeBackup(backupText);
    if (!original.ok) throw new Error(original.message);
    expect(original.value.cards).toHaveLength(51);

    const fresh = await launchBrowser(newProfileDir());
    try {
      const page = await fresh.context.newPage();
      await page.goto(`chrome-extension://${EXTENSION_ID}/transfer.html#backup`);
      await page.getByTestId('backup-restore').setInputFiles({ name: file.name, mimeType: 'application/json', buffer: file.bytes });
      await expect.poll(() => page.getByTestId('backup-message').textContent(), { timeout: 60_000 }).toMatch(/^Restored: 51 new cards, 0 merged, 0 unchanged; \d+ settings\.$/);
      const again = await downloaded(page, () => page.getByTestId('backup-download').click());
      const restored = decodeBackup(again.bytes.toString('utf8'));
      if (!restored.ok) throw new Error(restored.message);
      // Field by field, person by person, history entry by history entry.
      expect(viewsOf(restored.value)).toEqual(viewsOf(original.value));
      await page.reload();
      await page.getByTestId('backup-restore').setInputFiles({ name: file.name, mimeType: 'application/json', buffer: file.bytes });
      await expect.poll(() => page.getByTestId('backup-message').textContent(), { timeout: 60_000 }).toBe('Restored: 0 new cards, 0 merged, 51 unchanged; 0 settings.');
    } finally {
      await fresh.close();
    }
  });
});

describe('a large export', () => {
  it('exports 1,500 customers (built by the page and its worker together) to XLSX and CSV, each once, in order, each line whole', async () => {
    const count = 1500;
    const name = (i: number) => `Customer ${String(i).padStart(4, '0')} 华星`;
    const email = (i: number) => `buyer${i}@customer${i}.example.com`;
    const sheet = await xlsxBytes((rows) => {
      rows.addRow(['客户名称', '联系人', '邮箱', '城市']);
      for (let i = 1; i <= count; i++) rows.addRow([name(i), `张伟${i}`, email(i), i % 2 ? '上海' : 'Berlin']);
    });
    const large = await launchBrowser(newProfileDir());
    try {
      const page = await large.context.newPage();
      await page.goto(`chrome-extension://${EXTENSION_ID}/transfer.html#import`);
      await page.getByTestId('import-file').setInputFiles({ name: 'customers.xlsx', mimeType: XLSX, buffer: Buffer.from(sheet) });
      await page.getByTestId('import-start').click({ timeout: 60_000 });
      await expect.poll(() => page.getByTestId('import-result').textContent(), { timeout: 60_000 }).toBe(`Imported: ${count} new cards, 0 filled, 0 skipped.`);
      await page.goto('about:blank');
      await page.goto(`chrome-extension://${EXTENSION_ID}/transfer.html#export`);
      await expect.poll(() => page.getByTestId('export-register-hint').textContent(), { timeout: 30_000 }).toContain(`(${count} customers)`);

      const expected = Array.from({ length: count }, (_, i) => [name(i + 1), `张伟${i + 1}`, email(i + 1)]);
      const workbook = await downloaded(page, () => page.getByTestId('export-xlsx').click());
      const Excel = await loadExcel();
      const book = new Excel.Workbook();
      await book.xlsx.load(workbook.bytes.buffer.slice(workbook.bytes.byteOffset, workbook.bytes.byteOffset + workbook.bytes.byteLength) as ArrayBuffer);
      const lines = (book.worksheets[0]!.getSheetValues() as unknown[][]).slice(1).map((line) => line.slice(1));
      const column = (label: string) => lines[0]!.indexOf(label);
      const people = lines.slice(1).map((line) => [line[column('Trade name')], line[column('Contact')], line[column('Email')]]);
      expect(people).toEqual(expected);

      const csv = await downloaded(page, () => page.getByTestId('export-csv').click());
      const csvLines = csv.bytes.toString('utf8').replace(/^\uFEFF/, '').trim().split('\r\n');
      expect(csvLines).toHaveLength(count + 1);
      const misplaced = csvLines.slice(1).filter((line, i) => !line.includes(`${name(i + 1)},`) || !line.includes(`,${email(i + 1)}`));
      expect(misplaced).toEqual([]);
    } finally {
      await large.close();
    }
  });
});
