/**
 * The index row the server keeps beside each card's state and sends with it, so a device that
 * receives a card for the first time can store it without building its Y.Doc (DECISIONS.md,
 * "First sync without Y.Docs"). The row is the shared `buildIndexRow` of exactly the stored
 * state, serialised as JSON; devices refresh its date-dependent fields on arrival. Rows of an
 * older INDEX_ROW_VERSION are recomputed by `fillMissingRows` after an upgrade.
 */
import * as Y from 'yjs';
import { readCard, readCardState } from '../shared/card-read.ts';
import { buildIndexRow, INDEX_ROW_VERSION } from '../shared/index-row.ts';
import type { Storage } from './storage/storage.ts';

export { INDEX_ROW_VERSION };

/** The row of a card held in a doc, as stored and sent. */
export function rowOfDoc(doc: Y.Doc, cardId: string, now = Date.now()): string {
  return JSON.stringify(buildIndexRow(readCard(doc, cardId), now));
}

/** The row of a card's stored state. */
export function rowOfState(state: Uint8Array, cardId: string, now = Date.now()): string {
  return JSON.stringify(buildIndexRow(readCardState(state, cardId), now));
}

/**
 * Computes the rows cards lack (imported without one, or stored by an older version), a chunk
 * per turn of the event loop so connections are served in between. A row is written only while
 * its card is still at the seq it was computed from (a push in between brings its own row).
 */
export function fillMissingRows(storage: Storage, chunk = 100): { done: Promise<number>; stop(): void } {
  let stopped = false;
  let filled = 0;
  const done = new Promise<number>((resolve) => {
    const step = async () => {
      if (stopped) return resolve(filled);
      const cards = await storage.cardsWithoutRow(INDEX_ROW_VERSION, chunk);
      for (const card of cards) {
        let row: string;
        try {
          row = rowOfState(card.state, card.id);
        } catch (error) {
          // A state that cannot be read gets an empty row marker, so it is not retried forever;
          // devices then build the card's row themselves.
          row = '';
          console.error(`sync-server: could not index card ${card.id}`, error);
        }
        await storage.setRow(card.id, row, INDEX_ROW_VERSION, card.seq);
        filled++;
      }
      if (cards.length < chunk) resolve(filled);
      else setImmediate(run);
    };
    const run = () =>
      void step().catch((error: unknown) => {
        // The database went away (closing, or down): the next start fills the rest.
        if (!stopped) console.error('sync-server: filling index rows stopped', error);
        resolve(filled);
      });
    setImmediate(run);
  });
  return { done, stop: () => void (stopped = true) };
}
