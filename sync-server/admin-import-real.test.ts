/**
 * The admin CLI's import with the files people bring (tests/fixtures/import and the register
 * kept in Excel): what it says it read (header row, export recognised, totals and notes left
 * out, columns not imported, grouping), what it stores, and --header-row / --keep-unmapped
 * from the real command line.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { readCard } from '../shared/card-read.ts';
import { eastChinaRegister, xlsxBytes } from '../tests/import/fixtures.ts';
import { adminImport } from './admin-import.ts';
import type { Storage } from './storage/storage.ts';
import { openSqliteStorage } from './storage/storage-sqlite.ts';

const FIXTURES = join(import.meta.dirname, '../tests/fixtures/import');

async function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'admin-import-real-'));
  const storage = openSqliteStorage(join(dir, 'data'));
  await storage.addUser('wang', 'rep');
  return { dir, storage };
}

async function cardsOf(storage: Storage) {
  const cards = [];
  for (const { id } of await storage.cardOwners('wang')) {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, (await storage.getCard(id))!.state);
    cards.push(readCard(doc, id));
  }
  return new Map(cards.map((card) => [String(card.fields.name), card]));
}

describe('admin import of real files', () => {
  it('a register with a title, a 制表人 line and totals: says which row is the header and what it left out, stores no 合计 customer', async () => {
    const { dir, storage } = await setup();
    const file = join(dir, '华东区客户名册.xlsx');
    writeFileSync(file, await xlsxBytes(eastChinaRegister));
    const lines = await adminImport(storage, { file, owner: 'wang', duplicates: 'skip', acceptValid: true });
    expect(lines).toContain('header: row 4 (序号, 客户名称, 联系人, 手机, 邮箱, 城市, 统一编号, 年交易额); rows above it not read: 1, 2. Pass --header-row <n> to read another row as the header.');
    expect(lines).toContain('left out as totals: row(s) 8, 10');
    expect(lines).toContain('left out as notes below the table: row(s) 11, 12');
    expect(lines).toContain('columns not imported: 序号 (4 row(s)). Pass --keep-unmapped to keep them as a note on each card, or map them with --mapping.');
    expect(lines).toContain('  金鼎贸易有限公司 ← row(s) 5, 6 (same company): 李娜, 张伟');
    expect(lines.at(-1)).toBe('imported 2 new card(s) for wang, filled 0, skipped 0 duplicate(s), refused 1 row(s)');
    const cards = await cardsOf(storage);
    expect([...cards.keys()].sort()).toEqual(['南京长江机电有限公司', '金鼎贸易有限公司']);
    expect(cards.get('金鼎贸易有限公司')?.contacts.map((c) => c.profile.mobile).sort()).toEqual(['13800138000', '13800138001']);
    await storage.close();
  });

  it('an Outlook contacts CSV: customers by company (and by email domain), job title and department kept, the salutation listed as not imported', async () => {
    const { dir, storage } = await setup();
    const file = join(dir, 'contacts.csv');
    copyFileSync(join(FIXTURES, 'outlook-contacts.csv'), file);
    const lines = await adminImport(storage, { file, owner: 'wang', duplicates: 'skip', acceptValid: false, keepUnmapped: true });
    expect(lines).toContain('recognised as: Outlook contacts CSV');
    expect(lines.find((line) => line.startsWith('columns not imported:'))).toMatch(/^columns not imported: Title \(4 row\(s\)\), .*Kept as a note on each card\.$/);
    expect(lines).toContain('  Acme Industrial Supply ← row(s) 2, 3, 5 (email domain): Sarah Johnson, David Miller, Kevin Lee');
    const cards = await cardsOf(storage);
    expect([...cards.keys()].sort()).toEqual(['Acme Industrial Supply', 'Tom Free', '华信贸易有限公司']);
    const sarah = cards.get('Acme Industrial Supply')!.contacts.find((c) => c.name === 'Sarah Johnson')!;
    expect(sarah.profile).toMatchObject({ title: 'Purchasing Manager', department: 'Purchasing' });
    expect(cards.get('Acme Industrial Supply')!.fields.address).toBe('200 W Madison St, Suite 1200, IL, 60606, United States');
    // --keep-unmapped: the salutation and the rest are on the card as a note.
    expect(cards.get('华信贸易有限公司')!.timeline.map((entry) => entry.text).join('\n')).toContain('Title: 女士');
    await storage.close();
  });

  it('from the command line: a header row that names no customer column is refused with the rows to choose from; --header-row takes the right one', { timeout: 30_000 }, async () => {
    const { dir, storage } = await setup();
    await storage.close();
    const file = join(dir, 'register.xlsx');
    writeFileSync(file, await xlsxBytes(eastChinaRegister));
    const data = join(dir, 'data');
    const admin = (...args: string[]) => execFileSync('node', ['--import', 'tsx', 'sync-server/admin.ts', '--data', data, 'import', file, '--owner', 'wang', '--accept-valid', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    let refusal = '';
    try {
      admin('--header-row', '2');
    } catch (error) {
      refusal = String((error as { stderr?: string }).stderr);
    }
    expect(refusal).toContain('No column is mapped to the customer name in row 2, read as the header (制表人：张三, 日期：2026-12-01).');
    expect(refusal).toContain('row 4: 序号 · 客户名称 · 联系人 · 手机 · 邮箱 · 城市 · 统一编号 · 年交易额');
    const out = admin('--header-row', '4');
    expect(out).toContain('header: row 4 (');
    expect(out).toContain('imported 2 new card(s) for wang');
  });
});
