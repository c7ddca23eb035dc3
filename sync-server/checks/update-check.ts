/**
 * Never trust an update. An incoming Yjs update is applied to a scratch Y.Doc built from the
 * stored state, never to the stored state itself: a truncated or bit-flipped update can throw
 * half-way or be accepted silently, and one whose dependencies never arrive would sit as
 * pending state that every new client downloads. Only an update that applies cleanly and
 * leaves nothing pending is accepted; the result is the card's new compacted state and the
 * index row of that state (card-row.ts). A card's state may not exceed LIMITS.maxCardBytes: it
 * must fit one DOCS frame.
 *
 * Custody is checked on what the update touches, not on how the card looks afterwards: every
 * struct it adds and every stored struct it deletes is mapped to its path in the card
 * (shared/rights/update-touches.ts) and judged by the one structure-and-rights model
 * (shared/rights/card-structure.ts): the declared Yjs type at each path, who may set it, sealed
 * records, authors that name the sender, a change record for every changed field (with a reason
 * for the controlled fields and the company's reason fields, SenderRules.reasonFields); and, when the
 * ledger is touched, the credit rule (shared/rights/credit-rule.ts) on the card before and after. The check also
 * reports the Yjs client ids the update wrote under, which the hub matches to the sender's devices.
 */
import * as Y from 'yjs';
import { ROOT } from '../../shared/doc-layout.ts';
import { LIMITS } from '../../shared/sync/protocol.ts';
import { judgeTouches, type RefusalCode } from '../../shared/rights/card-structure.ts';
import { judgeCredit, standingOf, withMergedCopies } from '../../shared/rights/credit-rule.ts';
import { companyCreditFloor } from '../../shared/credit-floor.ts';
import { readCard, readCardState } from '../../shared/card-read.ts';
import { watchTouches } from '../../shared/rights/update-touches.ts';
import { rowOfDoc } from '../card-row.ts';
import { sameBytes, type DocCache } from './doc-cache.ts';

export type UpdateCheck =
  | {
      ok: true;
      state: Uint8Array;
      changed: boolean;
      row: string;
      /** The card-map keys and parts the update touched (for the audit). */
      fields: string[];
      /** Yjs client ids the update added structs under, and those of them the stored card already had. */
      writers: number[];
      continued: number[];
      /** For continued ids: the authors their stored change records name. */
      storedAuthors: Record<number, string[]>;
      /** When several updates were checked together: their merge, the one update that was applied. */
      merged?: Uint8Array;
    }
  | {
      ok: false;
      code: 'bad-update' | 'missing-dependencies' | 'card-too-large' | 'update-too-slow' | RefusalCode;
      message: string;
    };

/** What the sender may do (decided by shared/rights/rights.ts; plain data, it crosses to the check worker). */
export interface SenderRules {
  /** The signed-in user: every author, creator and record must name them. */
  author: string;
  /** May change the manager-only fields. */
  controlled: boolean;
  /** May merge the card or undo its merge (shared/rights/rights.ts `mayRetire`); false when not given. */
  keeper?: boolean;
  /** The card's owner (for a new card: the sender). */
  owner: string;
  /** The credit-rating floor (shared/credit-floor.ts); the company's when not given. */
  creditFloor?: string;
  /** The company's fields whose change needs a reason (policy `reasonFields`); the controlled fields always do. */
  reasonFields?: string[];
}

/**
 * `cardId` names the card, for its index row (computed only when the state changed); `rules`,
 * when given, are the sender's custody rules. `docs` (a check worker's): the card's doc from its
 * last accepted check, used only if it holds exactly `stored`, and kept again after an accepted
 * check instead of being decoded from the stored state next time (doc-cache.ts).
 */
