/**
 * Imports of customer lists (Excel, CSV, vCard) into the local store, all or nothing, in ONE
 * Dexie transaction: it fills the matched cards (read from their stored state inside it), then
 * builds the new cards' Y.Docs from the plan's named mutations a slice at a time, each slice
 * written while the next is built (queued-writes.ts), the page kept responsive and the user
 * able to cancel. Cancelling, or any failure, aborts that transaction: nothing is left behind.
 * Imported cards are stored as a first sync stores cards (new-card-packs.ts: per batch, the
 * states as a pack, the index rows as its `packRows` record, the outbox entries as an outbox
 * pack), so they are found, listed and synced like any other, and shortly after moved into
 * `cards` in the background (index-upkeep.ts scheduleMove).
 */
import * as Y from 'yjs';
import { readCard } from '../../shared/card-read.ts';
import { fail, ok, type AppError, type Result } from '../../shared/errors.ts';
import { fillSteps } from '../../shared/import/plan.ts';
import { buildImportCard, type BuiltCard, type ImportBuildContext } from '../../shared/import/build-card.ts';
import type { ExistingCard, ImportPlan, ImportRecord } from '../../shared/import/types.ts';
import { buildIndexRow } from '../../shared/index-row.ts';
import { ensurePinyin } from '../../shared/pinyin.ts';
import { applyMutation, cardMap } from '../../shared/mutations.ts';
import type { Mutation, MutationContext } from '../../shared/mutations-types.ts';
import { readStates } from './db.ts';
import type { IndexUpkeep } from './index-upkeep.ts';
import { packNewCards, reservePackKeys } from './new-card-packs.ts';
import { queueWrites } from './queued-writes.ts';
import { BATCH, storageError, type StoreContext } from './store-context.ts';

export interface ImportProgress {
  phase: 'building' | 'writing';
  done: number;
  total: number;
}

export interface ImportRunOptions {
  onProgress?: (progress: ImportProgress) => void;
  signal?: AbortSignal;
  /** Builds new cards elsewhere (the transfer page's file worker) while the store writes. */
  prebuilt?: PrebuiltCards;
}

/**
 * New cards of a plan built on another thread, from the end of `plan.creates` back, while the
 * store builds from the front and writes: the store takes a card by its index when it is
 * there, else builds it itself (it never waits). Built with the same ids and context.
 */
export interface PrebuiltCards {
  start(records: readonly ImportRecord[], ids: readonly string[], context: ImportBuildContext): void;
  /** The card at `index` of the creates, if built and not taken yet. */
  take(index: number): Result<BuiltCard> | undefined;
  stop(): void;
}

export interface ImportOutcome {
  created: number;
  filled: number;
  skipped: number;
  /** True when the user cancelled: nothing was written. */
  cancelled: boolean;
  /** The new cards' ids, in the plan's order (an owner chosen in the import is handed them once they are on the server). */
  createdIds?: string[];
}

export interface ImportWrites {
  /** What duplicates are checked against; reading each card's 统一编号 builds every card's doc. */
  importCandidates(withBusinessNumbers: boolean): Promise<ExistingCard[]>;
  runImport(plan: ImportPlan, options?: ImportRunOptions): Promise<Result<ImportOutcome>>;
}

class Cancelled extends Error {
  constructor() {
    super('cancelled');
    this.name = 'Cancelled';
  }
}

/** A row the plan cannot store (or a matched card gone): thrown to abort the transaction. */
class Refused extends Error {
  constructor(readonly failure: AppError) {
    super(failure.message);
    this.name = 'Refused';
  }
}

/** Lets the page paint and handle input between chunks of work. */
const yieldToPage = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
/** The page's work between two turns of its event loop while an import writes (a frame or two). */
const SLICE_MS = 30;
/** New cards from which another thread helps build them (below, starting it costs more). */
const PREBUILT_FROM = 500;

