/**
 * The sync server over real sockets: auth, two devices of one user, access control, durability
 * across `kill -9`, the stock y-websocket client on /y, and bad input of every kind.
 */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { INDEX_ROW_VERSION, parseServerRow } from '../../shared/index-row.ts';
import { applyMutation } from '../../shared/mutations.ts';
import { seededRandom } from '../../shared/random.ts';
import { CLOSE, decodeMessage, encodeMessage, type DocEntry, type SyncMessage } from '../../shared/sync/protocol.ts';
import { recordedNote, recordedSet } from './honest-edit.ts';
import { MemoryDevice, addUser, cid, closeCodeOf, newDataDir, openStorage, rawSocket, startServerProcess, storeArgs, waitUntil, type ServerProcess } from './helpers.ts';

let dataDir: string;
let server: ServerProcess;
let aliceToken: string;
let bobToken: string;

beforeAll(async () => {
  dataDir = newDataDir();
  aliceToken = await addUser(dataDir, 'alice');
  bobToken = await addUser(dataDir, 'bob');
  server = await startServerProcess(dataDir);
});

afterAll(async () => {
  await server?.stop();
});

function nextMessage(ws: WebSocket, timeoutMs = 5_000): Promise<SyncMessage> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no message')), timeoutMs);
    ws.once('message', (data: Buffer) => {
      clearTimeout(timer);
      const decoded = decodeMessage(new Uint8Array(data));
      if (decoded.ok) resolve(decoded.message);
      else reject(new Error(decoded.reason));
    });
  });
}

async function authedSocket(token: string): Promise<WebSocket> {
  const ws = await rawSocket(`${server.url}/sync`);
  ws.send(encodeMessage({ type: 'auth', token, device: 'raw' }));
  expect((await nextMessage(ws)).type).toBe('auth-ok');
  return ws;
}

describe('admin CLI', () => {
  it('adds users, prints a token as the last line, lists and revokes', () => {
    const dir = newDataDir();
    const run = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'sync-server/admin.ts', ...storeArgs(dir), ...args], { encoding: 'utf8' });
    expect(run('user', 'add', 'carol', '--role', 'manager').status).toBe(0);
    const duplicate = run('user', 'add', 'carol', '--role', 'rep');
    expect(duplicate.status).toBe(1);
    expect(duplicate.stderr).toContain('already exists');
    expect(run('user', 'add', 'dave', '--role', 'boss').stderr).toContain('Unknown role');
    const created = run('token', 'create', 'carol');
    const token = created.stdout.trim().split('\n').at(-1)!;
    expect(token).toMatch(/^cct_[A-Za-z0-9_-]{20,}$/);
    expect(run('user', 'list').stdout).toContain('carol\tmanager\t-\t1 active token(s)');
    expect(run('token', 'revoke', token).status).toBe(0);
    expect(run('token', 'revoke', 'cct_nonexistent').stderr).toContain('No such token');
    expect(run('token', 'create', 'nobody').stderr).toContain('No user');
  });

  it('keeps teams: adds, moves and disables users, and refuses what does not exist', () => {
    const dir = newDataDir();
    const run = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'sync-server/admin.ts', ...storeArgs(dir), ...args], { encoding: 'utf8' });
    expect(run('user', 'add', 'erin', '--role', 'rep', '--team', 'north').stderr).toContain('No team "north"');
    expect(run('team', 'add', 'north').status).toBe(0);
    expect(run('team', 'add', 'north').stderr).toContain('already exists');
    expect(run('team', 'add', 'south').status).toBe(0);
    expect(run('user', 'add', 'erin', '--role', 'rep', '--team', 'north').status).toBe(0);
    expect(run('user', 'add', 'frank', '--role', 'rep').status).toBe(0);
    expect(run('user', 'move', 'erin', '--team', 'south').status).toBe(0);
    expect(run('user', 'move', 'nobody', '--team', 'south').stderr).toContain('No user');
    expect(run('token', 'create', 'erin').status).toBe(0);
    expect(run('user', 'disable', 'erin').status).toBe(0);
    const list = run('user', 'list').stdout;
    expect(list).toContain('erin\trep\tsouth\tdisabled');
    expect(list).toContain('frank\trep\t-\t0 active token(s)');
    expect(run('token', 'create', 'erin').stderr).toContain('disabled');
    expect(run('team', 'list').stdout).toContain('south\t1 member(s)');
    expect(run('handover', '--from', 'frank', '--to', 'erin', '--reason', 'x').stderr).toContain('No active user');
    expect(run('borrow', 'grant', '--card', 'not-a-card', '--to', 'frank', '--until', '2099-01-01', '--reason', 'x').stderr).toMatch(/No such card|a year/);
    expect(run('audit').stderr).toContain('audit --card');
  });
});

