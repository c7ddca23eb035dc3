/** Where a device's per-card work goes when a card arrives: Yjs apply, snapshot, index row. */
import * as Y from 'yjs';
import { readCard } from '../../shared/card-read.ts';
import { buildIndexRow } from '../../shared/index-row.ts';
import type { BenchCard } from './card-data.ts';

export function profileCardIngest(cards: BenchCard[]): { applyMs: number; readMs: number; indexMs: number } {
  let applyMs = 0;
  let readMs = 0;
  let indexMs = 0;
  for (const card of cards) {
    const t0 = performance.now();
    const doc = new Y.Doc();
    Y.applyUpdate(doc, card.state);
    const t1 = performance.now();
    const view = readCard(doc, card.id);
    const t2 = performance.now();
    buildIndexRow(view, Date.now());
    const t3 = performance.now();
    applyMs += t1 - t0;
    readMs += t2 - t1;
    indexMs += t3 - t2;
    doc.destroy();
  }
  return { applyMs: applyMs / cards.length, readMs: readMs / cards.length, indexMs: indexMs / cards.length };
}
