/**
 * Runs update checks (update-check.ts) in a pool of worker threads, each check with a hard time
 * limit, never on the main thread. A check that takes longer than the limit is refused
 * ('update-too-slow'); its worker is ended and a fresh one takes its place.
 *
 * Fair queues: each check waits in its sender's queue (the user name), and a free worker takes
 * the next check of the next user in turn (round robin), so a user who sends a thousand checks
 * delays the others by one check at most. One user never holds every worker at once (at most
 * `workers - 1`, and at least one): a hostile rep's slow updates, each just under the limit,
 * leave a worker free for everyone else. Among the free workers, a card's check goes to the one
 * that checked it last: that worker may still hold the card's doc (doc-cache.ts).
 *
 * If no worker can be started (descriptors exhausted, the module fails to load), checks wait,
 * the pool keeps trying to start workers with a growing pause, and a check that waited longer
 * than `waitLimitMs` is refused as 'busy' with a retry-later reason: the sender keeps the change
 * and sends it again. Checks are never run on the main thread, where no time limit can hold.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { SenderRules, UpdateCheck } from './update-check.ts';

export const DEFAULT_CHECK_TIME_LIMIT_MS = 2_000;
/** How long a check may wait for a worker when none can be started, before it is refused as busy. */
export const DEFAULT_WAIT_LIMIT_MS = 10_000;

/** A check's outcome: the check's own, or 'busy' (no worker could take it: send it again later). */
export type CheckResult = UpdateCheck | { ok: false; code: 'busy'; message: string };

