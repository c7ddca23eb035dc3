/**
 * Custody costs (real server process, real sockets): a manager's cold sync over a team of 20
 * reps (the scope query and the per-card audit of reads on the feed's path), and how long an
 * access change made by another process (as the admin CLI does) takes to reach every one of
 * many connected devices of the user it concerns (the server's access watch, then a catch-up
 * run per connection). The devices belong to 200 users (5 each, within the per-user SYNC
 * rate); the change lends a card to one of them; every device must be brought up to date
 * through the change (its feed's SYNC_DONE passes it), and the borrower's devices get the card.
 */
import WebSocket from 'ws';
import { decodeMessage, encodeMessage } from '../../shared/sync/protocol.ts';
import { hashToken, newToken } from '../../sync-server/custody/auth.ts';
import { editStoredCard } from '../../sync-server/fanout/card-edit.ts';
import { INDEX_ROW_VERSION } from '../../sync-server/card-row.ts';
import { Custody } from '../../sync-server/custody/custody.ts';
import { openSqliteStorage } from '../../sync-server/storage/storage-sqlite.ts';
import { newDataDir, startServerProcess } from '../sync/helpers.ts';
import type { BenchCard } from './card-data.ts';
import { oursColdSync } from './sync-bench.ts';

export interface CustodyBenchResult {
  cards: number;
  reps: number;
  managerColdSyncMs: number[];
  devices: number;
  /** From the access change's commit to each device's feed passing it. */
  accessChangeMs: number[];
  /** … and to each of the borrower's devices receiving the card. */
  borrowerMs: number[];
}

/** A device that signed in and caught up; resolves once SYNC_DONE came. */
function caughtUpDevice(url: string, token: string, onCard: (cardId: string) => void, onCursor: (cursor: number) => void): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url}/sync`);
    ws.binaryType = 'nodebuffer';
    let synced = false;
    ws.once('error', reject);
    ws.once('open', () => ws.send(encodeMessage({ type: 'auth', token, device: 'bench' })));
    ws.on('message', (data: Buffer) => {
      const decoded = decodeMessage(new Uint8Array(data));
      if (!decoded.ok) return reject(new Error(decoded.reason));
      const message = decoded.message;
      if (message.type === 'auth-ok') ws.send(encodeMessage({ type: 'sync', cursor: 1_000_000_000 }));
      else if (message.type === 'sync-done') {
        if (synced) onCursor(message.cursor);
        synced = true;
        resolve(ws);
      } else if (message.type === 'docs' && synced) for (const doc of message.docs) onCard(doc.cardId);
    });
  });
}

export async function runCustodyBench(cards: BenchCard[], runs: number, devices: number): Promise<CustodyBenchResult> {
  const reps = 20;
  const dataDir = newDataDir();
  const storage = openSqliteStorage(dataDir);
  await storage.addTeam('north');
  const tokens = new Map<string, string>();
  const deviceUsers = Math.ceil(devices / 5);
  for (const name of ['boss', 'lender', ...Array.from({ length: reps }, (_, i) => `rep${i}`), ...Array.from({ length: deviceUsers }, (_, i) => `dev${i}`)]) {
    await storage.addUser(name, name === 'boss' ? 'manager' : 'rep', name.startsWith('rep') || name === 'boss' ? 'north' : null);
    const token = newToken();
    await storage.addToken(hashToken(token), name);
    tokens.set(name, token);
  }
  const lent = cards[0]!;
  await storage.importCards(cards.map((card, i) => ({ id: card.id, owner: i === 0 ? 'lender' : `rep${i % reps}`, state: card.state, row: card.row, rowVersion: INDEX_ROW_VERSION })));
  const custody = new Custody(storage, (cardId, actor, mutation) => editStoredCard(storage, cardId, actor, mutation));
  const server = await startServerProcess(dataDir, 0, [], ['--max-connections-per-user', String(devices + 100)]);
  const sockets: WebSocket[] = [];
  try {
    const managerColdSyncMs: number[] = [];
    for (let run = 0; run < runs; run++) {
      const { ms, device } = await oursColdSync(server.url, tokens.get('boss')!, cards.length - 1);
      device.disconnect();
      managerColdSyncMs.push(ms);
    }
    // Many devices of many users, connected and caught up; then a loan to one user, made from
    // another process (as the admin CLI does).
    const caughtUp = new Map<number, number>();
    const received = new Map<number, number>();
    let changeSeq = Infinity;
    for (let i = 0; i < devices; i += 50) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(50, devices - i) }, (_, j) =>
          caughtUpDevice(
            server.url,
            tokens.get(`dev${Math.floor((i + j) / 5)}`)!,
            (cardId) => {
              if (cardId === lent.id && !received.has(i + j)) received.set(i + j, performance.now());
            },
            (cursor) => {
              if (cursor >= changeSeq && !caughtUp.has(i + j)) caughtUp.set(i + j, performance.now());
            },
          ),
        ),
      );
      sockets.push(...batch);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    const changed = performance.now();
    await custody.grantLoan({ name: 'admin-cli', role: 'admin', team: null, disabled: false }, lent.id, 'dev0', Date.now() + 3_600_000, 'bench', false);
    changeSeq = await storage.maxSeq();
    const deadline = Date.now() + 30_000;
    while ((caughtUp.size < devices || received.size < 5) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    if (caughtUp.size < devices) throw new Error(`the access change reached ${caughtUp.size} of ${devices} devices`);
    return { cards: cards.length - 1, reps, managerColdSyncMs, devices, accessChangeMs: [...caughtUp.values()].map((at) => at - changed), borrowerMs: [...received.values()].map((at) => at - changed) };
  } finally {
    for (const ws of sockets) ws.terminate();
    await server.stop();
    await storage.close();
  }
}
