/**
 * The files people bring, imported from the transfer page in real Chromium with the built
 * extension: the register kept in Excel (title, 制表人 line, merged company, 小计 / 合计, notes
 * below) shows which row is the header and lets the user pick another; the Outlook and Google
 * Contacts exports are recognised, their people grouped into customers, and the columns that go
 * nowhere listed and kept as a note when asked.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eastChinaRegister, xlsxBytes } from '../import/fixtures.ts';
import { EXTENSION_ID, launchBrowser, newProfileDir, storedCardCount, type Browser } from './harness.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const fixture = (name: string) => readFileSync(join(import.meta.dirname, '../fixtures/import', name));

let browser: Browser;
let page: Page;

async function openImport(): Promise<void> {
  await page.goto('about:blank');
  await page.goto(`chrome-extension://${EXTENSION_ID}/transfer.html#import`);
}

const counts = () => page.getByTestId('import-counts').textContent();

beforeAll(async () => {
  browser = await launchBrowser(newProfileDir());
  page = await browser.context.newPage();
  await page.setViewportSize({ width: 1200, height: 1400 });
});

afterAll(async () => {
  await browser?.close();
});

describe('import of real files in the page', () => {
  it('a register with a title, a 制表人 line and totals: the header row found and changeable, totals and notes left out, the merged company one customer', async () => {
    await openImport();
    await page.getByTestId('import-file').setInputFiles({ name: '华东区客户名册.xlsx', mimeType: XLSX, buffer: Buffer.from(await xlsxBytes(eastChinaRegister)) });
    await expect.poll(counts, { timeout: 30_000 }).toBe('Rows read: 4 — customers: 2, refused: 1');
    expect(await page.getByTestId('import-header-row').inputValue()).toBe('4');
    expect(await page.getByTestId('import-note-header-row').textContent()).toBe('Row 4 was read as the header (the column names).');
    expect(await page.getByTestId('import-note-rows-above').textContent()).toBe('Rows above the header were not read (a title or a note): 1, 2.');
    expect(await page.getByTestId('import-note-totals-rows').textContent()).toBe('Totals and subtotal rows were left out: row(s) 8, 10.');
    expect(await page.getByTestId('import-note-notes-below').textContent()).toBe('Notes below the table were left out: row(s) 11, 12.');
    expect(await page.getByTestId('import-group').first().textContent()).toBe('金鼎贸易有限公司 ← rows 5, 6 (same company) · 李娜, 张伟');
    expect(await page.getByTestId('import-unmapped-column').allTextContents()).toEqual(['序号 — 4 row(s) with a value']);
    expect(await page.getByTestId('import-error-row').locator('td').nth(3).textContent()).toContain('has lost digits');
    const previewNames = await page.getByTestId('import-preview-card').locator('strong').allTextContents();
    expect(previewNames.sort()).toEqual(['南京长江机电有限公司', '金鼎贸易有限公司']);

    // Another row as the header: the 制表人 line names no customer column; back to row 4.
    await page.getByTestId('import-header-row').selectOption('2');
    await page.getByTestId('import-need-name').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('import-note-header-row').textContent()).toBe('Row 2 was read as the header (the column names).');
    await page.getByTestId('import-header-row').selectOption('4');
    await expect.poll(counts, { timeout: 20_000 }).toBe('Rows read: 4 — customers: 2, refused: 1');
    await page.getByTestId('import-start').click();
    await expect.poll(() => page.getByTestId('import-result').textContent(), { timeout: 30_000 }).toBe('Imported: 2 new cards, 0 filled, 0 skipped.');
  });

  it('an Outlook contacts export: recognised, people grouped into customers by company and email domain, unmapped columns listed and kept as a note', async () => {
    await openImport();
    await page.getByTestId('import-file').setInputFiles({ name: 'contacts.csv', mimeType: 'text/csv', buffer: fixture('outlook-contacts.csv') });
    await expect.poll(counts, { timeout: 30_000 }).toBe('Rows read: 5 — customers: 3, refused: 0');
    expect(await page.getByTestId('import-note-export-format').textContent()).toBe('Recognised as an Outlook contacts export: its columns are mapped as that tool writes them.');
    expect(await page.getByTestId('import-group').first().textContent()).toBe('Acme Industrial Supply ← rows 2, 3, 5 (grouped by email domain) · Sarah Johnson, David Miller, Kevin Lee');
    const unmapped = await page.getByTestId('import-unmapped-column').allTextContents();
    expect(unmapped).toContain('Title — 4 row(s) with a value');
    expect(await page.getByTestId('import-unmapped').textContent()).toMatch(/more column\(s\) without any value/);
    // The job title column, not the salutation, goes to the person's title.
    const headers = await page.getByTestId('import-mapping').locator('tbody tr td:first-child').allTextContents();
    expect(await page.getByTestId(`map-${headers.indexOf('Job Title')}`).inputValue()).toBe('contact.title');
    expect(await page.getByTestId(`map-${headers.indexOf('Title')}`).inputValue()).toBe('');
    await page.getByTestId('import-keep-unmapped').check();
    await expect.poll(() => page.getByTestId('import-keep-unmapped').isChecked(), { timeout: 20_000 }).toBe(true);
    await expect.poll(counts, { timeout: 20_000 }).toBe('Rows read: 5 — customers: 3, refused: 0');
    await page.getByTestId('import-start').click();
    await expect.poll(() => page.getByTestId('import-result').textContent(), { timeout: 30_000 }).toBe('Imported: 3 new cards, 0 filled, 0 skipped.');
    expect(await storedCardCount(page)).toBe(5);
  });

  it('a Google Contacts export: the companies as customers, not the people', async () => {
    await openImport();
    await page.getByTestId('import-file').setInputFiles({ name: 'contacts.csv', mimeType: 'text/csv', buffer: fixture('google-contacts.csv') });
    await expect.poll(counts, { timeout: 30_000 }).toBe('Rows read: 3 — customers: 2, refused: 0');
    expect(await page.getByTestId('import-note-export-format').textContent()).toContain('a Google Contacts export');
    const names = await page.getByTestId('import-preview-card').locator('strong').allTextContents();
    expect(names).toEqual(['Keller Maschinenbau GmbH', 'Sakura Components K.K.']);
    expect(await page.getByTestId('import-preview-card').first().textContent()).toContain('Martin Keller <m.keller@keller-maschinen.de>');
  });
});
