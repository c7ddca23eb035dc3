/**
 * Local edits: every write is a named mutation run inside ONE Dexie transaction that reads the
 * card's stored state, applies the mutation to a Y.Doc built from it, and writes the new state,
 * the rebuilt index row and the outgoing update (outbox) together. Because each write starts
 * from the stored state inside the transaction, any extension context can write safely. Also
 * bulk imports of new cards (the demo data, the benchmarks), a batch per transaction.
 */
import * as Y from 'yjs';
import type { CardIndexRow } from '../../shared/card-types.ts';
import { readCard } from '../../shared/card-read.ts';
import { fail, ok, type Result } from '../../shared/errors.ts';
import { buildIndexRow } from '../../shared/index-row.ts';
import { applyMutation } from '../../shared/mutations.ts';
import { ensurePinyin, pinyinTermsOf } from '../../shared/pinyin.ts';
import type { CardSeed, Mutation, MutationContext } from '../../shared/mutations-types.ts';
import { LIMITS } from '../../shared/sync/protocol.ts';
import { readStates, type DocRow } from './db.ts';
import type { IndexUpkeep } from './index-upkeep.ts';
import { BATCH, storageError, type StoreContext } from './store-context.ts';

export interface LocalWrites {
  mutate(mutation: Mutation): Promise<Result<{ cardId: string }>>;
  importCards(seeds: CardSeed[]): Promise<Result<{ imported: number; ids: string[] }>>;
}