export function createImportWrites(ctx: StoreContext, upkeep: IndexUpkeep): ImportWrites {
  const { db } = ctx;

  async function importCandidates(withBusinessNumbers: boolean): Promise<ExistingCard[]> {
    const rows = await ctx.rows.all();
    const out: ExistingCard[] = rows.filter((row) => row.name).map((row) => ({ id: row.id, name: row.name, emails: row.emails, domains: row.domains }));
    if (!withBusinessNumbers) return out;
    for (let start = 0; start < out.length; start += BATCH) {
      const chunk = out.slice(start, start + BATCH);
      const states = await readStates(db, chunk.map((card) => card.id));
      states.forEach((state, i) => {
        if (!state) return;
        const doc = ctx.loadDoc(state);
        const number = cardMap(doc).get('businessNumber');
        if (typeof number === 'string' && number) chunk[i]!.businessNumber = number;
        doc.destroy();
      });
      await yieldToPage();
    }
    return out;
  }

  async function runImport(plan: ImportPlan, options: ImportRunOptions = {}): Promise<Result<ImportOutcome>> {
    const { signal, onProgress } = options;
    const clientId = await ctx.deviceClientId();
    // Rows are built with their pinyin terms (one write per card; shared/pinyin.ts).
    await ensurePinyin();
    await ctx.classificationLoaded;
    await ctx.cutoffsLoaded;
    const stage = ctx.classification().stage;
    const now = ctx.now();
    const actor = ctx.actor();
    const mctx: MutationContext = { actor, now, newId: ctx.newId };
    const total = plan.creates.length + plan.fills.length;
    const cancelled: ImportOutcome = { created: 0, filled: 0, skipped: 0, cancelled: true };
    const context: ImportBuildContext = { clientId, actor, now, stage };
    // The new cards' ids, fixed here: a helper building cards elsewhere builds the same cards.
    const ids = plan.creates.map(() => ctx.newId());
    const prebuilt = options.prebuilt;
    if (prebuilt && plan.creates.length >= PREBUILT_FROM) prebuilt.start(plan.creates, ids, context);

    // One transaction for everything: the matched cards are filled from their stored state,
    // then the new cards are built and written slice by slice (the browser writes one slice
    // while the next is built). A refusal, a failed write or a cancel aborts it: nothing stays.
    const filledIds = new Set<string>();
    const createdIds: string[] = [];
    try {
      await db.transaction('rw', [db.docs, db.packs, db.packRows, db.cards, db.pending], async () => {
        const fillIds = [...new Set(plan.fills.map((fill) => fill.cardId))];
        const states = await readStates(db, fillIds);
        const previous = await db.cards.bulkGet(fillIds);
        for (let f = 0; f < fillIds.length; f++) {
          const cardId = fillIds[f]!;
          const row = states[f];
          if (!row) throw new Refused(fail('unknown-card', `A matched card is no longer stored; nothing was imported`, 'cardId'));
          const doc = ctx.loadDoc(row);
          doc.clientID = clientId;
          const before = Y.encodeStateVector(doc);
          for (const fill of plan.fills.filter((item) => item.cardId === cardId)) {
            for (const step of fillSteps(readCard(doc, cardId), fill.record, plan.reason)) {
              const result = applyMutation(doc, { ...step, cardId } as Mutation, mctx, cardId);
              if (!result.ok) throw new Refused({ ...result, message: `Row ${fill.record.row}: ${result.message}`, params: { ...result.params, row: fill.record.row } });
            }
          }
          const update = Y.encodeStateAsUpdate(doc, before);
          if (update.byteLength > 2) {
            await db.docs.put({ id: cardId, state: Y.encodeStateAsUpdate(doc), seq: row.seq });
            const built = buildIndexRow(readCard(doc, cardId), now, { abcDerived: previous[f]?.abcDerived ?? '', stage });
            await db.cards.put(ctx.withClass(built));
            await db.pending.add({ cardId, update, createdAt: now });
            filledIds.add(cardId);
          }
          doc.destroy();
        }

        // New cards go in as packs, as a first sync's do: a few records per batch instead of
        // two per card; their first edit writes `docs` and `cards` rows as usual.
        if (plan.creates.length === 0) {
          if (signal?.aborted) throw new Cancelled();
          return;
        }
        const keys = await reservePackKeys(db);
        const writes = queueWrites();
        const packer = packNewCards(writes, keys, now);
        let sliceStart = performance.now();
        onProgress?.({ phase: 'writing', done: plan.fills.length, total });
        for (let i = 0; i < plan.creates.length; i++) {
          if (performance.now() - sliceStart > SLICE_MS) {
            onProgress?.({ phase: 'writing', done: plan.fills.length + createdIds.length, total });
            await writes.breathe();
            if (signal?.aborted) throw new Cancelled();
            sliceStart = performance.now();
          }
          const record = plan.creates[i]!;
          const taken = prebuilt?.take(i);
          const built = taken?.ok && taken.value.cardId === ids[i] ? taken : buildImportCard(record, ids[i]!, context, ctx.newId);
          if (!built.ok) throw new Refused(built);
          const card = built.value;
          packer.add(card.cardId, card.state, ctx.withClass(card.row));
          createdIds.push(card.cardId);
        }
        packer.end();
        await writes.flush();
        if (signal?.aborted) throw new Cancelled();
      });
    } catch (error) {
      prebuilt?.stop();
      if (error instanceof Refused) return error.failure;
      if (error instanceof Cancelled || (error instanceof Error && error.name === 'Cancelled') || signal?.aborted) return ok(cancelled);
      return storageError(error);
    }
    prebuilt?.stop();
    onProgress?.({ phase: 'writing', done: total, total });
    const changed = [...filledIds, ...createdIds];
    if (changed.length > 0) ctx.announce(changed);
    // The new rows are as of now; only the class cut-offs can move.
    await upkeep.recomputeCutoffs();
    if (createdIds.length > 0) upkeep.scheduleMove();
    return ok({ created: createdIds.length, filled: plan.fills.length, skipped: plan.skipped.length, cancelled: false, createdIds });
  }

  return { importCandidates, runImport };
}
