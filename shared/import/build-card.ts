/**
 * One new card of an import, built from its record's named mutations (plan.ts seedOfRecord):
 * its whole Yjs state and its index row, before the ABC class (the store applies the class
 * cut-offs it holds). Pure and plain-data in and out: the store builds cards with it, and the
 * transfer page's file worker builds cards of a large import with it at the same time, from
 * the other end of the list (extension/ui/import/worker-builds.ts).
 */
import * as Y from 'yjs';
import { readCard } from '../card-read.ts';
import type { CardIndexRow } from '../card-types.ts';
import type { StageSettings } from '../derive/stage.ts';
import { fail, ok, type AppError, type Result } from '../errors.ts';
import { buildIndexRow } from '../index-row.ts';
import { applyMutation } from '../mutations.ts';
import type { Mutation, MutationContext } from '../mutations-types.ts';
import { LIMITS } from '../sync/protocol.ts';
import { seedOfRecord } from './plan.ts';
import type { ImportRecord } from './types.ts';

/** What every card of one import is built with (the same on every thread). */
export interface ImportBuildContext {
  /** The device's Yjs client id. */
  clientId: number;
  actor: string;
  now: number;
  stage?: StageSettings;
}

export interface BuiltCard {
  cardId: string;
  state: Uint8Array;
  /** The index row, without the ABC class. */
  row: CardIndexRow;
}

const atRow = (error: AppError, row: number): AppError => ({ ...error, message: `Row ${row}: ${error.message}`, params: { ...error.params, row } });

export function buildImportCard(record: ImportRecord, cardId: string, context: ImportBuildContext, newId: () => string = () => crypto.randomUUID()): Result<BuiltCard> {
  const mctx: MutationContext = { actor: context.actor, now: context.now, newId };
  const seed = seedOfRecord(record, context.now);
  const doc = new Y.Doc({ gc: true, guid: cardId });
  doc.clientID = context.clientId;
  try {
    const created = applyMutation(doc, seed.create, mctx, cardId);
    if (!created.ok) return atRow(created, record.row);
    for (const step of seed.steps ?? []) {
      const result = applyMutation(doc, { ...step, cardId } as Mutation, mctx, cardId);
      if (!result.ok) return atRow(result, record.row);
    }
    const state = Y.encodeStateAsUpdate(doc);
    if (state.byteLength > LIMITS.maxCardBytes) return fail('card-full', `Row ${record.row}: the card would be too large`, undefined, { row: record.row, max: Math.round(LIMITS.maxCardBytes / 1024) });
    const row = buildIndexRow(readCard(doc, cardId), context.now, context.stage ? { stage: context.stage } : {});
    return ok({ cardId, state, row });
  } finally {
    doc.destroy();
  }
}
