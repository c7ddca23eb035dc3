/**
 * The admin CLI's import and export on a real SQLite file: the shared rules (validation,
 * duplicates, all or nothing), imported cards owned by the given user and visible to their sync,
 * and an export whose backup holds every card's exact state.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { decodeBackup } from '../shared/backup/backup-format.ts';
import { readCard } from '../shared/card-read.ts';
import { chineseCustomerSheet, gbkCsv, xlsxBytes } from '../tests/import/fixtures.ts';
import { adminExport, adminImport } from './admin-import.ts';
import type { Storage } from './storage/storage.ts';
import { openSqliteStorage } from './storage/storage-sqlite.ts';

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'admin-import-'));
  const storage = openSqliteStorage(join(dir, 'data'));
  return { dir, storage, ready: storage.addUser('wang', 'rep') };
}

const cardsOf = async (storage: Storage, owner = 'wang') => {
  const cards = [];
  for (const { id } of await storage.cardOwners(owner)) {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, (await storage.getCard(id))!.state);
    cards.push(readCard(doc, id));
  }
  return cards;
};

describe('admin import / export', () => {
  it('refuses the whole file while a row is invalid, then imports the valid rows when told to', async () => {
    const { dir, storage, ready } = setup();
    await ready;
    const file = join(dir, '客户.xlsx');
    writeFileSync(file, await xlsxBytes(chineseCustomerSheet));
    await expect(adminImport(storage, { file, owner: 'wang', duplicates: 'skip', acceptValid: false })).rejects.toThrow(/row 7\t邮箱\tnot-an-email.*\n.*nothing was imported/s);
    expect(await storage.maxSeq()).toBe(0);
    const lines = await adminImport(storage, { file, owner: 'wang', duplicates: 'skip', acceptValid: true });
    expect(lines.at(-1)).toBe('imported 2 new card(s) for wang, filled 0, skipped 0 duplicate(s), refused 1 row(s)');
    const cards = await cardsOf(storage);
    expect(cards.map((c) => c.fields.name).sort()).toEqual(['东方电子股份有限公司', '华信贸易有限公司']);
    expect(cards.every((c) => c.fields.owner === 'wang')).toBe(true);
    expect(JSON.parse((await storage.rowOf(cards[0]!.id)) ?? '{}').name).toBeTruthy();
    await storage.close();
  });

  it('applies the duplicate rule: fill records the import reason in the card’s history', async () => {
    const { dir, storage, ready } = setup();
    await ready;
    const first = join(dir, 'a.csv');
    writeFileSync(first, gbkCsv('客户名称,城市\n金鼎贸易有限公司,上海\n'));
    await adminImport(storage, { file: first, owner: 'wang', duplicates: 'skip', acceptValid: false });
    const second = join(dir, 'b.csv');
    writeFileSync(second, gbkCsv('客户名称,城市,行业\n金鼎贸易有限公司,北京,贸易\n'));
    const lines = await adminImport(storage, { file: second, owner: 'wang', duplicates: 'fill', acceptValid: false });
    expect(lines.at(-1)).toContain('filled 1');
    const [card] = await cardsOf(storage);
    expect(card?.fields).toMatchObject({ city: '上海', industry: '贸易' });
    expect(card?.history.find((h) => h.target === 'industry')?.reason).toBe('import b.csv');
    await storage.close();
  });

  it('exports every card as a backup with exact states and a register CSV; runs from the command line', async () => {
    const { dir, storage, ready } = setup();
    await ready;
    const file = join(dir, 'list.csv');
    writeFileSync(file, 'Company,Contact,Email,Bank account\nAcme Industrial Supply,Sarah,sarah@acme-industrial.com,DE89 3704 0044\n');
    await storage.close();
    const data = join(dir, 'data');
    const out = execFileSync('node', ['--import', 'tsx', 'sync-server/admin.ts', '--data', data, 'import', file, '--owner', 'wang'], { encoding: 'utf8' });
    expect(out).toContain('imported 1 new card(s) for wang');
    const reopened = openSqliteStorage(data);
    const lines = await adminExport(reopened, join(dir, 'out'), false);
    expect(lines.at(-1)).toContain('银行账号');
    const files = readdirSync(join(dir, 'out')).sort();
    const backup = decodeBackup(readFileSync(join(dir, 'out', files.find((f) => f.endsWith('.json'))!), 'utf8'));
    if (!backup.ok) throw new Error(backup.message);
    const id = (await reopened.cardOwners())[0]!.id;
    expect(backup.value.cards).toEqual([{ id, state: (await reopened.getCard(id))!.state, owner: 'wang' }]);
    const csv = readFileSync(join(dir, 'out', files.find((f) => f.endsWith('.csv'))!), 'utf8');
    expect(csv.startsWith('\uFEFF商号')).toBe(true);
    expect(csv).toContain('Acme Industrial Supply');
    expect(csv).not.toContain('DE89');
    // What left is in the audit.
    expect((await reopened.auditOf({ user: 'admin-cli' })).some((event) => event.action === 'backup' && event.detail.startsWith('json + csv: all 1 card(s) to '))).toBe(true);
    await reopened.close();
  });
});
