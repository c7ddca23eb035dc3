/**
 * The store's helper for a large import (PrebuiltCards): the file worker builds the plan's new
 * cards from the end of the list back while the store builds from the front and writes; the
 * cards the worker sent wait here until the store takes them by index (or are dropped).
 */
import type { BuiltCard } from '../../../shared/import/build-card.ts';
import { ok, type Result } from '../../../shared/errors.ts';
import type { PrebuiltCards } from '../../store/api.ts';
import { streamFromWorker } from './file-worker-client.ts';

export function workerBuiltCards(): PrebuiltCards {
  const held = new Map<number, BuiltCard>();
  let stream: { stop(): void } | undefined;
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
      return ok(card);
    },
    stop() {
      stream?.stop();
      stream = undefined;
      held.clear();
    },
  };
}