export interface UpdateChecker {
  /** `sender` names the queue the check waits in (its user): one queue per user, served in turn. */
  /** Checks one update, or a run of updates merged in the worker (the result's `merged`). */
  check(stored: Uint8Array | undefined, update: Uint8Array | Uint8Array[], cardId: string, rules?: SenderRules, sender?: string): Promise<CheckResult>;
  /** Workers in the pool. */
  readonly size: number;
  /** Resolves once every worker is ready, or after `timeoutMs` (a server listens only once it can check). */
  ready(timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

export interface CheckerOptions {
  timeLimitMs?: number;
  /** Worker threads (default: the cores, from 2 to 4). */
  workers?: number;
  waitLimitMs?: number;
  /** Starts a worker (tests replace it to make starting fail). */
  startWorker?: () => Worker;
}

interface Job {
  id: number;
  sender: string;
  stored: Uint8Array | undefined;
  update: Uint8Array | Uint8Array[];
  cardId: string;
  rules: SenderRules | undefined;
  queuedAt: number;
  resolve(result: CheckResult): void;
}

interface Slot {
  worker: Worker | undefined;
  /** After its worker was ended for a slow check: not started again before this (ms epoch) while another worker is ready. */
  restartAfter: number;
  ready: boolean;
  job: Job | undefined;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/** Cards whose last slot is remembered (the workers keep far fewer docs; this only bounds the map). */
const LAST_SLOTS_KEPT = 1_024;

/** How long a slot whose worker was ended waits before loading a new one, while others can check. */
const RESTART_PAUSE_MS = 1_000;

const SHUTTING_DOWN: CheckResult = { ok: false, code: 'busy', message: 'The server is shutting down; the change was not stored: send it again' };
const NO_WORKER: CheckResult = { ok: false, code: 'busy', message: 'The server cannot check changes right now; the change was not stored: send it again in a moment' };
const WORKER_FAILED: CheckResult = { ok: false, code: 'bad-update', message: 'The update could not be checked' };

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

/**
 * The bytes alone, in a buffer of their own: an update arrives as a view into the socket's read
 * buffer (8 KB or more), and a view is posted to a worker with its whole buffer (measured: ~10x
 * the bytes of a run of small updates copied twice, on the main thread and in the worker).
 */
function compact<T extends Uint8Array | undefined>(bytes: T): T {
  return (bytes && bytes.byteLength !== bytes.buffer.byteLength ? bytes.slice() : bytes) as T;
}

export function defaultPoolSize(): number {
  return Math.max(2, Math.min(4, availableParallelism()));
}

export function createUpdateChecker(options: CheckerOptions | number = {}): UpdateChecker {
  const opts = typeof options === 'number' ? { timeLimitMs: options } : options;
  const timeLimitMs = opts.timeLimitMs ?? DEFAULT_CHECK_TIME_LIMIT_MS;
  const waitLimitMs = opts.waitLimitMs ?? DEFAULT_WAIT_LIMIT_MS;
  const size = Math.max(1, opts.workers ?? defaultPoolSize());
  const perSender = Math.max(1, size - 1);
  const start = opts.startWorker ?? startCheckWorker;

  const slots: Slot[] = Array.from({ length: size }, () => ({ worker: undefined, restartAfter: 0, ready: false, job: undefined, timer: undefined }));
  /** Each sender's waiting checks, and the senders with checks waiting, in turn order. */
  const queues = new Map<string, Job[]>();
  const turn: string[] = [];
  const running = new Map<string, number>();
  let nextId = 1;
  let closed = false;
  /** Failed starts in a row: the pause before the next try grows with them. */
  let failures = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let waitTimer: ReturnType<typeof setInterval> | undefined;
  const readyWaiters: (() => void)[] = [];
  /** The slot that checked each card last (its worker keeps its last cards' docs, doc-cache.ts). */
  const lastSlotOf = new Map<string, Slot>();

  function spawn(slot: Slot): void {
    if (closed || slot.worker) return;
    slot.ready = false;
    let w: Worker;
    try {
      w = start();
    } catch (error) {
      console.error('sync-server: an update-check worker could not start', error);
      return startFailed();
    }
    slot.worker = w;
    w.unref();
    w.on('message', (message: { ready?: true; id?: number; result?: UpdateCheck }) => {
      if (slot.worker !== w) return;
      if (message.ready) {
        slot.ready = true;
        failures = 0;
        if (slots.every((one) => one.ready)) for (const wake of readyWaiters.splice(0)) wake();
        return pump();
      }
      if (slot.job && message.id === slot.job.id && message.result) finish(slot, message.result);
    });
    w.on('error', (error) => {
      if (slot.worker !== w) return;
      console.error('sync-server: an update-check worker failed', error);
      const wasReady = slot.ready;
      slot.worker = undefined;
      slot.ready = false;
      if (slot.job) finish(slot, WORKER_FAILED);
      if (!wasReady) startFailed();
      else pump();
    });
    w.on('exit', () => {
      if (slot.worker !== w) return;
      slot.worker = undefined;
      slot.ready = false;
      if (slot.job) finish(slot, WORKER_FAILED);
      pump();
    });
  }

  /** A worker did not start: try again after a pause (checks wait, and are refused past their wait limit). */
  function startFailed(): void {
    failures++;
    if (retryTimer || closed) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      for (const slot of slots) if (!slot.worker) spawn(slot);
    }, Math.min(5_000, 100 * 2 ** Math.min(failures, 6)));
    retryTimer.unref();
  }

  function dispatch(slot: Slot, job: Job): void {
    slot.job = job;
    lastSlotOf.delete(job.cardId);
    lastSlotOf.set(job.cardId, slot);
    if (lastSlotOf.size > LAST_SLOTS_KEPT) lastSlotOf.delete(lastSlotOf.keys().next().value!);
    running.set(job.sender, (running.get(job.sender) ?? 0) + 1);
    slot.timer = setTimeout(() => {
      const slow = slot.worker;
      slot.worker = undefined;
      slot.ready = false;
      // Loading a fresh worker takes a core for a while: not now, while other workers can check.
      slot.restartAfter = Date.now() + RESTART_PAUSE_MS;
      setTimeout(pump, RESTART_PAUSE_MS).unref();
      void slow?.terminate();
      console.error(`sync-server: an update to card ${job.cardId} took over ${timeLimitMs} ms to check; refused`);
      finish(slot, { ok: false, code: 'update-too-slow', message: `The update took too long to check (over ${timeLimitMs} ms) and was refused` });
    }, timeLimitMs);
    slot.worker!.postMessage({ id: job.id, stored: compact(job.stored), update: job.update instanceof Uint8Array ? compact(job.update) : job.update.map(compact), cardId: job.cardId, rules: job.rules });
  }

  function finish(slot: Slot, result: CheckResult): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = undefined;
    const job = slot.job;
    slot.job = undefined;
    if (job) {
      const n = (running.get(job.sender) ?? 1) - 1;
      if (n > 0) running.set(job.sender, n);
      else running.delete(job.sender);
      job.resolve(result);
    }
    pump();
  }

