/**
 * A change received is a change kept: stock y-websocket clients (and /sync devices) write a
 * burst and close at once, as scripts and short-lived tabs do. Every frame that reached the
 * server before the close must be checked and stored: a fresh reader then holds every change.
 * The same after SIGTERM right behind the burst (the server drains, then exits), and on two
 * PostgreSQL instances with `kill -9` of one of them 3 s after the burst.
 */
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { encodeMessage } from '../../shared/sync/protocol.ts';
import { BACKEND, addUser, cid, newDataDir, openStorage, rawSocket, startServerProcess, waitUntil, type ServerProcess } from './helpers.ts';
import { recordedNote } from './honest-edit.ts';

const CARDS = 8;
const WRITERS_PER_CARD = 4;
const CHANGES_PER_WRITER = 50;

let servers: ServerProcess[] = [];
afterEach(async () => {
  await Promise.all(servers.map((server) => server.stop().catch(() => undefined)));
  servers = [];
});

function provider(url: string, cardId: string, doc: Y.Doc, token: string): WebsocketProvider {
  return new WebsocketProvider(`${url}/y`, cardId, doc, { WebSocketPolyfill: WebSocket as never, disableBc: true, params: { token } });
}

function synced(p: WebsocketProvider): Promise<void> {
  return new Promise((resolve) => {
    if (p.synced) return resolve();
    p.once('sync', (isSynced: boolean) => isSynced && resolve());
  });
}

/** The keys each card must hold after the burst. */
function expectedKeys(run: string): Map<string, string[]> {
  const keys = new Map<string, string[]>();
  for (let c = 0; c < CARDS; c++) {
    const list: string[] = [];
    for (let w = 0; w < WRITERS_PER_CARD; w++) for (let i = 0; i < CHANGES_PER_WRITER; i++) list.push(`w${w}-${i}`);
    keys.set(cid(`${run}-card-${c}`), list.sort());
  }
  return keys;
}

/**
 * 32 stock clients on 8 cards (spread over `urls`), each synced first; then each writes its
 * changes one transaction (one frame) at a time and is destroyed at once (its socket closes).
 */
async function burstAndClose(urls: string[], token: string, run: string): Promise<void> {
  const writers: { p: WebsocketProvider; doc: Y.Doc; w: number }[] = [];
  for (let c = 0; c < CARDS; c++) {
    for (let w = 0; w < WRITERS_PER_CARD; w++) {
      const doc = new Y.Doc();
      writers.push({ p: provider(urls[(c * WRITERS_PER_CARD + w) % urls.length]!, cid(`${run}-card-${c}`), doc, token), doc, w });
    }
  }
  await Promise.all(writers.map(({ p }) => synced(p)));
  for (const { p, doc, w } of writers) {
    for (let i = 0; i < CHANGES_PER_WRITER; i++) recordedNote(doc, 'burst', `change ${i}`, `w${w}-${i}`);
    p.destroy();
  }
}

