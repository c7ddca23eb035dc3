/**
 * Hostile requests against the real server process over real sockets: malformed upgrade paths
 * and queries, absolute-URL request lines, missing headers, bad websocket keys, TLS bytes on
 * the plain port, junk and oversized frames around a refused token on both endpoints, sockets
 * that never sign in, floods of connections and SYNCs, and updates too slow or too large to
 * take. After each, the server still answers and an honest client syncs.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { newCardState } from './honest-edit.ts';
import { CLOSE, decodeMessage, deviceWithFrames, encodeMessage, type SyncMessage } from '../../shared/sync/protocol.ts';
import { MemoryDevice, addUser, cid, closeCodeOf, newDataDir, rawSocket, startServerProcess, waitUntil, type ServerProcess } from './helpers.ts';

let dataDir: string;
let server: ServerProcess;
let token: string;
let honestRounds = 0;

beforeAll(async () => {
  dataDir = newDataDir();
  token = await addUser(dataDir, 'alice');
  server = await startServerProcess(dataDir);
});

afterAll(async () => {
  await server?.stop();
});

/** Sends raw bytes on a plain TCP connection; resolves with what the server answered before closing. */
function rawExchange(bytes: string | Buffer, timeoutMs = 3_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, '127.0.0.1');
    let answer = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(answer);
    }, timeoutMs);
    socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(answer);
    });
    socket.once('connect', () => socket.write(bytes));
    socket.once('error', reject);
  });
}

function upgradeRequest(path: string, headers: Record<string, string> = {}): string {
  const all = { Host: `127.0.0.1:${server.port}`, Upgrade: 'websocket', Connection: 'Upgrade', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==', ...headers };
  return `GET ${path} HTTP/1.1\r\n${Object.entries(all).filter(([, v]) => v !== '').map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n`;
}

/** The server is alive and serves an honest device (a new card each time, read back by a second device). */
async function expectHonestSync(): Promise<void> {
  const health = await fetch(`http://127.0.0.1:${server.port}/health`);
  expect(await health.text()).toBe('ok');
  const name = `Honest ${++honestRounds}`;
  const writer = new MemoryDevice();
  writer.connect(server.url, token);
  writer.edit(cid(name), (doc) => doc.getMap('card').set('name', name));
  await writer.client!.whenIdle();
  const reader = new MemoryDevice();
  reader.connect(server.url, token);
  await reader.client!.whenIdle();
  expect(reader.doc(cid(name)).getMap('card').get('name')).toBe(name);
  writer.disconnect();
  reader.disconnect();
}

function messages(ws: WebSocket): SyncMessage[] {
  const got: SyncMessage[] = [];
  ws.on('message', (data: Buffer) => {
    const decoded = decodeMessage(new Uint8Array(data));
    if (decoded.ok) got.push(decoded.message);
  });
  return got;
}

describe('requests before any websocket exists', () => {
  it('answers a malformed escape in /y (/y/%) with 400', async () => {
    expect(await rawExchange(upgradeRequest('/y/%'))).toMatch(/^HTTP\/1\.1 400/);
    expect(await rawExchange(upgradeRequest('/y/%E0%A4%A?token=x'))).toMatch(/^HTTP\/1\.1 400/);
    await expectHonestSync();
  });

  it('answers absolute-URL request lines, unknown paths and non-UUID card ids with 400 / 404', async () => {
    expect(await rawExchange(upgradeRequest('http://evil.example/sync'))).toMatch(/^HTTP\/1\.1 400/);
    expect(await rawExchange(upgradeRequest('//evil.example/sync'))).toMatch(/^HTTP\/1\.1 400/);
    expect(await rawExchange(upgradeRequest('/nothing-here'))).toMatch(/^HTTP\/1\.1 404/);
    expect(await rawExchange(upgradeRequest('/y/card-1?token=x'))).toMatch(/^HTTP\/1\.1 400/);
    expect(await rawExchange(upgradeRequest(`/sync${'x'.repeat(5000)}`))).toMatch(/^HTTP\/1\.1 (400|431)/);
    await expectHonestSync();
  });

  it('refuses handshakes without a key, with a bad key or a wrong version', async () => {
    expect(await rawExchange(upgradeRequest('/sync', { 'Sec-WebSocket-Key': '' }))).toMatch(/^HTTP\/1\.1 400/);
    expect(await rawExchange(upgradeRequest('/sync', { 'Sec-WebSocket-Key': 'not base64 !!' }))).toMatch(/^HTTP\/1\.1 400/);
    expect(await rawExchange(upgradeRequest('/sync', { 'Sec-WebSocket-Version': '99' }))).toMatch(/^HTTP\/1\.1 (400|426)/);
    expect(await rawExchange(upgradeRequest('/sync', { Host: '' }))).toMatch(/^HTTP\/1\.1 400/);
    await expectHonestSync();
  });

  it('survives TLS bytes and binary garbage on the plain port', async () => {
    // The start of a TLS ClientHello.
    const hello = Buffer.from('16030100a5010000a10303' + '00'.repeat(64), 'hex');
    const answer = await rawExchange(hello);
    expect(answer === '' || /^HTTP\/1\.1 400/.test(answer)).toBe(true);
    await rawExchange(Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)));
    await expectHonestSync();
  });
});

