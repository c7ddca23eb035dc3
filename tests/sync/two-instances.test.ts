/**
 * Two server instances on one PostgreSQL database (the `postgres` project only): devices spread
 * over both converge (without Redis, an instance learns of the other's writes by polling the
 * log's top, every 500 ms); writers of one card on both instances at once lose nothing (the
 * save names the card as read, and a changed card is merged again); and `kill -9` of one
 * instance loses nothing acknowledged when its devices move to the other.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { startFailoverProxy } from './failover-proxy.ts';
import { BACKEND, MemoryDevice, addUser, cid, newDataDir, openStorage, startServerProcess, waitUntil, type ServerProcess } from './helpers.ts';
import { recordedNote } from './honest-edit.ts';

/** The notes written (honest-edit.ts), by the ids the test gave them. */
const keysOf = (doc: Y.Doc) => [...doc.getMap('timeline').keys()].sort();

async function storedKeys(dataDir: string, cardId: string): Promise<string[]> {
  const storage = await openStorage(dataDir);
  try {
    const card = await storage.getCard(cardId);
    const doc = new Y.Doc();
    if (card) Y.applyUpdate(doc, card.state);
    return keysOf(doc);
  } finally {
    await storage.close();
  }
}

describe.runIf(BACKEND === 'postgres')('two instances on one PostgreSQL database', () => {
  let dataDir: string;
  let a: ServerProcess;
  let b: ServerProcess;
  let token: string;

  beforeAll(async () => {
    dataDir = newDataDir();
    token = await addUser(dataDir, 'rep');
    [a, b] = await Promise.all([startServerProcess(dataDir), startServerProcess(dataDir)]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  it('a policy change made on one instance applies on the other (its one policy cache is dropped by the access change)', async () => {
    const admin = await addUser(dataDir, 'gm', 'admin');
    const api = async (server: ServerProcess, method: string, path: string, body?: unknown) => {
      const response = await fetch(`${server.url.replace('ws', 'http')}${path}`, {
        method,
        headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      return (await response.json()) as Record<string, any>;
    };
    // Both instances have read (and cached) the policy in force.
    const before = (await api(a, 'GET', '/api/policy')).version;
    expect((await api(b, 'GET', '/api/policy')).version).toBe(before);
    const set = await api(a, 'POST', '/api/policy', { values: { 'loans.maxDays': 21 } });
    expect(set.policy.version).toBe(before + 1);
    // Here at once; on the other instance once its access watch sees the change (no Redis here).
    expect((await api(a, 'GET', '/api/policy')).policy.loans.maxDays).toBe(21);
    await waitUntil(async () => (await api(b, 'GET', '/api/policy')).version === before + 1, 10_000);
    expect((await api(b, 'GET', '/api/policy')).policy.loans.maxDays).toBe(21);
  });

  it('devices on both instances converge, and writers of one card on both instances lose nothing', async () => {
    const devices = [0, 1, 2, 3].map(() => new MemoryDevice());
    devices.forEach((device, i) => device.connect((i % 2 === 0 ? a : b).url, token));
    await Promise.all(devices.map((device) => device.client!.whenIdle(20_000)));
    const shared = cid('two-instances-shared');
    const own = [cid('two-instances-a'), cid('two-instances-b')];
    const expected: string[] = [];
    for (let round = 0; round < 12; round++) {
      devices.forEach((device, i) => {
        const key = `d${i}r${round}`;
        expected.push(key);
        device.edit(shared, (doc) => recordedNote(doc, 'rep', `round ${round}`, key));
        device.edit(own[i % 2]!, (doc) => recordedNote(doc, 'rep', `round ${round}`, key));
      });
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expected.sort();
    await Promise.all(devices.map((device) => device.client!.whenIdle(30_000)));
    // Every write of every device is stored, merged with all the others.
    expect(await storedKeys(dataDir, shared)).toEqual(expected);
    // And reaches every device, whichever instance it is on.
    await waitUntil(() => devices.every((device) => keysOf(device.doc(shared)).length === expected.length), 15_000, 'every device to hold every change');
    for (const device of devices) expect(keysOf(device.doc(shared))).toEqual(expected);
    for (const device of devices) device.disconnect();
  });

  it('devices writing one card at the same moment on both instances: every write is stored', async () => {
    const devices = Array.from({ length: 8 }, () => new MemoryDevice());
    devices.forEach((device, i) => device.connect((i % 2 === 0 ? a : b).url, token));
    await Promise.all(devices.map((device) => device.client!.whenIdle(20_000)));
    const cards = Array.from({ length: 5 }, (_, round) => cid(`two-instances-race-${round}`));
    // Each device writes once per card and never again: a lost merge would stay lost.
    for (const card of cards) devices.forEach((device, i) => device.edit(card, (doc) => recordedNote(doc, 'rep', 'race', `device${i}`)));
    await Promise.all(devices.map((device) => device.client!.whenIdle(30_000)));
    for (const card of cards) expect(await storedKeys(dataDir, card)).toEqual(devices.map((_, i) => `device${i}`).sort());
    for (const device of devices) device.disconnect();
  });

  it('kill -9 of one instance: its devices move to the other and lose nothing acknowledged', async () => {
    const card = cid('two-instances-kill');
    // The device of the killed instance knows one address, behind which the other instance takes over.
    const proxy = await startFailoverProxy([a.port, b.port]);
    const onA = new MemoryDevice();
    const onB = new MemoryDevice();
    onA.connect(proxy.url, token);
    onB.connect(b.url, token);
    await Promise.all([onA.client!.whenIdle(20_000), onB.client!.whenIdle(20_000)]);
    const written: string[] = [];
    for (let i = 0; i < 30; i++) {
      const key = `k${i}`;
      written.push(key);
      (i % 2 === 0 ? onA : onB).edit(card, (doc) => recordedNote(doc, 'rep', `write ${i}`, key));
      if (i === 20) await a.kill9();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await Promise.all([onA.client!.whenIdle(30_000), onB.client!.whenIdle(30_000)]);
    expect(onA.pendingCount()).toBe(0);
    expect(await storedKeys(dataDir, card)).toEqual(written.sort());
    await waitUntil(() => keysOf(onA.doc(card)).length === written.length && keysOf(onB.doc(card)).length === written.length, 10_000, 'both devices to hold every change');
    onA.disconnect();
    onB.disconnect();
    await proxy.close();
  });
});
