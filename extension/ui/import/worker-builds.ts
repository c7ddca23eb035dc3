/**
 * Work shared with the file worker (holdFromWorker): for a large import (PrebuiltCards), a large
 * restore (PrebuiltRows) and a large export (its lines, export/register-export.ts) the worker
 * builds the new cards (index rows, lines) from the end of the list back while the store or the
 * page builds from the front; what the worker sent waits here until taken by index (or is
 * dropped when the work is done). The first item taken from the worker means the two have met:
 * the worker sent every item from there to the end (a reply at a time, from the end back), and
 * anything it built after would be built twice, so it is stopped then (it would take the CPU
 * the store's writes need for the rest of the run).
 */
import type { BuiltCard } from '../../../shared/import/build-card.ts';
import { ok, type Result } from '../../../shared/errors.ts';
import type { CardIndexRow } from '../../../shared/card-types.ts';
import type { PrebuiltCards, PrebuiltRows } from '../../store/api.ts';
import { streamFromWorker, type WorkerBuild } from './file-worker-client.ts';
import type { WorkerReply } from './worker-protocol.ts';

/** A build's items held by index until taken; the first take stops the worker (they met). */
export interface HeldFromWorker<T> {
  take(index: number): { value: T } | undefined;
  stop(): void;
}

/**
 * Starts a build in the file worker and holds what it sends: `itemsOf` reads a reply's items
 * (starting at `start`; undefined ones are not held, and the caller builds them itself).
 */
export function holdFromWorker<T>(request: WorkerBuild, itemsOf: (reply: WorkerReply) => { start: number; items: readonly (T | undefined)[] } | undefined): HeldFromWorker<T> {
  const held = new Map<number, T>();
  let stream: { stop(): void } | undefined = streamFromWorker(request, (reply) => {
    const sent = itemsOf(reply);
    sent?.items.forEach((item, i) => {
      if (item !== undefined) held.set(sent.start + i, item);
    });
  });
  const stopWorker = () => {
    stream?.stop();
    stream = undefined;
  };
  return {
    take(index) {
      if (!held.has(index)) return undefined;
      const value = held.get(index) as T;
      held.delete(index);
      stopWorker();
      return { value };
    },
    stop() {
      stopWorker();
      held.clear();
    },
  };
}

export function workerBuiltCards(): PrebuiltCards {
  let held: HeldFromWorker<BuiltCard> | undefined;
  return {
    start(records, ids, context) {
      held = holdFromWorker({ type: 'build-cards', records: [...records], ids: [...ids], context }, (reply) =>
        reply.type === 'built' ? { start: reply.start, items: reply.cards.map((card) => card ?? undefined) } : undefined,
      );
    },
    take(index): Result<BuiltCard> | undefined {
      const card = held?.take(index);
      return card && ok(card.value);
    },
    stop() {
      held?.stop();
    },
  };
}

export function workerBuiltRows(): PrebuiltRows {
  let held: HeldFromWorker<CardIndexRow> | undefined;
  return {
    start(cards, context) {
      held = holdFromWorker({ type: 'build-rows', cards: cards.map((card) => ({ id: card.id, state: card.state })), context }, (reply) =>
        reply.type === 'rows' ? { start: reply.start, items: reply.rows } : undefined,
      );
    },
    take(index) {
      return held?.take(index)?.value;
    },
    stop() {
      held?.stop();
    },
  };
}
