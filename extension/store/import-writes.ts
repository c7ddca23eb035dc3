/**
 * Imports of customer lists (Excel, CSV, vCard) into the local store, all or nothing. The new
 * cards' Y.Docs are built from the plan's named mutations first, a chunk at a time with the
 * page kept responsive and the user able to cancel; then ONE Dexie transaction fills the
 * matched cards (read from their stored state inside it) and writes every new state, index row
 * and outbox entry. Cancelling, or any failure, aborts that transaction: nothing is left behind.
 * Imported cards are stored as a first sync stores cards (states in packs, rows in `cards`) with
 * their outbox entries, so they index and sync like any other.
 */
import * as Y from 'yjs';
import type { CardIndexRow } from '../../shared/card-types.ts';
import { readCard } from '../../shared/card-read.ts';
import { fail, ok, type Result } from '../../shared/errors.ts';
import { fillSteps, seedOfRecord } from '../../shared/import/plan.ts';
import type { ExistingCard, ImportPlan } from '../../shared/import/types.ts';
import { buildIndexRow } from '../../shared/index-row.ts';
import { applyMutation, cardMap } from '../../shared/mutations.ts';
import type { Mutation, MutationContext } from '../../shared/mutations-types.ts';
import { LIMITS } from '../../shared/sync/protocol.ts';
import { makePack, readStates, type PendingRow } from './db.ts';
import type { IndexUpkeep } from './index-upkeep.ts';
import { BATCH, storageError, type StoreContext } from './store-context.ts';

export interface ImportProgress {
  phase: 'building' | 'writing';
  done: number;
  total: number;
}

export interface ImportRunOptions {
  onProgress?: (progress: ImportProgress) => void;
  signal?: AbortSignal;
}

export interface ImportOutcome {
  created: number;
  filled: number;
  skipped: number;
  /** True when the user cancelled: nothing was written. */
  cancelled: boolean;
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

/** Lets the page paint and handle input between chunks of work. */
const yieldToPage = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
const CHUNK = 200;

export function createImportWrites(ctx: StoreContext, upkeep: IndexUpkeep): ImportWrites {
  const { db } = ctx;

  async function importCandidates(withBusinessNumbers: boolean): Promise<ExistingCard[]> {
    await ctx.rowsReady();
    const rows = await db.cards.toArray();
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
    await ctx.classificationLoaded;
    await ctx.cutoffsLoaded;
    const stage = ctx.classification().stage;
    const now = ctx.now();
    const actor = ctx.actor();
    const mctx: MutationContext = { actor, now, newId: ctx.newId };
    const total = plan.creates.length + plan.fills.length;
    const cancelled: ImportOutcome = { created: 0, filled: 0, skipped: 0, cancelled: true };

    // 1. Build the new cards' states, a chunk at a time.
    const docs: { cardId: string; state: Uint8Array; seq: number }[] = [];
    const rows: CardIndexRow[] = [];
    const pending: PendingRow[] = [];
    for (let i = 0; i < plan.creates.length; i++) {
      if (i % CHUNK === 0) {
        onProgress?.({ phase: 'building', done: i, total });
        await yieldToPage();
        if (signal?.aborted) return ok(cancelled);
      }
      const record = plan.creates[i]!;
      const seed = seedOfRecord(record, now);
      const cardId = ctx.newId();
      const doc = new Y.Doc({ gc: true, guid: cardId });
      doc.clientID = clientId;
      const created = applyMutation(doc, seed.create, mctx, cardId);
      if (!created.ok) return { ...created, message: `Row ${record.row}: ${created.message}`, params: { ...created.params, row: record.row } };
      for (const step of seed.steps ?? []) {
        const result = applyMutation(doc, { ...step, cardId } as Mutation, mctx, cardId);
        if (!result.ok) return { ...result, message: `Row ${record.row}: ${result.message}`, params: { ...result.params, row: record.row } };
      }
      const state = Y.encodeStateAsUpdate(doc);
      if (state.byteLength > LIMITS.maxCardBytes) return fail('card-full', `Row ${record.row}: the card would be too large`, undefined, { row: record.row, max: Math.round(LIMITS.maxCardBytes / 1024) });
      docs.push({ cardId, state, seq: 0 });
      rows.push(ctx.withClass(buildIndexRow(readCard(doc, cardId), now, { stage })));
      pending.push({ cardId, update: state, createdAt: now });
      doc.destroy();
    }

    // 2. One transaction: fill the matched cards from their stored state, write everything.
    const filledIds = new Set<string>();
    try {
      const failure = await db.transaction('rw', [db.docs, db.packs, db.cards, db.pending], async () => {
        const fillIds = [...new Set(plan.fills.map((fill) => fill.cardId))];
        const states = await readStates(db, fillIds);
        const previous = await db.cards.bulkGet(fillIds);
        for (let f = 0; f < fillIds.length; f++) {
          const cardId = fillIds[f]!;
          const row = states[f];
          if (!row) return fail('unknown-card', `A matched card is no longer stored; nothing was imported`, 'cardId');
          const doc = ctx.loadDoc(row);
          doc.clientID = clientId;
          const before = Y.encodeStateVector(doc);
          for (const fill of plan.fills.filter((item) => item.cardId === cardId)) {
            for (const step of fillSteps(readCard(doc, cardId), fill.record, plan.reason)) {
              const result = applyMutation(doc, { ...step, cardId } as Mutation, mctx, cardId);
              if (!result.ok) return { ...result, message: `Row ${fill.record.row}: ${result.message}`, params: { ...result.params, row: fill.record.row } };
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
        for (let start = 0; start < docs.length; start += BATCH) {
          if (signal?.aborted) throw new Cancelled();
          onProgress?.({ phase: 'writing', done: plan.fills.length + start, total });
          // New cards' states go in as packs, as a first sync's do (db.ts): one record per
          // batch instead of one per card; their first edit writes a `docs` row as usual.
          await db.packs.add(makePack(docs.slice(start, start + BATCH)));
          await db.cards.bulkAdd(rows.slice(start, start + BATCH));
          await db.pending.bulkAdd(pending.slice(start, start + BATCH));
        }
        if (signal?.aborted) throw new Cancelled();
        return undefined;
      });
      if (failure) return failure;
    } catch (error) {
      if (error instanceof Cancelled || (error instanceof Error && error.name === 'Cancelled') || signal?.aborted) return ok(cancelled);
      return storageError(error);
    }
    onProgress?.({ phase: 'writing', done: total, total });
    const ids = [...filledIds, ...docs.map((doc) => doc.cardId)];
    if (ids.length > 0) ctx.announce(ids);
    // The new rows are as of now; only the class cut-offs can move.
    await upkeep.recomputeCutoffs();
    return ok({ created: docs.length, filled: plan.fills.length, skipped: plan.skipped.length, cancelled: false });
  }

  return { importCandidates, runImport };
}
