/**
 * Cards made on this device before its first sign-in name a placeholder as their owner and as
 * the author of their records ('me', or the name typed in the settings). The server accepts a
 * new card only when it is owned by the signed-in user and every record names them, so these
 * cards would be refused for good. At the first sign-in, the cards no server has seen yet (no
 * server seq) are claimed for the account: their owner, creator, change records, timeline and
 * ledger entries that name a placeholder now name the user. Other names stay (a restored backup
 * keeps its authors). Each claimed card's outbox entries (its own records and its place in an
 * import's outbox pack) become one whole state, which the server checks as a new card.
 *
 * Before the first sign-in every field may be edited (the device is its own user's), but a rep
 * may not set the manager-only fields (approved and manager's limits, rating, class and stage
 * overrides): the server would refuse the whole new card. For a user who may not set them, the
 * claim takes those values and their change records off the card and returns them as proposals
 * to the manager (queued by the caller, sent once the card is on the server), so nothing shown
 * as saved is refused and nothing is dropped.
 */
import * as Y from 'yjs';
import type { CardIndexRow } from '../../shared/card-types.ts';
import { readCard } from '../../shared/card-read.ts';
import type { FieldValue } from '../../shared/card-types.ts';
import { CARD_KEY, ROOT } from '../../shared/doc-layout.ts';
import { cardKeyRule } from '../../shared/rights/card-structure.ts';
import { buildIndexRow } from '../../shared/index-row.ts';
import { packEntry, type DocRow } from './db.ts';
import { dropFromPacks } from './outbox-packs.ts';
import type { StoreContext } from './store-context.ts';

/** A manager-only value set on this device before sign-in, to be proposed instead. */
export interface ClaimedProposal {
  kind: 'propose';
  cardId: string;
  field: string;
  value: FieldValue;
  reason: string;
}

export interface LocalClaim {
  /**
   * Claims the never-synced cards for `user`, replacing `placeholders`. `controlled` false (a
   * rep): manager-only values come off the cards and are returned as proposals.
   */
  claimLocalCards(user: string, placeholders: readonly string[], options?: { controlled?: boolean }): Promise<{ claimed: number; proposals: ClaimedProposal[] }>;
}

/** The reason a proposal gives when the edit had none (every controlled edit asks for one). */
export const CLAIM_REASON = 'Set on this device before signing in';

/**
 * Takes the manager-only values off a never-synced card (with every change record of them) and
 * returns them: the card goes to the server without them, the values as proposals.
 */
export function takeControlledFields(doc: Y.Doc): { field: string; value: FieldValue; reason: string }[] {
  const taken: { field: string; value: FieldValue; reason: string }[] = [];
  doc.transact(() => {
    const card = doc.getMap<FieldValue>(ROOT.card);
    const history = doc.getArray<Record<string, unknown>>(ROOT.history);
    const controlled = (target: unknown) => typeof target === 'string' && cardKeyRule(target) === 'manager';
    const reasons = new Map<string, string>();
    for (const record of history.toArray()) if (record && controlled(record.target) && typeof record.reason === 'string' && record.reason.trim()) reasons.set(String(record.target), record.reason.trim());
    for (const [key, value] of [...card.entries()]) {
      if (!controlled(key)) continue;
      card.delete(key);
      if (value !== null && value !== '' && value !== undefined) taken.push({ field: key, value, reason: reasons.get(key) ?? CLAIM_REASON });
    }
    for (let i = history.length - 1; i >= 0; i--) if (controlled(history.get(i)?.target)) history.delete(i, 1);
  });
  return taken;
}

/** Rewrites the card's placeholder names to `user`; true if anything changed. */
export function claimDoc(doc: Y.Doc, user: string, placeholders: readonly string[]): boolean {
  const stands = (name: unknown) => typeof name === 'string' && name !== user && placeholders.includes(name);
  let changed = false;
  doc.transact(() => {
    const card = doc.getMap(ROOT.card);
    for (const key of [CARD_KEY.owner, CARD_KEY.createdBy]) {
      if (stands(card.get(key))) {
        card.set(key, user);
        changed = true;
      }
    }
    // Change records are plain values in an array: a record is replaced where it stands.
    const history = doc.getArray<Record<string, unknown>>(ROOT.history);
    for (let i = 0; i < history.length; i++) {
      const record = history.get(i);
      if (record && typeof record === 'object' && stands(record.by)) {
        history.delete(i, 1);
        history.insert(i, [{ ...record, by: user }]);
        changed = true;
      }
    }
    for (const root of [ROOT.timeline, ROOT.ledger]) {
      for (const entry of doc.getMap<unknown>(root).values()) {
        if (entry instanceof Y.Map && stands(entry.get('by'))) {
          entry.set('by', user);
          changed = true;
        }
      }
    }
  });
  return changed;
}

export function createLocalClaim(ctx: StoreContext): LocalClaim {
  const { db } = ctx;
  return {
    async claimLocalCards(user, placeholders, options = {}) {
      const proposals: ClaimedProposal[] = [];
      if (!user || placeholders.length === 0) return { claimed: 0, proposals };
      await ctx.classificationLoaded;
      const claimed = await db.transaction('rw', [db.docs, db.packs, db.cards, db.pending], async () => {
        // Cards from a server carry its seq (and a first sync's packs always do): only seq 0 was
        // made here, by an edit (docs) or by an import or a restore (packs, where a docs row wins).
        const rows = (await db.docs.filter((row) => row.seq === 0).toArray()) as DocRow[];
        const inDocs = new Set((await db.docs.toCollection().primaryKeys()) as string[]);
        await db.packs.each((pack) =>
          pack.seqs.forEach((seq, i) => {
            if (seq === 0 && !inDocs.has(pack.cardIds[i]!)) rows.push(packEntry(pack, i));
          }),
        );
        const now = ctx.now();
        const ids: string[] = [];
        for (const row of rows) {
          const doc = ctx.loadDoc(row);
          const taken = options.controlled === false ? takeControlledFields(doc) : [];
          for (const item of taken) proposals.push({ kind: 'propose', cardId: row.id, ...item });
          if (claimDoc(doc, user, placeholders) || taken.length > 0) {
            const state = Y.encodeStateAsUpdate(doc);
            const previous = await db.cards.get(row.id);
            const index: CardIndexRow = buildIndexRow(readCard(doc, row.id), now, { abcDerived: previous?.abcDerived ?? '', stage: ctx.classification().stage });
            await db.docs.put({ ...row, state });
            await db.cards.put(ctx.withClass(index));
            await db.pending.where('cardId').equals(row.id).delete();
            await dropFromPacks(db, [row.id]);
            await db.pending.add({ cardId: row.id, update: state, createdAt: now, whole: true });
            ids.push(row.id);
          }
          doc.destroy();
        }
        return ids;
      });
      if (claimed.length > 0) ctx.announce(claimed);
      return { claimed: claimed.length, proposals };
    },
  };
}