  /** The next check of the next sender in turn who may take another worker. */
  function takeNext(): Job | undefined {
    for (let i = 0; i < turn.length; i++) {
      const sender = turn[i]!;
      if ((running.get(sender) ?? 0) >= perSender) continue;
      const queue = queues.get(sender)!;
      const job = queue.shift()!;
      turn.splice(i, 1);
      if (queue.length > 0) turn.push(sender);
      else queues.delete(sender);
      return job;
    }
    return undefined;
  }

  function pump(): void {
    if (closed) return;
    const anyReady = slots.some((slot) => slot.ready);
    // After a failed start, the retry timer starts the workers again (with a growing pause).
    for (const slot of slots) if (!slot.worker && !retryTimer && (!anyReady || Date.now() >= slot.restartAfter)) spawn(slot);
    for (;;) {
      const free = slots.filter((slot) => slot.worker && slot.ready && !slot.job);
      if (free.length === 0) return;
      const job = takeNext();
      if (!job) return;
      // Back to the worker that checked the card last, if it is free: it may still hold the card's doc.
      const last = lastSlotOf.get(job.cardId);
      dispatch(last && free.includes(last) ? last : free[0]!, job);
    }
  }

  /** Checks that waited past the wait limit (no worker could be had) are refused: send again later. */
  function refuseStale(): void {
    const now = Date.now();
    for (const [sender, queue] of queues) {
      while (queue.length > 0 && now - queue[0]!.queuedAt > waitLimitMs) queue.shift()!.resolve(NO_WORKER);
      if (queue.length === 0) {
        queues.delete(sender);
        turn.splice(turn.indexOf(sender), 1);
      }
    }
  }

  // Start loading the workers now, so the first update does not wait for them.
  for (const slot of slots) spawn(slot);
  waitTimer = setInterval(refuseStale, Math.max(50, Math.min(1_000, waitLimitMs / 4)));
  waitTimer.unref();

  return {
    size,
    ready(timeoutMs) {
      if (slots.every((slot) => slot.ready)) return Promise.resolve();
      return new Promise((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        timer.unref();
        readyWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
    check(stored, update, cardId, rules, sender = '') {
      if (closed) return Promise.resolve(SHUTTING_DOWN);
      return new Promise<CheckResult>((resolve) => {
        const job: Job = { id: nextId++, sender, stored, update, cardId, rules, queuedAt: Date.now(), resolve };
        const queue = queues.get(sender);
        if (queue) queue.push(job);
        else {
          queues.set(sender, [job]);
          turn.push(sender);
        }
        pump();
      });
    },
    async close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      if (waitTimer) clearInterval(waitTimer);
      for (const queue of queues.values()) for (const job of queue) job.resolve(SHUTTING_DOWN);
      queues.clear();
      turn.length = 0;
      const ending: Promise<number>[] = [];
      for (const slot of slots) {
        if (slot.timer) clearTimeout(slot.timer);
        slot.job?.resolve(SHUTTING_DOWN);
        slot.job = undefined;
        const w = slot.worker;
        slot.worker = undefined;
        if (w) ending.push(w.terminate());
      }
      await Promise.all(ending);
    },
  };
}
