/**
 * The index row of a card restored from its whole Yjs state, before the ABC class (the store
 * applies the cut-offs it holds). Pure: the store builds rows with it, and during a large
 * restore the transfer page's file worker builds rows with it too, from the other end of the
 * list (extension/ui/import/worker-builds.ts).
 */
import { readCardState } from '../card-read.ts';
import type { CardIndexRow } from '../card-types.ts';
import type { StageSettings } from '../derive/stage.ts';
import { buildIndexRow } from '../index-row.ts';

export interface RowContext {
  now: number;
  stage?: StageSettings;
}

export function rowOfState(id: string, state: Uint8Array, context: RowContext): CardIndexRow {
  return buildIndexRow(readCardState(state, id), context.now, context.stage ? { stage: context.stage } : {});
}
