/**
 * `admin --postgres <url> migrate-from --data <folder>` (postgres project only): an embedded
 * SQLite store with a team, users, a token, cards, a loan and audit events moves into an empty
 * PostgreSQL database, checked card by card; a device then signs in to a server on PostgreSQL
 * with its old token and cursor and gets nothing twice; a second move into the now full
 * database is refused.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { applyMutation } from '../../shared/mutations.ts';
import { hashToken, newToken } from '../../sync-server/custody/auth.ts';
import { rowOfState } from '../../sync-server/card-row.ts';
import { openPostgresStorage } from '../../sync-server/storage/storage-postgres.ts';
import { openSqliteStorage } from '../../sync-server/storage/storage-sqlite.ts';
import { postgresUrlOf } from './backend.ts';
import { BACKEND, MemoryDevice, cid, newDataDir, startServerProcess, type ServerProcess } from './helpers.ts';

let server: ServerProcess | undefined;

afterAll(async () => {
  await server?.stop();
});

function card(id: string, owner: string, name: string) {
  const doc = new Y.Doc();
  const result = applyMutation(doc, { type: 'card-create', name }, { actor: owner, now: Date.now(), newId: () => crypto.randomUUID() }, id);
  if (!result.ok) throw new Error(result.message);
  const state = Y.encodeStateAsUpdate(doc);
  return { id, owner, state, row: rowOfState(state, id) };
}

function admin(...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'sync-server/admin.ts', ...args], { encoding: 'utf8', timeout: 60_000 });
}

describe.runIf(BACKEND === 'postgres')('moving an embedded store into PostgreSQL', () => {
  it('moves every table as it is, checked card by card; devices keep their token and cursor', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'cards-sqlite-'));
    const sqlite = await openSqliteStorage(folder);
    const token = newToken();
    const cards = [card(cid('m-1'), 'rob', '华信贸易有限公司'), card(cid('m-2'), 'rob', 'Keller Maschinenbau GmbH'), card(cid('m-3'), 'rita', 'Nordlicht Optik GmbH')];
    await sqlite.addTeam('north');
    await sqlite.addUser('rob', 'rep', 'north');
    await sqlite.addUser('rita', 'rep', 'north');
    await sqlite.addToken(hashToken(token), 'rob');
    await sqlite.importCards(cards);
    const until = Date.now() + 86_400_000;
    await sqlite.addLoan({ cardId: cards[2]!.id, borrower: 'rob', reason: 'visit', requestedAt: Date.now(), wantedUntil: until, status: 'active', write: false, approver: 'admin-cli', decidedAt: Date.now(), decisionReason: 'ok', until, endedAt: null });
    await sqlite.audit([{ at: Date.now(), user: 'admin-cli', token: 'cli', action: 'loan-grant', cardId: cards[2]!.id, detail: 'rob until tomorrow' }]);
    const databaseId = await sqlite.databaseId();
    const top = await sqlite.maxSeq();
    await sqlite.close();

    // A device that synced from the embedded server: its cursor is the log's top.
    const target = newDataDir();
    const url = postgresUrlOf(target);
    const moved = admin('--postgres', url, 'migrate-from', '--data', folder);
    expect(moved.stderr).toBe('');
    expect(moved.status).toBe(0);
    expect(moved.stdout).toContain('checked 3 cards one by one');

    const postgres = await openPostgresStorage(url, { max: 2 });
    try {
      expect(await postgres.databaseId()).toBe(databaseId);
      expect(await postgres.maxSeq()).toBe(top);
      for (const original of cards) {
        const stored = await postgres.getCard(original.id);
        expect(stored?.owner).toBe(original.owner);
        expect(Buffer.from(stored!.state).equals(Buffer.from(original.state))).toBe(true);
      }
      expect((await postgres.activeLoans({ borrower: 'rob' }, Date.now())).map((loan) => loan.cardId)).toEqual([cards[2]!.id]);
      expect((await postgres.auditOf({ cardId: cards[2]!.id })).map((event) => event.action)).toContain('loan-grant');
      // New rows continue after the moved ones.
      await postgres.audit([{ at: Date.now(), user: 'admin-cli', token: 'cli', action: 'team-add', cardId: cards[0]!.id, detail: 'after the move' }]);
    } finally {
      await postgres.close();
    }

    // rob signs in to a server on PostgreSQL with his old token: his cards and the borrowed one.
    server = await startServerProcess(target);
    const fresh = new MemoryDevice();
    fresh.connect(server.url, token);
    await fresh.client!.whenIdle(20_000);
    expect([...fresh.docs.keys()].sort()).toEqual(cards.map((c) => c.id).sort());
    // A device whose cursor is the embedded server's top gets nothing again.
    const synced = new MemoryDevice();
    synced.cursor = top;
    synced.connect(server.url, token);
    await synced.client!.whenIdle(20_000);
    expect(synced.docs.size).toBe(0);
    fresh.disconnect();
    synced.disconnect();

    const again = admin('--postgres', url, 'migrate-from', '--data', folder);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('already holds');
  });
});