describe('authentication', () => {
  it('refuses a bad token with 4401 and the client stops retrying', async () => {
    const device = new MemoryDevice();
    device.connect(server.url, 'cct_wrong-token-000000');
    await waitUntil(() => device.client?.status().state === 'token-rejected', 10_000, 'token-rejected');
    const count = device.statuses.length;
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(device.statuses.length).toBe(count);
    expect(device.docs.size).toBe(0);
    device.disconnect();
  });

  it('requires AUTH as the first message', async () => {
    const ws = await rawSocket(`${server.url}/sync`);
    ws.send(encodeMessage({ type: 'sync', cursor: 0 }));
    expect(await closeCodeOf(ws)).toBe(CLOSE.UNAUTHORIZED);
  });

  it('closes a connected device when its token is revoked', async () => {
    const token = await addUser(dataDir, 'erin');
    const device = new MemoryDevice();
    device.connect(server.url, token);
    await device.client!.whenIdle();
    const storage = await openStorage(dataDir);
    const { hashToken } = await import('../../sync-server/custody/auth.ts');
    await storage.revokeToken(hashToken(token));
    await storage.close();
    device.edit(cid('erin-card'), (doc) => doc.getMap('card').set('name', 'x'));
    await waitUntil(() => device.client?.status().state === 'token-rejected', 10_000, 'revocation');
    device.disconnect();
  });
});

describe('two devices of one user', () => {
  it('a card made on A reaches B live, and a later device through the feed', async () => {
    const a = new MemoryDevice();
    const b = new MemoryDevice();
    a.connect(server.url, aliceToken);
    b.connect(server.url, aliceToken);
    await Promise.all([a.client!.whenIdle(), b.client!.whenIdle()]);
    a.edit(cid('card-alpha'), (doc) => doc.getMap('card').set('name', '金鼎贸易有限公司'));
    await waitUntil(() => b.docs.get(cid('card-alpha'))?.getMap('card').get('name') === '金鼎贸易有限公司', 10_000, 'live update on B');
    const c = new MemoryDevice();
    c.connect(server.url, aliceToken);
    await c.client!.whenIdle();
    expect(c.doc(cid('card-alpha')).getMap('card').get('name')).toBe('金鼎贸易有限公司');
    expect(c.cursor).toBeGreaterThan(0);
    for (const device of [a, b, c]) device.disconnect();
  });

  it('offline edits on both devices converge after reconnecting', async () => {
    const a = new MemoryDevice();
    const b = new MemoryDevice();
    a.connect(server.url, aliceToken);
    b.connect(server.url, aliceToken);
    await Promise.all([a.client!.whenIdle(), b.client!.whenIdle()]);
    a.edit(cid('card-beta'), (doc) => doc.getMap('card').set('name', 'Beta'));
    await a.client!.whenIdle();
    await waitUntil(() => b.docs.get(cid('card-beta'))?.getMap('card').get('name') === 'Beta', 10_000, 'B has beta');
    a.disconnect();
    b.disconnect();
    a.edit(cid('card-beta'), (doc) => recordedSet(doc, 'alice', 'city', '上海'));
    b.edit(cid('card-beta'), (doc) => recordedSet(doc, 'alice', 'phone', '021-1234'));
    a.connect(server.url, aliceToken);
    b.connect(server.url, aliceToken);
    await Promise.all([a.client!.whenIdle(), b.client!.whenIdle()]);
    await waitUntil(() => a.doc(cid('card-beta')).getMap('card').get('phone') === '021-1234' && b.doc(cid('card-beta')).getMap('card').get('city') === '上海', 10_000, 'convergence');
    expect(a.doc(cid('card-beta')).getMap('card').toJSON()).toEqual(b.doc(cid('card-beta')).getMap('card').toJSON());
    a.disconnect();
    b.disconnect();
  });
});

