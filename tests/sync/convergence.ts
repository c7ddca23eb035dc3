/**
 * The seeded convergence harness: several devices of one user edit a handful of cards at random
 * against the real server process over real sockets, while devices disconnect and reconnect and
 * the server is stopped, killed with -9 and restarted. At the end every device and the server
 * must hold identical state. The same seed replays the same run (the network's timing still
 * varies, which is the point: any timing must converge).
 */
import * as Y from 'yjs';
import { recordedNote, recordedSet } from './honest-edit.ts';
import { MemoryDevice, addUser, cid, newDataDir, openStorage, startServerProcess, type ServerProcess } from './helpers.ts';

export interface ConvergenceOptions {
  devices?: number;
  cards?: number;
  steps?: number;
}

export interface ConvergenceResult {
  seed: number;
  ok: boolean;
  detail: string;
  events: string[];
}

function prng(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
}

/** The doc's content; map keys sorted, since a map's iteration order is local to each replica. */
function snapshot(doc: Y.Doc): string {
  const card = doc.getMap('card').toJSON();
  const sorted = Object.fromEntries(Object.keys(card).sort().map((key) => [key, card[key]]));
  const notes = [...doc.getMap('timeline').keys()].sort();
  return JSON.stringify({ card: sorted, notes, history: doc.getArray('history').length });
}

export async function runConvergence(seed: number, options: ConvergenceOptions = {}): Promise<ConvergenceResult> {
  const random = prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const deviceCount = options.devices ?? 3;
  const cardIds = Array.from({ length: options.cards ?? 4 }, (_, i) => cid(`seed${seed}-card${i}`));
  const steps = options.steps ?? 40;
  const events: string[] = [];
  const dataDir = newDataDir();
  const token = await addUser(dataDir, 'fuzz');
  let server: ServerProcess | undefined = await startServerProcess(dataDir);
  const port = server.port;
  const devices = Array.from({ length: deviceCount }, () => new MemoryDevice());
  const online = new Set<number>();
  devices.forEach((device, i) => {
    device.connect(server!.url, token);
    online.add(i);
  });

  try {
    for (let step = 0; step < steps; step++) {
      const roll = random();
      const index = Math.floor(random() * deviceCount);
      const device = devices[index]!;
      if (roll < 0.6) {
        const cardId = pick(cardIds);
        const action = random();
        // Honest edits only (honest-edit.ts): catalogue fields with their records, notes, cleared fields.
        const key = pick(['name', 'city', 'category', 'industry', 'bank']);
        device.edit(cardId, (doc) => {
          if (action < 0.5) recordedSet(doc, 'fuzz', key, `${key}-${seed}-${step}`);
          else if (action < 0.8) recordedNote(doc, 'fuzz', `note ${step} from device ${index}`);
          else recordedSet(doc, 'fuzz', key === 'name' ? 'city' : key, null);
        });
        events.push(`${step}: device ${index} edits ${cardId}`);
      } else if (roll < 0.75) {
        if (online.has(index)) {
          device.disconnect();
          online.delete(index);
          events.push(`${step}: device ${index} goes offline`);
        } else if (server) {
          device.connect(server.url, token);
          online.add(index);
          events.push(`${step}: device ${index} comes back`);
        }
      } else if (roll < 0.85 && server) {
        const hard = random() < 0.5;
        await (hard ? server.kill9() : server.stop());
        server = undefined;
        events.push(`${step}: server ${hard ? 'killed with -9' : 'stopped'}`);
      } else if (!server) {
        server = await startServerProcess(dataDir, port);
        events.push(`${step}: server restarts`);
      }
      await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 30)));
    }

    if (!server) server = await startServerProcess(dataDir, port);
    for (const [i, device] of devices.entries()) if (!online.has(i)) device.connect(server.url, token);
    await Promise.all(devices.map((device) => device.client!.whenIdle(30_000)));
    // A last round: each device is idle, but may not yet have heard the others' final pushes.
    const witness = new MemoryDevice();
    witness.connect(server.url, token);
    await witness.client!.whenIdle(30_000);
    const deadline = Date.now() + 15_000;
    let mismatch = '';
    do {
      mismatch = '';
      for (const cardId of cardIds) {
        const expected = snapshot(witness.doc(cardId));
        for (const [i, device] of devices.entries()) {
          const actual = snapshot(device.doc(cardId));
          if (actual !== expected) mismatch = `device ${i} differs on ${cardId}: ${actual} vs server ${expected} (refused: ${devices[i]!.dropped.join('; ') || 'none'})`;
        }
      }
      if (mismatch) await new Promise((resolve) => setTimeout(resolve, 100));
    } while (mismatch && Date.now() < deadline);
    const storage = await openStorage(dataDir);
    for (const cardId of cardIds) {
      const stored = await storage.getCard(cardId);
      const doc = new Y.Doc();
      if (stored) Y.applyUpdate(doc, stored.state);
      if (snapshot(doc) !== snapshot(witness.doc(cardId))) mismatch ||= `stored state of ${cardId} differs from what devices receive`;
    }
    await storage.close();
    witness.disconnect();
    return { seed, ok: mismatch === '', detail: mismatch || `converged after ${steps} steps`, events };
  } finally {
    for (const device of devices) device.disconnect();
    await server?.stop();
  }
}
