/**
 * The worker thread that checks incoming updates (update-check.ts) off the server's main
 * thread, so one crafted update that makes Yjs spin (yjs#687) stalls only this thread, which
 * the main thread then ends (update-checker.ts). One job at a time: { id, stored, update, cardId, rules }
 * in, { id, result } out. It keeps its last cards' docs (doc-cache.ts), used only for the exact
 * stored state each holds.
 */
import { parentPort } from 'node:worker_threads';
import * as Y from 'yjs';
import { ensurePinyin } from '../../shared/pinyin.ts';
import { DocCache } from './doc-cache.ts';
import { checkUpdate, type SenderRules } from './update-check.ts';

interface Job {
  id: number;
  stored: Uint8Array | undefined;
  /** One update, or a run of one sender's updates to merge and check as one. */
  update: Uint8Array | Uint8Array[];
  cardId: string;
  rules: SenderRules | undefined;
}

/** The cards this worker checked last, as docs (the pool sends a card back to the worker that checked it, when free). */
const docs = new DocCache();

parentPort?.on('message', (job: Job) => {
  let result;
  try {
    result = checkUpdate(job.stored, job.update, job.cardId, job.rules, docs);
  } catch (error) {
    result = { ok: false, code: 'bad-update', message: `The update could not be checked (${error instanceof Error ? error.message : 'error'})` };
  }
  parentPort?.postMessage({ id: job.id, result });
});

/**
 * One small check before the worker says it is ready: the time limit then measures checks, not
 * the first run of the code (a fresh worker's first check took 10-40 ms more, and over a strict
 * limit on a loaded machine an honest update was refused as too slow).
 */
function warmUp(): void {
  try {
    const doc = new Y.Doc();
    doc.getMap('card').set('name', '预热 warm-up');
    checkUpdate(undefined, Y.encodeStateAsUpdate(doc), '00000000-0000-4000-8000-000000000000', undefined);
  } catch {
    // A failed warm-up changes nothing: the first real check is only slower.
  }
}

// Rows are built with their pinyin terms, so devices need not rewrite every row after a sync.
void ensurePinyin().finally(() => {
  warmUp();
  parentPort?.postMessage({ ready: true });
});
