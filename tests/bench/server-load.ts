/**
 * Server load on loopback (a bounded load generator in this process): many connected devices
 * idle on /sync, and one update fanned out to synced devices reading the same card. Reports memory
 * per connected device, whether memory returns after they leave, and fan-out latency.
 */
import WebSocket from 'ws';
import * as Y from 'yjs';
import { decodeMessage, encodeMessage } from '../../shared/sync/protocol.ts';
import { hashToken, newToken } from '../../sync-server/custody/auth.ts';
import { openSqliteStorage } from '../../sync-server/storage/storage-sqlite.ts';
import { heldBytes, memoryReport, rssKiB, startOurs } from './sync-bench.ts';
import { recordedSet } from '../sync/honest-edit.ts';

/** The card the fan-out measure writes to (card ids are UUIDs). */
const FANOUT_CARD = 'f0000000-0000-4000-8000-000000000001';

export interface ServerLoadResult {
  devices: number;
  bytesPerIdleConnection: number;
  rssBeforeKiB: number;
  rssConnectedKiB: number;
  rssAfterLeaveKiB: number;
  /** Heap and buffers in use after a full GC: before, with every device connected, after they left. */
  heldBefore: number;
  heldConnected: number;
  heldAfterLeave: number;
  /** The same after a second round of devices connected and left (growth here would be a leak). */
  heldAfterSecondLeave: number;
  fanoutReaders: number;
  fanoutMs: number[];
}

/** A device that signed in and synced (a connection streams live changes only after its first SYNC). */
export function syncedDevice(url: string, token: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url}/sync`);
    ws.binaryType = 'nodebuffer';
    ws.once('error', reject);
    ws.once('open', () => ws.send(encodeMessage({ type: 'auth', token, device: 'load' })));
    const onMessage = (data: Buffer) => {
      const decoded = decodeMessage(new Uint8Array(data));
      if (!decoded.ok) return reject(new Error(decoded.reason));
      if (decoded.message.type === 'auth-ok') ws.send(encodeMessage({ type: 'sync', cursor: 1_000_000_000 }));
      else if (decoded.message.type === 'sync-done') {
        ws.off('message', onMessage);
        resolve(ws);
      } else if (decoded.message.type === 'error') reject(new Error(decoded.message.message));
    };
    ws.on('message', onMessage);
  });
}

function connectDevice(url: string, token: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url}/sync`);
    ws.binaryType = 'nodebuffer';
    ws.once('error', reject);
    ws.once('open', () => ws.send(encodeMessage({ type: 'auth', token, device: 'load' })));
    ws.once('message', (data: Buffer) => {
      const decoded = decodeMessage(new Uint8Array(data));
      if (decoded.ok && decoded.message.type === 'auth-ok') resolve(ws);
      else reject(new Error('auth failed'));
    });
  });
}

export async function runServerLoad(devices: number, readers: number, rounds: number): Promise<ServerLoadResult> {
  const ours = await startOurs([], ['--expose-gc']);
  const pid = ours.server.child.pid!;
  const sockets: WebSocket[] = [];
  try {
    await new Promise((resolve) => setTimeout(resolve, 300));
    const heldBefore = heldBytes(await memoryReport(ours.server));
    const rssBeforeKiB = rssKiB(pid);
    for (let i = 0; i < devices; i += 50) {
      sockets.push(...(await Promise.all(Array.from({ length: Math.min(50, devices - i) }, () => connectDevice(ours.server.url, ours.token)))));
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    const rssConnectedKiB = rssKiB(pid);
    const heldConnected = heldBytes(await memoryReport(ours.server));

    // Fan-out: one writer pushes; `readers` synced devices receive the UPDATE. They are admins
    // (who read every card), one user each, so their SYNCs stay within the per-user rate.
    const writer = sockets[0]!;
    const storage = openSqliteStorage(ours.dataDir);
    const readerTokens: string[] = [];
    for (let i = 0; i < readers; i++) {
      await storage.addUser(`reader${i}`, 'admin');
      const token = newToken();
      await storage.addToken(hashToken(token), `reader${i}`);
      readerTokens.push(token);
    }
    await storage.close();
    const audience = await Promise.all(readerTokens.map((token) => syncedDevice(ours.server.url, token)));
    sockets.push(...audience);
    const doc = new Y.Doc();
    const fanoutMs: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const before = Y.encodeStateVector(doc);
      recordedSet(doc, 'bench', 'name', `round ${round}`);
      const update = Y.encodeStateAsUpdate(doc, before);
      const arrivals = audience.map(
        (ws) =>
          new Promise<number>((resolve) => {
            const onMessage = (data: Buffer) => {
              const decoded = decodeMessage(new Uint8Array(data));
              if (decoded.ok && decoded.message.type === 'update') {
                ws.off('message', onMessage);
                resolve(performance.now());
              }
            };
            ws.on('message', onMessage);
          }),
      );
      const sent = performance.now();
      writer.send(encodeMessage({ type: 'push', clientSeq: round + 1, cardId: FANOUT_CARD, update }));
      for (const at of await Promise.all(arrivals)) fanoutMs.push(at - sent);
    }

    for (const ws of sockets) ws.close();
    sockets.length = 0;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const rssAfterLeaveKiB = rssKiB(pid);
    const heldAfterLeave = heldBytes(await memoryReport(ours.server));
    // A second round: bounded pools (Node keeps up to 1,000 HTTP parsers for reuse) were filled
    // by the first; anything still growing now is held per device.
    for (let i = 0; i < devices; i += 50) {
      sockets.push(...(await Promise.all(Array.from({ length: Math.min(50, devices - i) }, () => connectDevice(ours.server.url, ours.token)))));
    }
    for (const ws of sockets) ws.close();
    sockets.length = 0;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const heldAfterSecondLeave = heldBytes(await memoryReport(ours.server));
    return {
      devices,
      bytesPerIdleConnection: ((rssConnectedKiB - rssBeforeKiB) * 1024) / devices,
      rssBeforeKiB,
      rssConnectedKiB,
      rssAfterLeaveKiB,
      heldBefore,
      heldConnected,
      heldAfterLeave,
      heldAfterSecondLeave,
      fanoutReaders: readers,
      fanoutMs,
    };
  } finally {
    for (const ws of sockets) ws.terminate();
    await ours.server.stop();
  }
}
