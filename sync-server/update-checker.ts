/**
 * Runs update checks (update-check.ts) in a worker thread with a time limit. Jobs run one at a
 * time, in the order they were asked for; a job that takes longer than the limit is refused
 * ('update-too-slow'), its worker is ended and a fresh one takes the next job, so one crafted
 * update can neither hang the server nor delay other users for more than the limit. The clock
 * starts when the worker is ready, not while it loads. If no worker can start at all, checks
 * run on the main thread (logged).
 */
import { Worker } from 'node:worker_threads';
import { checkUpdate, type SenderRules, type UpdateCheck } from './update-check.ts';

export const DEFAULT_CHECK_TIME_LIMIT_MS = 2_000;

interface Job {
  id: number;
  stored: Uint8Array | undefined;
  update: Uint8Array;
  cardId: string;
  rules: SenderRules | undefined;
  resolve(result: UpdateCheck): void;
}

export interface UpdateChecker {
  check(stored: Uint8Array | undefined, update: Uint8Array, cardId: string, rules?: SenderRules): Promise<UpdateCheck>;
  close(): Promise<void>;
}

const SHUTTING_DOWN: UpdateCheck = { ok: false, code: 'bad-update', message: 'The server is shutting down; the change was not stored' };

/**
 * The worker runs TypeScript like the server does: Node 20 does not pass the parent's tsx
 * loader to worker threads, so a small bootstrap loads the worker module through tsx's API.
 */
function startCheckWorker(): Worker {
  const workerUrl = new URL('./update-check-worker.ts', import.meta.url).href;
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then(({ tsImport }) => tsImport(${JSON.stringify(workerUrl)}, ${JSON.stringify(import.meta.url)}))`;
  return new Worker(bootstrap, { eval: true });
}

function checkInline(job: Job): UpdateCheck {
  try {
    return checkUpdate(job.stored, job.update, job.cardId, job.rules);
  } catch {
    return { ok: false, code: 'bad-update', message: 'The update could not be checked' };
  }
}

export function createUpdateChecker(timeLimitMs = DEFAULT_CHECK_TIME_LIMIT_MS): UpdateChecker {
  const queue: Job[] = [];
  let worker: Worker | undefined;
  let ready = false;
  let current: Job | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let nextId = 1;
  let closed = false;
  let inline = false;

  function spawn(): void {
    ready = false;
    let w: Worker;
    try {
      w = startCheckWorker();
    } catch (error) {
      console.error('sync-server: update checks run on the main thread (no worker)', error);
      inline = true;
      return;
    }
    worker = w;
    w.unref();
    w.on('message', (message: { ready?: true; id?: number; result?: UpdateCheck }) => {
      if (worker !== w) return;
      if (message.ready) {
        ready = true;
        if (current) dispatch(current);
        return;
      }
      if (current && message.id === current.id && message.result) finish(message.result);
    });
    w.on('error', (error) => {
      if (worker !== w) return;
      console.error('sync-server: the update-check worker failed', error);
      worker = undefined;
      // A worker that never became ready will not become ready: check on this thread instead.
      if (!ready) inline = true;
      if (current) finish(ready ? { ok: false, code: 'bad-update', message: 'The update could not be checked' } : checkInline(current));
    });
    w.on('exit', () => {
      if (worker === w) worker = undefined;
    });
  }

  function dispatch(job: Job): void {
    timer = setTimeout(() => {
      const slow = worker;
      worker = undefined;
      void slow?.terminate();
      console.error(`sync-server: an update to card ${job.cardId} took over ${timeLimitMs} ms to check; refused`);
      finish({ ok: false, code: 'update-too-slow', message: `The update took too long to check (over ${timeLimitMs} ms) and was refused` });
    }, timeLimitMs);
    worker!.postMessage({ id: job.id, stored: job.stored, update: job.update, cardId: job.cardId, rules: job.rules });
  }

  function finish(result: UpdateCheck): void {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const job = current;
    current = undefined;
    job?.resolve(result);
    next();
  }

  function next(): void {
    if (current || closed) return;
    const job = queue.shift();
    if (!job) return;
    current = job;
    if (!inline && !worker) spawn();
    if (inline || !worker) return finish(checkInline(job));
    if (ready) dispatch(job);
    // else: dispatched when the worker says it is ready.
  }

  // Start loading the worker now, so the first update does not wait for it.
  spawn();

  return {
    check(stored, update, cardId, rules) {
      if (closed) return Promise.resolve(SHUTTING_DOWN);
      return new Promise<UpdateCheck>((resolve) => {
        queue.push({ id: nextId++, stored, update, cardId, rules, resolve });
        next();
      });
    },
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      for (const job of queue.splice(0)) job.resolve(SHUTTING_DOWN);
      current?.resolve(SHUTTING_DOWN);
      current = undefined;
      const w = worker;
      worker = undefined;
      await w?.terminate();
    },
  };
}
