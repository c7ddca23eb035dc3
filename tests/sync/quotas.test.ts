/**
 * Per-user quotas, each with a clear refusal and nothing lost: past the write quota a /sync push
 * gets NACK 'rate-limited' (a code the device retries later, so it keeps the change) and the
 * refusal is audited; past the join quota an audited /y join closes with 4429; other users are
 * not affected. The server runs in this process with small quotas.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { CLOSE, NACK_RETRY_LATER, decodeMessage, encodeMessage, type SyncMessage } from '../../shared/sync/protocol.ts';
import { startServer, type RunningServer } from '../../sync-server/endpoints/server.ts';
import { addUser, cid, closeCodeOf, newDataDir, openStorage, rawSocket, waitUntil } from './helpers.ts';
import { recordedNote } from './honest-edit.ts';

async function signedIn(url: string, token: string): Promise<{ ws: WebSocket; got: SyncMessage[] }> {
  const ws = await rawSocket(`${url}/sync`);
  const got: SyncMessage[] = [];
  ws.on('message', (data: Buffer) => {
    const decoded = decodeMessage(new Uint8Array(data));
    if (decoded.ok) got.push(decoded.message);
  });
  ws.send(encodeMessage({ type: 'auth', token, device: 'quota' }));
  await waitUntil(() => got.some((m) => m.type === 'auth-ok'), 5_000, 'auth-ok');
  return { ws, got };
}

describe('per-user quotas', () => {
  let server: RunningServer;
  let repToken: string;
  let otherToken: string;

  beforeAll(async () => {
    const dataDir = newDataDir();
    repToken = await addUser(dataDir, 'rep');
    otherToken = await addUser(dataDir, 'other');
    const storage = await openStorage(dataDir);
    server = await startServer({ port: 0, storage, limits: { writeBurst: 20, writesPerSecond: 1, joinBurst: 3, joinsPerSecond: 0.1 } });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('past the write quota a push is refused as rate-limited (retried later by the device), audited, and other users write on', async () => {
    expect(NACK_RETRY_LATER.has('rate-limited')).toBe(true);
    const { ws, got } = await signedIn(server.url, repToken);
    const doc = new Y.Doc();
    for (let i = 1; i <= 30; i++) {
      const before = Y.encodeStateVector(doc);
      recordedNote(doc, 'rep', `change ${i}`, `k${i}`);
      ws.send(encodeMessage({ type: 'push', clientSeq: i, cardId: cid('quota-card'), update: Y.encodeStateAsUpdate(doc, before) }));
    }
    await waitUntil(() => got.filter((m) => m.type === 'ack' || m.type === 'nack').length === 30, 10_000, 'every push answered');
    const nacks = got.filter((m): m is Extract<SyncMessage, { type: 'nack' }> => m.type === 'nack');
    expect(got.filter((m) => m.type === 'ack').length).toBeGreaterThanOrEqual(20);
    expect(nacks.length).toBeGreaterThanOrEqual(9);
    expect(nacks[0]).toMatchObject({ code: 'rate-limited' });
    expect(nacks[0]!.message).toMatch(/sent again/);
    ws.close();
    const other = await signedIn(server.url, otherToken);
    const mine = new Y.Doc();
    mine.getMap('card').set('name', 'Not limited');
    other.ws.send(encodeMessage({ type: 'push', clientSeq: 1, cardId: cid('quota-other'), update: Y.encodeStateAsUpdate(mine) }));
    await waitUntil(() => other.got.some((m) => m.type === 'ack'), 5_000, 'the other user’s ack');
    other.ws.close();
    await server.hub.audits.flush();
    const audit = await server.storage.auditOf({ user: 'rep' });
    expect(audit.some((event) => event.action === 'refuse' && event.detail.includes('rate-limited'))).toBe(true);
  }, 30_000);

  it('past the join quota an audited /y join closes with 4429', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const ws = new WebSocket(`${server.url}/y/${cid('quota-card')}?token=${repToken}`);
      const code = closeCodeOf(ws, 5_000);
      await new Promise((resolve) => ws.once('message', resolve).once('close', resolve));
      ws.close();
      codes.push(await code);
    }
    expect(codes.slice(0, 3).every((code) => code !== CLOSE.TOO_MANY)).toBe(true);
    expect(codes.slice(3)).toEqual([CLOSE.TOO_MANY, CLOSE.TOO_MANY]);
  }, 30_000);
});
