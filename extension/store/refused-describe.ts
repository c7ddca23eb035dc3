/**
 * What a refused change did, in the change records it carried: every named mutation appends a
 * record (shared/mutations.ts) in the same Yjs transaction as its edit, so the records whose
 * structs the refused update holds name its edits. Read from the card's state with the update
 * applied (a change alone cannot be read: its array items hang on items it does not carry).
 */
import * as Y from 'yjs';
import type { ChangeRecord, FieldValue } from '../../shared/card-types.ts';
import { ROOT } from '../../shared/doc-layout.ts';
import type { RefusedStep } from './db.ts';

/** A whole state's records are many (a new card's every field): the newest this many are kept. */
export const MAX_STEPS = 20;

/** Each client's clock ranges the update carries, as [start, end) pairs. */
function rangesOf(update: Uint8Array): Map<number, [number, number][]> {
  const ranges = new Map<number, [number, number][]>();
  for (const struct of Y.decodeUpdate(update).structs) {
    if (!(struct instanceof Y.Item)) continue;
    const list = ranges.get(struct.id.client) ?? [];
    list.push([struct.id.clock, struct.id.clock + struct.length]);
    ranges.set(struct.id.client, list);
  }
  return ranges;
}

/** The change records `update` added to the card whose state (with or without it) is `state`. */
export function describeRefused(state: Uint8Array | undefined, update: Uint8Array): { steps: RefusedStep[]; stepCount: number } {
  try {
    const ranges = rangesOf(update);
    const doc = new Y.Doc();
    if (state) Y.applyUpdate(doc, state);
    Y.applyUpdate(doc, update);
    const steps: RefusedStep[] = [];
    let item = doc.getArray(ROOT.history)._start;
    while (item) {
      const { client, clock } = item.id;
      const carried = ranges.get(client)?.some(([start, end]) => clock + item!.length > start && clock < end);
      if (carried && !item.deleted) {
        for (const record of item.content.getContent() as ChangeRecord[]) {
          if (record && typeof record.mutation === 'string' && typeof record.target === 'string') steps.push({ mutation: record.mutation, target: record.target, to: (record.to ?? null) as FieldValue });
        }
      }
      item = item.right;
    }
    doc.destroy();
    return { steps: steps.slice(-MAX_STEPS), stepCount: steps.length };
  } catch {
    // A damaged update is kept all the same; it is listed by its reason alone.
    return { steps: [], stepCount: 0 };
  }
}
