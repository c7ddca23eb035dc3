/**
 * The admin CLI's import beside a running server (both backends): filling a duplicate while a
 * rep's device keeps writing to that card loses none of the device's changes (the fill reads
 * and writes the card under the write lock), and the device receives the filled fields.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readCard } from '../../shared/card-read.ts';
import { gbkCsv } from '../import/fixtures.ts';
import { recordedNote } from './honest-edit.ts';
import { MemoryDevice, addUser, newDataDir, openStorage, startServerProcess, storeArgs, waitUntil } from './helpers.ts';

const run = promisify(execFile);

describe('admin import beside a running server', () => {
  it('a fill while a device writes to the same card keeps every change of both', async () => {
    const dataDir = newDataDir();
    const token = await addUser(dataDir, 'wang');
    const server = await startServerProcess(dataDir);
    const admin = (...args: string[]) => run(process.execPath, ['--import', 'tsx', 'sync-server/admin.ts', ...storeArgs(dataDir), ...args], { encoding: 'utf8' });
    const device = new MemoryDevice();
    try {
      const dir = mkdtempSync(join(tmpdir(), 'admin-import-live-'));
      const first = join(dir, 'a.csv');
      writeFileSync(first, gbkCsv('客户名称,城市\n金鼎贸易有限公司,上海\n'));
      await admin('import', first, '--owner', 'wang');
      device.connect(server.url, token);
      await waitUntil(() => device.docs.size === 1, 20_000, 'the imported card on the device');
      const [cardId] = [...device.docs.keys()];

      const second = join(dir, 'b.csv');
      writeFileSync(second, gbkCsv('客户名称,城市,行业\n金鼎贸易有限公司,北京,贸易\n'));
      let writing = true;
      const written: string[] = [];
      const writer = (async () => {
        while (writing) {
          const key = `probe${written.length}`;
          written.push(key);
          device.edit(cardId!, (doc) => recordedNote(doc, 'wang', key, key));
          await new Promise((resolve) => setTimeout(resolve, 15));
        }
      })();
      const { stdout } = await admin('import', second, '--owner', 'wang', '--duplicates', 'fill');
      writing = false;
      await writer;
      expect(stdout).toContain('filled 1');
      await device.client!.whenIdle(30_000);
      expect(device.dropped).toEqual([]);

      const storage = await openStorage(dataDir);
      try {
        const stored = new Y.Doc();
        Y.applyUpdate(stored, (await storage.getCard(cardId!))!.state);
        const keys = [...stored.getMap('timeline').keys()];
        expect(written.filter((key) => !keys.includes(key))).toEqual([]);
        expect(readCard(stored, cardId!).fields).toMatchObject({ city: '上海', industry: '贸易' });
      } finally {
        await storage.close();
      }
      await waitUntil(() => readCard(device.doc(cardId!), cardId!).fields.industry === '贸易', 20_000, 'the filled field on the device');
    } finally {
      device.disconnect();
      await server.stop();
    }
  });
});