describe('frames around a refused token', () => {
  it('/y: a bad token followed at once by an oversized and a malformed frame', async () => {
    for (let i = 0; i < 5; i++) {
      const ws = new WebSocket(`${server.url}/y/${cid('card-y')}?token=cct_wrong-token-${i}`);
      ws.on('error', () => undefined);
      ws.once('open', () => {
        ws.send(new Uint8Array(2 * 1024 * 1024));
        ws.send(Buffer.from([0xff, 0xff, 0xff]));
      });
      const code = await closeCodeOf(ws);
      expect([CLOSE.UNAUTHORIZED, CLOSE.TOO_LARGE, 1006]).toContain(code);
    }
    await expectHonestSync();
  });

  it('/sync: a bad token followed at once by an oversized and a malformed frame', async () => {
    for (let i = 0; i < 5; i++) {
      const ws = await rawSocket(`${server.url}/sync`);
      ws.on('error', () => undefined);
      ws.send(encodeMessage({ type: 'auth', token: `cct_wrong-token-${i}`, device: 'hostile' }));
      ws.send(i % 2 === 0 ? new Uint8Array(2 * 1024 * 1024) : Buffer.from([0xff, 0xff, 0xff]));
      ws.send('text is not a frame');
      const code = await closeCodeOf(ws);
      expect([CLOSE.UNAUTHORIZED, CLOSE.TOO_LARGE, CLOSE.PROTOCOL, 1006]).toContain(code);
    }
    await expectHonestSync();
  });

  it('sends CLASSES only to a client that names it: an older build never gets a frame it cannot read; a client sending one is refused as before', async () => {
    const older = await rawSocket(`${server.url}/sync`);
    const olderGot = messages(older);
    older.send(encodeMessage({ type: 'auth', token, device: 'an older build' }));
    const newer = await rawSocket(`${server.url}/sync`);
    const newerGot = messages(newer);
    newer.send(encodeMessage({ type: 'auth', token, device: deviceWithFrames('this build') }));
    // The cut-offs follow the connection's first SYNC_DONE (its cards come first).
    for (const [socket, got] of [[older, olderGot], [newer, newerGot]] as const) {
      await waitUntil(() => got.some((m) => m.type === 'auth-ok'), 5_000, 'auth-ok');
      socket.send(encodeMessage({ type: 'sync', cursor: 0 }));
    }
    await waitUntil(() => newerGot.some((m) => m.type === 'sync-done'), 5_000, 'the first sync');
    await waitUntil(() => newerGot.some((m) => m.type === 'classes'), 5_000, 'the cut-offs for the client that reads them');
    expect(newerGot.findIndex((m) => m.type === 'classes')).toBeGreaterThan(newerGot.findIndex((m) => m.type === 'sync-done'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(olderGot.some((m) => m.type === 'auth-ok')).toBe(true);
    expect(olderGot.filter((m) => m.type === 'classes' || m.type === 'custody')).toEqual([]);
    older.close();
    newer.send(encodeMessage({ type: 'classes', aMin: 0, bMin: 0, asOf: 0 }));
    expect(await closeCodeOf(newer)).toBe(CLOSE.PROTOCOL);
    expect(newerGot.find((m) => m.type === 'error')).toMatchObject({ code: 'unexpected-message' });
    await expectHonestSync();
  });

  it('refuses a text frame and an unknown message type after sign-in', async () => {
    const ws = await rawSocket(`${server.url}/sync`);
    const got = messages(ws);
    ws.send(encodeMessage({ type: 'auth', token, device: 'hostile' }));
    await waitUntil(() => got.some((m) => m.type === 'auth-ok'), 5_000, 'auth-ok');
    ws.send(encodeMessage({ type: 'ack', clientSeq: 1, seq: 1 }));
    expect(await closeCodeOf(ws)).toBe(CLOSE.PROTOCOL);
    expect(got.find((m) => m.type === 'error')).toMatchObject({ code: 'unexpected-message' });
    await expectHonestSync();
  });
});

describe('sockets that never sign in, and floods', () => {
  it('closes a socket that has not signed in within 10 s with 4408', async () => {
    const ws = await rawSocket(`${server.url}/sync`);
    const started = Date.now();
    expect(await closeCodeOf(ws, 15_000)).toBe(CLOSE.AUTH_TIMEOUT);
    expect(Date.now() - started).toBeGreaterThan(9_000);
  }, 20_000);

  it('refuses more than 64 unsigned connections from one address, and takes new ones once they leave', async () => {
    const results = await Promise.allSettled(Array.from({ length: 80 }, () => rawSocket(`${server.url}/sync`)));
    const open = results.filter((r): r is PromiseFulfilledResult<WebSocket> => r.status === 'fulfilled').map((r) => r.value);
    expect(open.length).toBe(64);
    expect(results.filter((r) => r.status === 'rejected').length).toBe(16);
    for (const ws of open) ws.terminate();
    await waitUntil(() => open.every((ws) => ws.readyState === ws.CLOSED), 5_000, 'flood closed');
    await new Promise((resolve) => setTimeout(resolve, 200));
    await expectHonestSync();
  });

  it('closes a client that repeats SYNC {0} past the per-user burst with 4429 (rate-limited)', async () => {
    const ws = await rawSocket(`${server.url}/sync`);
    const got = messages(ws);
    ws.send(encodeMessage({ type: 'auth', token, device: 'hostile' }));
    await waitUntil(() => got.some((m) => m.type === 'auth-ok'), 5_000, 'auth-ok');
    let done = 0;
    const closed = closeCodeOf(ws, 30_000);
    for (let i = 0; i < 45 && ws.readyState === ws.OPEN; i++) {
      ws.send(encodeMessage({ type: 'sync', cursor: 0 }));
      await waitUntil(() => got.filter((m) => m.type === 'sync-done').length > done || ws.readyState !== ws.OPEN, 5_000, 'sync-done');
      done = got.filter((m) => m.type === 'sync-done').length;
    }
    expect(await closed).toBe(CLOSE.TOO_MANY);
    // The burst is 30 per user; the honest checks above used a few of alice's.
    expect(done).toBeGreaterThanOrEqual(10);
    expect(done).toBeLessThan(45);
    expect(got.find((m) => m.type === 'error')).toMatchObject({ code: 'rate-limited' });
  });
});

describe('updates the server will not take', () => {
  /** A new card whose people carry long notes: every struct where the structure allows it, too big as a whole. */
  function bigUpdate(people: number, noteLength = 4_000): Uint8Array {
    const doc = new Y.Doc();
    const contacts = doc.getMap('contacts');
    doc.transact(() => {
      for (let i = 0; i < people; i++) {
        const person = new Y.Map<unknown>();
        contacts.set(`p${i}`, person);
        person.set('name', `Person ${i}`);
        if (noteLength > 0) person.set('notes', `${i} `.padEnd(noteLength, 'x'));
      }
    });
    return Y.encodeStateAsUpdate(doc);
  }

  it('refuses a card over 512 KB (card-too-large) and stores nothing', async () => {
    const ws = await rawSocket(`${server.url}/sync`);
    const got = messages(ws);
    ws.send(encodeMessage({ type: 'auth', token, device: 'hostile' }));
    const update = bigUpdate(150);
    expect(update.byteLength).toBeGreaterThan(512 * 1024);
    expect(update.byteLength).toBeLessThan(1024 * 1024 - 1024);
    ws.send(encodeMessage({ type: 'push', clientSeq: 1, cardId: cid('card-huge'), update }));
    await waitUntil(() => got.some((m) => m.type === 'nack'), 20_000, 'nack');
    expect(got.find((m) => m.type === 'nack')).toMatchObject({ code: 'card-too-large' });
    ws.close();
    const reader = new MemoryDevice();
    reader.connect(server.url, token);
    await reader.client!.whenIdle();
    expect(reader.docs.has(cid('card-huge'))).toBe(false);
    reader.disconnect();
  }, 30_000);

  it('refuses an update that takes too long to check, while other connections are served meanwhile', async () => {
    const dir = newDataDir();
    const slowToken = await addUser(dir, 'slow');
    const strict = await startServerProcess(dir, 0, [], ['--check-time-limit-ms', '50']);
    try {
      const ws = await rawSocket(`${strict.url}/sync`);
      const got = messages(ws);
      ws.send(encodeMessage({ type: 'auth', token: slowToken, device: 'hostile' }));
      await waitUntil(() => got.some((m) => m.type === 'auth-ok'), 5_000, 'auth-ok');
      ws.send(encodeMessage({ type: 'push', clientSeq: 1, cardId: cid('card-slow'), update: bigUpdate(12_000, 0) }));
      await waitUntil(() => got.some((m) => m.type === 'nack'), 20_000, 'nack');
      expect(got.find((m) => m.type === 'nack')).toMatchObject({ code: 'update-too-slow' });
      // A small update after it is checked (by a fresh worker) and taken.
      ws.send(encodeMessage({ type: 'push', clientSeq: 2, cardId: cid('card-quick'), update: newCardState('slow', 'Small and quick') }));
      await waitUntil(() => got.some((m) => m.type === 'ack' && m.clientSeq === 2), 10_000, 'ack of the small update');
      ws.close();
    } finally {
      await strict.stop();
    }
  }, 40_000);
});