describe('access control', () => {
  it('another user neither reads nor writes the card, nor learns it exists', async () => {
    const alice = new MemoryDevice();
    alice.connect(server.url, aliceToken);
    alice.edit(cid('card-secret'), (doc) => doc.getMap('card').set('name', 'Secret customer'));
    await alice.client!.whenIdle();
    const bob = new MemoryDevice();
    bob.connect(server.url, bobToken);
    await bob.client!.whenIdle();
    expect(bob.docs.has(cid('card-secret'))).toBe(false);
    bob.edit(cid('card-secret'), (doc) => doc.getMap('card').set('name', 'Hijacked'));
    await waitUntil(() => bob.dropped.length === 1, 10_000, 'nack');
    expect(bob.dropped[0]).toContain('not-found');
    await alice.client!.whenIdle();
    expect(alice.doc(cid('card-secret')).getMap('card').get('name')).toBe('Secret customer');
    alice.disconnect();
    bob.disconnect();
  });
});

describe('refused changes', () => {
  it('sends the whole card again when the server lacks a change an update depends on', async () => {
    const device = new MemoryDevice();
    device.edit(cid('card-gap'), (doc) => doc.getMap('card').set('name', 'Gap Trading'));
    device.loseOldestPending(); // the server never gets this change …
    device.edit(cid('card-gap'), (doc) => doc.getMap('card').set('city', '宁波')); // … which this one builds on
    device.connect(server.url, aliceToken);
    await device.client!.whenIdle(10_000);
    expect(device.dropped).toEqual([]);
    const reader = new MemoryDevice();
    reader.connect(server.url, aliceToken);
    await reader.client!.whenIdle(10_000);
    expect(reader.doc(cid('card-gap')).getMap('card').toJSON()).toEqual({ name: 'Gap Trading', city: '宁波' });
    device.disconnect();
    reader.disconnect();
  });
});

describe('durability', () => {
  it('loses no acknowledged update when the server is killed with -9', async () => {
    const dir = newDataDir();
    const token = await addUser(dir, 'frank');
    let proc = await startServerProcess(dir);
    const device = new MemoryDevice();
    device.connect(proc.url, token);
    await device.client!.whenIdle();
    for (let i = 0; i < 50; i++) device.edit(cid(`card-${i % 5}`), (doc) => recordedNote(doc, 'frank', `note ${i}`));
    await device.client!.whenIdle();
    expect(device.pendingCount()).toBe(0);
    await proc.kill9();
    device.disconnect();
    proc = await startServerProcess(dir);
    const fresh = new MemoryDevice();
    fresh.connect(proc.url, token);
    await fresh.client!.whenIdle();
    const notes = [0, 1, 2, 3, 4].flatMap((i) => [...fresh.doc(cid(`card-${i}`)).getMap('timeline').keys()]);
    expect(notes).toHaveLength(50);
    fresh.disconnect();
    await proc.stop();
  });

  it('re-sends what was not acknowledged after the server comes back', async () => {
    const dir = newDataDir();
    const token = await addUser(dir, 'gina');
    let proc = await startServerProcess(dir);
    const device = new MemoryDevice();
    device.connect(proc.url, token);
    await device.client!.whenIdle();
    await proc.kill9();
    device.edit(cid('card-offline'), (doc) => doc.getMap('card').set('name', 'Made while the server was down'));
    expect(device.pendingCount()).toBe(1);
    proc = await startServerProcess(dir, proc.port);
    await device.client!.whenIdle(20_000);
    expect(device.pendingCount()).toBe(0);
    const fresh = new MemoryDevice();
    fresh.connect(proc.url, token);
    await fresh.client!.whenIdle();
    expect(fresh.doc(cid('card-offline')).getMap('card').get('name')).toBe('Made while the server was down');
    device.disconnect();
    fresh.disconnect();
    await proc.stop();
  });
});