export function checkUpdate(stored: Uint8Array | undefined, updates: Uint8Array | readonly Uint8Array[], cardId = '', rules?: SenderRules, docs?: DocCache): UpdateCheck {
  const run = updates instanceof Uint8Array ? [updates] : updates;
  const several = run.length > 1;
  const cached = stored && cardId && docs ? docs.take(cardId, stored) : undefined;
  const doc = cached ?? new Y.Doc({ gc: true, guid: cardId || undefined });
  let kept = false;
  try {
    if (stored && !cached) Y.applyUpdate(doc, stored);
    const watched = rules ? watchTouches(doc, !stored) : undefined;
    // A run of one sender's updates is applied in one transaction, so it is checked as one change
    // (the watch sees one transaction, as it would a merged update); what the run added is the
    // transaction's own update, as Yjs encodes it for its 'update' event (cheaper than
    // Y.mergeUpdates, which decodes and re-encodes every update), or for a new card the state
    // itself (all of it is the run's). Here, in the check's worker under its time limit: a
    // crafted update can make Yjs spin (yjs#687).
    let merged: Uint8Array | undefined;
    const onUpdate = (update: Uint8Array) => void (merged = update);
    if (several && stored) doc.on('update', onUpdate);
    let failed: unknown;
    try {
      if (several) doc.transact(() => run.forEach((update) => Y.applyUpdate(doc, update)));
      else Y.applyUpdate(doc, run[0]!);
    } catch (error) {
      failed = error;
    } finally {
      // What the run did is collected; a doc kept for the next check carries no listener along.
      watched?.stop();
      doc.off('update', onUpdate);
    }
    if (failed !== undefined) return { ok: false, code: 'bad-update', message: `The update could not be applied (${failed instanceof Error ? failed.message : 'error'})` };
    if (doc.store.pendingStructs !== null || doc.store.pendingDs !== null) {
      return { ok: false, code: 'missing-dependencies', message: 'The update depends on changes the server does not have' };
    }
    const touched = watched?.result();
    if (rules && touched) {
      const verdict = judgeTouches(touched.touches, { user: rules.author, write: true, controlled: rules.controlled, keeper: rules.keeper === true, ...(rules.reasonFields ? { reasonFields: rules.reasonFields } : {}) }, !stored);
      if (!verdict.ok) return verdict;
      // Credit control is a rule on the whole card: judged only when the ledger was touched.
      if (!rules.controlled && touched.touches.some(({ path }) => path[0] === ROOT.ledger)) {
        const after = readCard(doc, cardId);
        const before = stored ? readCardState(stored, cardId) : undefined;
        const credit = judgeCredit(before ? standingOf(withMergedCopies(before, after)) : undefined, standingOf(after), false, rules.creditFloor ?? companyCreditFloor());
        if (!credit.ok) return credit;
      }
    }
    // Stored states are always this encoding, so equal bytes mean the update added nothing.
    const state = Y.encodeStateAsUpdate(doc);
    const changed = !stored || !sameBytes(state, stored);
    if (changed && state.byteLength > LIMITS.maxCardBytes) {
      return { ok: false, code: 'card-too-large', message: `The card would exceed ${Math.round(LIMITS.maxCardBytes / 1024)} KB, the most a card may hold; the change was refused` };
    }
    const fields = touched ? [...new Set(touched.touches.map(({ path }) => (path[0] === ROOT.card ? path[1]! : path[0]!)))] : [];
    const row = changed ? safeRow(doc, cardId) : '';
    if (docs && cardId) kept = docs.keep(cardId, state, doc);
    return { ok: true, state, changed, row, fields, writers: touched?.writers ?? [], continued: touched?.continued ?? [], storedAuthors: touched?.storedAuthors ?? {}, ...(several && (merged || !stored) ? { merged: merged ?? state } : {}) };
  } finally {
    if (!kept) doc.destroy();
  }
}

/** The state's index row, or '' (devices then build it) if the doc is not laid out as a card. */
function safeRow(doc: Y.Doc, cardId: string): string {
  try {
    return rowOfDoc(doc, cardId);
  } catch {
    return '';
  }
}