export function createLocalWrites(ctx: StoreContext, upkeep: IndexUpkeep): LocalWrites {
  const { db } = ctx;

  /** Runs one mutation on a doc loaded from `row`; returns what to write, or the error. */
  function runMutation(row: DocRow | undefined, cardId: string, mutation: Mutation, clientId: number, mctx: MutationContext) {
    const doc = ctx.loadDoc(row);
    // Set after loading: Yjs renews a client id it sees in a remote (loading) transaction.
    doc.clientID = clientId;
    const before = Y.encodeStateVector(doc);
    const result = applyMutation(doc, mutation, mctx, cardId);
    if (!result.ok) {
      doc.destroy();
      return { done: false, result } as const;
    }
    const update = Y.encodeStateAsUpdate(doc, before);
    const state = Y.encodeStateAsUpdate(doc);
    const view = readCard(doc, cardId);
    doc.destroy();
    return { done: true, result, update, state, view } as const;
  }

  /** The company's reason fields as this device holds its policy (background/company-policy.ts keeps it): the server refuses such a change without a reason. */
  async function heldReasonFields(): Promise<string[] | undefined> {
    const held = (await db.meta.get('setting:companyPolicy'))?.value as { policy?: { reasonFields?: unknown } } | undefined;
    const fields = held?.policy?.reasonFields;
    return Array.isArray(fields) ? fields.filter((field): field is string => typeof field === 'string') : undefined;
  }

  async function mutate(mutation: Mutation): Promise<Result<{ cardId: string }>> {
    if (mutation === null || typeof mutation !== 'object' || typeof (mutation as { type?: unknown }).type !== 'string') {
      return fail('invalid-value', 'Not a mutation');
    }
    const cardId = mutation.type === 'card-create' ? ctx.newId() : mutation.cardId;
    if (typeof cardId !== 'string' || cardId.length === 0 || cardId.length > 100) return fail('unknown-card', 'No customer card with that id', 'cardId');
    const clientId = await ctx.deviceClientId();
    await ctx.classificationLoaded;
    await ctx.cutoffsLoaded;
    const reasonFields = await heldReasonFields();
    const mctx: MutationContext = { actor: ctx.actor(), now: ctx.now(), newId: ctx.newId, ...(reasonFields ? { reasonFields } : {}) };
    let needsPinyin = false;
    try {
      const result = await db.transaction('rw', [db.docs, db.packs, db.cards, db.pending], async () => {
        const [row] = await readStates(db, [cardId]);
        const outcome = runMutation(row, cardId, mutation, clientId, mctx);
        if (!outcome.done) return outcome.result;
        // The server takes no card over this size; refuse here, where the user sees why.
        if (outcome.state.byteLength > LIMITS.maxCardBytes && outcome.state.byteLength > (row?.state.byteLength ?? 0)) {
          const max = Math.round(LIMITS.maxCardBytes / 1024);
          return fail('card-full', `This card is full (at most ${max} KB); nothing was saved`, undefined, { max });
        }
        if (outcome.update.byteLength > 2) {
          const previous = await db.cards.get(cardId);
          await db.docs.put({ id: cardId, state: outcome.state, seq: row?.seq ?? 0 });
          const built = buildIndexRow(outcome.view, mctx.now, { abcDerived: previous?.abcDerived ?? '', stage: ctx.classification().stage });
          // Unchanged names keep their pinyin terms; new ones get theirs just after (loading
          // pinyin-pro only then: the side panel rarely needs it).
          if (built.pinyinSource) {
            if (previous?.pinyinSource === built.pinyinSource) built.pinyin = previous.pinyin;
            needsPinyin = !built.pinyin;
          }
          await db.cards.put(ctx.withClass(built));
          await db.pending.add({ cardId, update: outcome.update, createdAt: mctx.now });
        }
        return outcome.result;
      });
      if (result.ok && needsPinyin) await fillPinyin(cardId);
      // An order moves the card's 12-month purchases and so, maybe, the class cut-offs.
      if (result.ok && mutation.type === 'ledger-add') await upkeep.recomputeCutoffs();
      if (result.ok) ctx.announce([cardId]);
      return result;
    } catch (error) {
      return storageError(error);
    }
  }

  /** Loads pinyin-pro and writes the pinyin terms of a row that was stored without them. */
  async function fillPinyin(cardId: string): Promise<void> {
    await ensurePinyin();
    await db.transaction('rw', db.cards, async () => {
      const row = await db.cards.get(cardId);
      if (row && row.pinyinSource && !row.pinyin) await db.cards.put({ ...row, pinyin: pinyinTermsOf(row.pinyinSource) });
    });
    ctx.announce([cardId]);
  }

  async function importCards(seeds: CardSeed[]): Promise<Result<{ imported: number; ids: string[] }>> {
    const clientId = await ctx.deviceClientId();
    await ctx.classificationLoaded;
    const stage = ctx.classification().stage;
    let imported = 0;
    const made: string[] = [];
    const withoutPinyin: string[] = [];
    try {
      for (let start = 0; start < seeds.length; start += BATCH) {
        const batch = seeds.slice(start, start + BATCH);
        const ids: string[] = [];
        const failure = await db.transaction('rw', [db.docs, db.cards, db.pending], async () => {
          const docs: DocRow[] = [];
          const cards: CardIndexRow[] = [];
          const pending: { cardId: string; update: Uint8Array; createdAt: number }[] = [];
          for (const seed of batch) {
            const cardId = ctx.newId();
            const at = seed.at ?? ctx.now();
            const mctx: MutationContext = { actor: seed.actor ?? ctx.actor(), now: at, newId: ctx.newId };
            const doc = new Y.Doc({ gc: true, guid: cardId });
            doc.clientID = clientId;
            const created = applyMutation(doc, seed.create, mctx, cardId);
            if (!created.ok) return { ...created, message: `Card "${seed.create.name}": ${created.message}` };
            for (const step of seed.steps ?? []) {
              const stepAt = 'at' in step && typeof step.at === 'number' ? step.at : 'date' in step && typeof step.date === 'number' ? step.date : at;
              const result = applyMutation(doc, { ...step, cardId } as Mutation, { ...mctx, now: stepAt }, cardId);
              if (!result.ok) return { ...result, message: `Card "${seed.create.name}": ${result.message}` };
            }
            const state = Y.encodeStateAsUpdate(doc);
            docs.push({ id: cardId, state, seq: 0 });
            cards.push(buildIndexRow(readCard(doc, cardId), at, { stage }));
            pending.push({ cardId, update: state, createdAt: at });
            ids.push(cardId);
            doc.destroy();
          }
          await db.docs.bulkAdd(docs);
          await db.cards.bulkAdd(cards);
          await db.pending.bulkAdd(pending);
          for (const card of cards) if (card.pinyin === '' && card.pinyinSource !== '') withoutPinyin.push(card.id);
          return undefined;
        });
        if (failure) return failure;
        imported += ids.length;
        made.push(...ids);
        ctx.announce(ids);
      }
      await upkeep.refreshRows();
      if (withoutPinyin.length > 0) await upkeep.fillPinyin(withoutPinyin);
      return ok({ imported, ids: made });
    } catch (error) {
      return storageError(error);
    }
  }

  return { mutate, importCards };
}