describe('the stock y-websocket client on /y/<cardId>', () => {
  it('syncs a card with a token, and reaches /sync devices', async () => {
    const device = new MemoryDevice();
    device.connect(server.url, aliceToken);
    await device.client!.whenIdle();
    const doc = new Y.Doc();
    const provider = new WebsocketProvider(`${server.url}/y`, cid('card-stock'), doc, { WebSocketPolyfill: WebSocket as never, disableBc: true, params: { token: aliceToken } });
    await new Promise<void>((resolve) => provider.once('sync', (synced: boolean) => synced && resolve()));
    doc.getMap('card').set('name', 'Made by a stock client');
    await waitUntil(() => device.docs.get(cid('card-stock'))?.getMap('card').get('name') === 'Made by a stock client', 10_000, '/sync device sees the /y edit');
    device.edit(cid('card-stock'), (d) => recordedSet(d, 'alice', 'city', 'Berlin'));
    await waitUntil(() => doc.getMap('card').get('city') === 'Berlin', 10_000, '/y client sees the /sync edit');
    provider.destroy();
    const second = new Y.Doc();
    const again = new WebsocketProvider(`${server.url}/y`, cid('card-stock'), second, { WebSocketPolyfill: WebSocket as never, disableBc: true, params: { token: aliceToken } });
    await waitUntil(() => second.getMap('card').get('city') === 'Berlin', 10_000, 'a second stock client loads the stored card');
    again.destroy();
    device.disconnect();
  });

  it('forwards a burst of two stock clients’ frames to every client of the room, each change once committed', async () => {
    const open = (doc: Y.Doc) => new WebsocketProvider(`${server.url}/y`, cid('card-stock-room'), doc, { WebSocketPolyfill: WebSocket as never, disableBc: true, params: { token: aliceToken } });
    const [writerDoc, otherWriterDoc, readerDoc] = [new Y.Doc(), new Y.Doc(), new Y.Doc()];
    const providers = [open(writerDoc), open(otherWriterDoc), open(readerDoc)];
    await Promise.all(providers.map((p) => new Promise<void>((resolve) => (p.synced ? resolve() : p.once('sync', (synced: boolean) => synced && resolve())))));
    // Frames sent back to back are checked and committed as runs, and forwarded as the hub publishes them.
    for (let i = 0; i < 20; i++) {
      recordedNote(writerDoc, 'alice', `from the first writer ${i}`, `a${i}`);
      recordedNote(otherWriterDoc, 'alice', `from the second writer ${i}`, `b${i}`);
    }
    const all = (doc: Y.Doc) => doc.getMap('timeline').size === 40;
    await waitUntil(() => all(readerDoc) && all(writerDoc) && all(otherWriterDoc), 15_000, 'every client of the room holds both writers’ notes');
    for (const p of providers) p.destroy();
    const stored = new MemoryDevice();
    stored.connect(server.url, aliceToken);
    await stored.client!.whenIdle();
    expect(stored.doc(cid('card-stock-room')).getMap('timeline').size).toBe(40);
    stored.disconnect();
  });

  it('gives a wrong token no data', async () => {
    const ws = new WebSocket(`${server.url}/y/${cid('card-stock')}?token=cct_wrong`);
    const received: Buffer[] = [];
    ws.on('message', (data: Buffer) => received.push(data));
    expect(await closeCodeOf(ws)).toBe(CLOSE.UNAUTHORIZED);
    expect(received).toHaveLength(0);
  });

  it('gives another user’s card nothing: the same empty room as a card that does not exist', async () => {
    const received = async (id: string) => {
      const doc = new Y.Doc();
      const provider = new WebsocketProvider(`${server.url}/y`, id, doc, { WebSocketPolyfill: WebSocket as never, disableBc: true, params: { token: bobToken } });
      await new Promise<void>((resolve) => provider.once('sync', (synced: boolean) => synced && resolve()));
      await new Promise((resolve) => setTimeout(resolve, 300));
      provider.destroy();
      return doc.getMap('card').toJSON();
    };
    expect(await received(cid('card-stock'))).toEqual({});
    expect(await received(cid('card-never-made'))).toEqual({});
  });
});

