/**
 * The store's helpers for a large import (PrebuiltCards) and a large restore (PrebuiltRows):
 * the file worker builds the new cards (or their index rows) from the end of the list back
 * while the store builds from the front and writes; what the worker sent waits here until the
 * store takes it by index (or is dropped when the store is done). The first card the store takes
 * from the worker means the two have met: the worker sent every card from there to the end (a
 * reply at a time, from the end back), and anything it built after would be built twice, so it
 * is stopped then (it would take the CPU the store's writes need for the rest of the run).
 */
import type { BuiltCard } from '../../../shared/import/build-card.ts';
import { ok, type Result } from '../../../shared/errors.ts';
import type { CardIndexRow } from '../../../shared/card-types.ts';
import type { PrebuiltCards, PrebuiltRows } from '../../store/api.ts';
import { streamFromWorker } from './file-worker-client.ts';

export function workerBuiltCards(): PrebuiltCards {
  const held = new Map<number, BuiltCard>();
  let stream: { stop(): void } | undefined;
  const stopWorker = () => {
    stream?.stop();
    stream = undefined;
  };
  return {
    start(records, ids, context) {
      stream = streamFromWorker({ type: 'build-cards', records: [...records], ids: [...ids], context }, (reply) => {
        if (reply.type !== 'built') return;
        reply.cards.forEach((card, i) => {
          if (card) held.set(reply.start + i, card);
        });
      });
    },
    take(index): Result<BuiltCard> | undefined {
      const card = held.get(index);
      if (!card) return undefined;
      held.delete(index);
      stopWorker();
      return ok(card);
    },
    stop() {
      stopWorker();
      held.clear();
    },
  };
}

export function workerBuiltRows(): PrebuiltRows {
  const held = new Map<number, CardIndexRow>();
  let stream: { stop(): void } | undefined;
  const stopWorker = () => {
    stream?.stop();
    stream = undefined;
  };
  return {
    start(cards, context) {
      stream = streamFromWorker({ type: 'build-rows', cards: cards.map((card) => ({ id: card.id, state: card.state })), context }, (reply) => {
        if (reply.type !== 'rows') return;
        reply.rows.forEach((row, i) => held.set(reply.start + i, row));
      });
    },
    take(index) {
      const row = held.get(index);
      if (!row) return undefined;
      held.delete(index);
      stopWorker();
      return row;
    },
    stop() {
      stopWorker();
      held.clear();
    },
  };
}
