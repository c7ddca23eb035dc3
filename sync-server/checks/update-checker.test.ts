import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createUpdateChecker, type UpdateChecker } from './update-checker.ts';

const CARD = '00000000-0000-4000-8000-000000000001';
const rules = (author: string) => ({ author, controlled: false, owner: author });

/** An update that takes a worker a few hundred ms to check: a new card with 8,000 people, every struct where the card's structure allows it. */
function slowUpdate(): Uint8Array {
  const doc = new Y.Doc();
  const people = doc.getMap('contacts');
  doc.transact(() => {
    for (let i = 0; i < 8_000; i++) {
      const person = new Y.Map<unknown>();
      people.set(`p${i}`, person);
      person.set('name', `Person ${i}`);
    }
  });
  return Y.encodeStateAsUpdate(doc);
}

function smallUpdate(): Uint8Array {
  const doc = new Y.Doc();
  doc.getMap('card').set('name', 'Small');
  return Y.encodeStateAsUpdate(doc);
}

let checker: UpdateChecker | undefined;
afterEach(async () => {
  await checker?.close();
  checker = undefined;
});

describe('the update-check pool', () => {
  it('one user’s queue of slow checks delays another user’s check by none of them', async () => {
    checker = createUpdateChecker({ workers: 2, timeLimitMs: 5_000 });
    // Both workers ready first (their start is not what is measured).
    await Promise.all([checker.check(undefined, smallUpdate(), CARD, rules('a'), 'a'), checker.check(undefined, smallUpdate(), CARD, rules('b'), 'b')]);
    const slow = slowUpdate();
    const finished: string[] = [];
    const hostile = Array.from({ length: 6 }, (_, i) => checker!.check(undefined, slow, CARD, rules('hostile'), 'hostile').then((result) => (finished.push(`hostile-${i}`), result)));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const other = await checker.check(undefined, smallUpdate(), CARD, rules('other'), 'other');
    finished.push('other');
    expect(other.ok).toBe(true);
    const results = await Promise.all(hostile);
    expect(results.every((result) => result.ok)).toBe(true);
    // The hostile user holds one worker at most: the other user's check went to the second one
    // at once, and was done before the hostile user's second check (one global queue: after the sixth).
    expect(finished.indexOf('other')).toBeLessThan(finished.indexOf('hostile-1'));
  }, 60_000);

  it('checks in parallel across workers', async () => {
    // Workers that take 300 ms a check without using the CPU: what is measured is the pool, not the machine's load.
    const sleeper = `const { parentPort } = require('node:worker_threads');
      parentPort.on('message', (job) => {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300);
        parentPort.postMessage({ id: job.id, result: { ok: true, state: new Uint8Array(0), changed: true, row: '', fields: [] } });
      });
      parentPort.postMessage({ ready: true });`;
    checker = createUpdateChecker({ workers: 3, timeLimitMs: 5_000, startWorker: () => new Worker(sleeper, { eval: true }) });
    await Promise.all(['a', 'b', 'c'].map((who) => checker!.check(undefined, smallUpdate(), CARD, rules(who), who)));
    const started = performance.now();
    await Promise.all(['a', 'b', 'c'].map((who) => checker!.check(undefined, smallUpdate(), CARD, rules(who), who)));
    // Three users' checks side by side: about one check's time, not three.
    expect(performance.now() - started).toBeLessThan(700);
  }, 30_000);

  it('refuses a check that takes too long, and the next one is taken by a fresh worker', async () => {
    checker = createUpdateChecker({ workers: 2, timeLimitMs: 50 });
    const refused = await checker.check(undefined, slowUpdate(), CARD, rules('a'), 'a');
    expect(refused).toMatchObject({ ok: false, code: 'update-too-slow' });
    checker = createUpdateChecker({ workers: 2, timeLimitMs: 5_000 });
    expect((await checker.check(undefined, smallUpdate(), CARD, rules('a'), 'a')).ok).toBe(true);
  }, 60_000);

  it('never checks on the main thread: with no worker to be had, a check is refused as busy (send it again later)', async () => {
    let tries = 0;
    checker = createUpdateChecker({
      workers: 2,
      waitLimitMs: 300,
      startWorker: () => {
        tries++;
        throw new Error('EMFILE: too many open files');
      },
    });
    const result = await checker.check(undefined, smallUpdate(), CARD, rules('a'), 'a');
    expect(result).toMatchObject({ ok: false, code: 'busy' });
    expect(result.ok ? '' : result.message).toMatch(/again/);
    expect(tries).toBeGreaterThan(1);
  }, 20_000);

  it('a worker that becomes available again takes the checks that waited', async () => {
    let fail = true;
    checker = createUpdateChecker({
      workers: 1,
      waitLimitMs: 10_000,
      startWorker: () => {
        if (fail) throw new Error('EMFILE');
        const url = new URL('./update-check-worker.ts', import.meta.url).href;
        const api = import.meta.resolve('tsx/esm/api');
        return new Worker(`import(${JSON.stringify(api)}).then(({ tsImport }) => tsImport(${JSON.stringify(url)}, ${JSON.stringify(import.meta.url)}))`, { eval: true });
      },
    });
    const pending = checker.check(undefined, smallUpdate(), CARD, rules('a'), 'a');
    await new Promise((resolve) => setTimeout(resolve, 150));
    fail = false;
    expect((await pending).ok).toBe(true);
  }, 30_000);
});