describe('index rows beside each card', () => {
  function productCard(id: string, name: string): Uint8Array {
    const doc = new Y.Doc();
    let n = 0;
    applyMutation(doc, { type: 'card-create', name, contact: { name: 'Li Na', email: `li.na@${id}.cn` } }, { actor: 'alice', now: Date.now(), newId: () => `${id}-${n++}` }, id);
    return Y.encodeStateAsUpdate(doc);
  }

  async function docsFrom(url: string, token: string): Promise<DocEntry[]> {
    const ws = await rawSocket(`${url}/sync`);
    // One listener for the whole exchange: DOCS and SYNC_DONE can arrive in one read.
    const docs: DocEntry[] = [];
    const done = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no SYNC_DONE')), 10_000);
      ws.on('message', (data: Buffer) => {
        const decoded = decodeMessage(new Uint8Array(data));
        if (!decoded.ok) return reject(new Error(decoded.reason));
        const message = decoded.message;
        if (message.type === 'auth-ok') ws.send(encodeMessage({ type: 'sync', cursor: 0 }));
        if (message.type === 'docs') docs.push(...message.docs);
        if (message.type === 'sync-done') {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    ws.send(encodeMessage({ type: 'auth', token, device: 'rows' }));
    await done;
    ws.close();
    return docs;
  }

  it('sends each pushed card with the index row of its state', async () => {
    const ws = await authedSocket(aliceToken);
    ws.send(encodeMessage({ type: 'push', clientSeq: 1, cardId: cid('card-row'), update: productCard(cid('card-row'), '金鼎贸易有限公司') }));
    expect(await nextMessage(ws)).toMatchObject({ type: 'ack', clientSeq: 1 });
    ws.close();
    const entry = (await docsFrom(server.url, aliceToken)).find((doc) => doc.cardId === cid('card-row'))!;
    expect(parseServerRow(entry.row, cid('card-row'))).toMatchObject({ name: '金鼎贸易有限公司', emails: [`li.na@${cid('card-row')}.cn`] });
  });

  it('fills in the rows of cards imported without one, and of rows from an older version', async () => {
    const dir = newDataDir();
    const token = await addUser(dir, 'carol');
    const storage = await openStorage(dir);
    await storage.importCards([
      { id: 'imported-1', owner: 'carol', state: productCard('imported-1', 'Keller Maschinenbau GmbH') },
      { id: 'imported-2', owner: 'carol', state: productCard('imported-2', 'Old row'), row: '{"id":"imported-2"}', rowVersion: INDEX_ROW_VERSION - 1 },
    ]);
    await storage.close();
    const other = await startServerProcess(dir);
    try {
      let names: (string | undefined)[] = [];
      for (let attempt = 0; attempt < 50; attempt++) {
        names = (await docsFrom(other.url, token)).map((doc) => parseServerRow(doc.row, doc.cardId)?.name);
        if (names.every((name) => name !== undefined)) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(names).toEqual(['Keller Maschinenbau GmbH', 'Old row']);
    } finally {
      await other.stop();
    }
  });
});

describe('bad input', () => {

  it('refuses a bit-flipped update and one with missing dependencies, storing nothing', async () => {
    const ws = await authedSocket(aliceToken);
    const source = new Y.Doc();
    source.getMap('card').set('name', 'Flip target');
    const base = Y.encodeStateAsUpdate(source);
    ws.send(encodeMessage({ type: 'push', clientSeq: 1, cardId: cid('card-flip'), update: base }));
    expect(await nextMessage(ws)).toMatchObject({ type: 'ack', clientSeq: 1 });
    // An update that depends on a change the server never saw.
    source.getMap('card').set('city', 'A'); // never sent
    const before2 = Y.encodeStateVector(source);
    source.getMap('card').set('city', 'B');
    const dependent = Y.encodeStateAsUpdate(source, before2);
    ws.send(encodeMessage({ type: 'push', clientSeq: 2, cardId: cid('card-flip'), update: dependent }));
    expect(await nextMessage(ws)).toMatchObject({ type: 'nack', clientSeq: 2, code: 'missing-dependencies' });
    // Bit flips: every outcome is either a clean refusal or an accepted update that leaves nothing pending.
    const random = seededRandom(7);
    let refused = 0;
    for (let i = 0; i < 40; i++) {
      const flipped = new Uint8Array(dependent);
      for (let f = 0; f < 3; f++) {
        const index = Math.floor(random() * flipped.length);
        flipped[index]! ^= 1 << Math.floor(random() * 8);
      }
      ws.send(encodeMessage({ type: 'push', clientSeq: 100 + i, cardId: cid('card-flip'), update: flipped }));
      const reply = await nextMessage(ws);
      if (reply.type === 'nack') refused++;
    }
    expect(refused).toBeGreaterThan(0);
    const storage = await openStorage(dataDir);
    const stored = (await storage.getCard(cid('card-flip')))!;
    await storage.close();
    const check = new Y.Doc();
    Y.applyUpdate(check, stored.state);
    expect(check.store.pendingStructs).toBeNull();
    expect(check.store.pendingDs).toBeNull();
    ws.close();
  });

  it('closes a frame over 1 MiB with 1009 and keeps running', async () => {
    const ws = await authedSocket(aliceToken);
    ws.send(new Uint8Array(2 * 1024 * 1024));
    expect(await closeCodeOf(ws)).toBe(CLOSE.TOO_LARGE);
    const again = await authedSocket(aliceToken);
    again.close();
  });

  it('refuses every round of random, truncated and bit-flipped frames with a close code of its own, while an honest client syncs', async () => {
    const honest = new MemoryDevice();
    honest.connect(server.url, aliceToken);
    await honest.client!.whenIdle();
    const random = seededRandom(2026);
    const valid: SyncMessage[] = [
      { type: 'sync', cursor: 0 },
      { type: 'push', clientSeq: 1, cardId: cid('card-fuzz'), update: Y.encodeStateAsUpdate(new Y.Doc()) },
      { type: 'ping' },
    ];
    // Each round: a burst of bad frames, then wait for the server to refuse the socket (a close
    // code of its own), so every round is known to have reached the server's frame handling.
    const refusals: number[] = [];
    for (let round = 0; round < 30; round++) {
      const ws = await rawSocket(`${server.url}/sync`);
      ws.on('error', () => undefined);
      if (round % 2 === 0) ws.send(encodeMessage({ type: 'auth', token: aliceToken, device: 'fuzz' }));
      for (let i = 0; i < 100; i++) {
        const base = encodeMessage(valid[Math.floor(random() * valid.length)]!);
        const kind = random();
        let frame: Uint8Array;
        if (kind < 0.33) frame = Uint8Array.from({ length: Math.floor(random() * 64) + 1 }, () => Math.floor(random() * 256));
        else if (kind < 0.66) frame = base.slice(0, Math.max(1, Math.floor(random() * base.length)));
        else {
          frame = new Uint8Array(base);
          frame[Math.floor(random() * frame.length)]! ^= 1 << Math.floor(random() * 8);
        }
        if (ws.readyState === ws.OPEN) ws.send(frame);
      }
      // A frame no decoder accepts ends any round the random ones did not end.
      if (ws.readyState === ws.OPEN) ws.send(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x0f]));
      refusals.push(await closeCodeOf(ws));
    }
    expect(refusals).toHaveLength(30);
    for (const code of refusals) expect([CLOSE.PROTOCOL, CLOSE.UNAUTHORIZED, CLOSE.TOO_MANY]).toContain(code);
    honest.edit(cid('card-honest'), (doc) => doc.getMap('card').set('name', 'Still syncing'));
    await honest.client!.whenIdle();
    const check = new MemoryDevice();
    check.connect(server.url, aliceToken);
    await check.client!.whenIdle();
    expect(check.doc(cid('card-honest')).getMap('card').get('name')).toBe('Still syncing');
    honest.disconnect();
    check.disconnect();
  });
});