/** What a fresh stock reader holds of each card, once it holds everything expected or `timeoutMs` passed. */
async function freshRead(url: string, token: string, expected: Map<string, string[]>, timeoutMs: number): Promise<Map<string, string[]>> {
  const held = new Map<string, string[]>();
  const deadline = Date.now() + timeoutMs;
  for (const [cardId, keys] of expected) {
    for (;;) {
      const doc = new Y.Doc();
      const p = provider(url, cardId, doc, token);
      await Promise.race([synced(p), new Promise((resolve) => setTimeout(resolve, 5_000))]);
      const got = [...doc.getMap('timeline').keys()].sort();
      p.destroy();
      held.set(cardId, got);
      if (got.length >= keys.length || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  return held;
}

/** What the store holds of each card (read beside or after the server). */
async function storedRead(dataDir: string, expected: Map<string, string[]>): Promise<Map<string, string[]>> {
  const storage = await openStorage(dataDir);
  try {
    const held = new Map<string, string[]>();
    for (const cardId of expected.keys()) {
      const doc = new Y.Doc();
      const card = await storage.getCard(cardId);
      if (card) Y.applyUpdate(doc, card.state);
      held.set(cardId, [...doc.getMap('timeline').keys()].sort());
    }
    return held;
  } finally {
    await storage.close();
  }
}

describe('a burst written and closed at once is stored whole', () => {
  it('stock y-websocket clients: a fresh reader holds every change', async () => {
    const dataDir = newDataDir();
    const token = await addUser(dataDir, 'burst');
    const server = await startServerProcess(dataDir);
    servers.push(server);
    const expected = expectedKeys('close');
    await burstAndClose([server.url], token, 'close');
    expect(await freshRead(server.url, token, expected, 20_000)).toEqual(expected);
  }, 90_000);

  it('SIGTERM right after the burst: the server stores every frame it received, then exits', async () => {
    const dataDir = newDataDir();
    const token = await addUser(dataDir, 'burst');
    const server = await startServerProcess(dataDir);
    const expected = expectedKeys('term');
    await burstAndClose([server.url], token, 'term');
    // The burst is on the server's sockets (the clients closed after sending): stop at once.
    await new Promise((resolve) => setTimeout(resolve, 100));
    await server.stop();
    expect(await storedRead(dataDir, expected)).toEqual(expected);
  }, 90_000);

  it('/sync devices that push and close without waiting for ACKs lose nothing', async () => {
    const dataDir = newDataDir();
    const token = await addUser(dataDir, 'burst');
    const server = await startServerProcess(dataDir);
    servers.push(server);
    const expected = new Map<string, string[]>();
    const sockets = await Promise.all([0, 1, 2, 3].map(() => rawSocket(`${server.url}/sync`)));
    await Promise.all(
      sockets.map(
        (ws, d) =>
          new Promise<void>((resolve) => {
            ws.once('message', () => resolve());
            ws.send(encodeMessage({ type: 'auth', token, device: `burst-${d}` }));
          }),
      ),
    );
    sockets.forEach((ws, d) => {
      const cardId = cid(`sync-close-${d}`);
      const doc = new Y.Doc();
      const keys: string[] = [];
      for (let i = 0; i < 200; i++) {
        const before = Y.encodeStateVector(doc);
        recordedNote(doc, 'burst', `change ${i}`, `k${i}`);
        keys.push(`k${i}`);
        ws.send(encodeMessage({ type: 'push', clientSeq: i + 1, cardId, update: Y.encodeStateAsUpdate(doc, before) }));
      }
      expected.set(cardId, keys.sort());
      ws.close();
    });
    let held = new Map<string, string[]>();
    await waitUntil(
      async () => {
        held = await storedRead(dataDir, expected);
        return [...expected].every(([id, keys]) => held.get(id)?.length === keys.length);
      },
      20_000,
      'every pushed change stored',
    ).catch(() => undefined);
    expect(held).toEqual(expected);
  }, 60_000);
});

describe('a refused change of a client that closed at once', () => {
  it('is audited with its reason', async () => {
    const dataDir = newDataDir();
    const token = await addUser(dataDir, 'refused');
    const server = await startServerProcess(dataDir);
    servers.push(server);
    const ws = await rawSocket(`${server.url}/sync`);
    await new Promise<void>((resolve) => {
      ws.once('message', () => resolve());
      ws.send(encodeMessage({ type: 'auth', token, device: 'refused' }));
    });
    // An update whose dependencies never arrive (the first change of a doc left out).
    const doc = new Y.Doc();
    doc.getMap('card').set('a', 1);
    const before = Y.encodeStateVector(doc);
    doc.getMap('card').set('b', 2);
    ws.send(encodeMessage({ type: 'push', clientSeq: 1, cardId: cid('refused-card'), update: Y.encodeStateAsUpdate(doc, before) }));
    ws.close();
    await waitUntil(
      async () => {
        const storage = await openStorage(dataDir);
        try {
          return (await storage.auditOf({ user: 'refused' })).some((event) => event.action === 'refuse' && event.detail.startsWith('missing-dependencies'));
        } finally {
          await storage.close();
        }
      },
      10_000,
      'the refusal in the audit',
    );
  }, 30_000);
});

describe.runIf(BACKEND === 'postgres')('a burst on two PostgreSQL instances', () => {
  it('clients on both instances close at once, one instance is killed (-9) 3 s later: every change is stored', async () => {
    const dataDir = newDataDir();
    const token = await addUser(dataDir, 'burst');
    const [a, b] = await Promise.all([startServerProcess(dataDir), startServerProcess(dataDir)]);
    servers.push(a!, b!);
    const expected = expectedKeys('two');
    await burstAndClose([a!.url, b!.url], token, 'two');
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    await a!.kill9();
    expect(await freshRead(b!.url, token, expected, 20_000)).toEqual(expected);
  }, 120_000);
});
