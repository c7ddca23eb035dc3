/**
 * Changes the server itself makes to a card's content: the owner field that mirrors a handover,
 * a controlled field set by an approved proposal. Each is one named mutation (shared/mutations.ts)
 * applied to the stored state, with its change record naming the user who decided it, stored
 * with a new seq. The server's own changes skip the device-update checks (it wrote them).
 */
import { randomUUID } from 'node:crypto';
import * as Y from 'yjs';
import { applyMutation } from '../../shared/mutations.ts';
import type { Mutation } from '../../shared/mutations-types.ts';
import { INDEX_ROW_VERSION, rowOfDoc } from '../card-row.ts';
import type { Storage, StoredCard } from '../storage/storage.ts';

export type EditResult = { ok: true; seq: number; update: Uint8Array; owner: string; changed: boolean } | { ok: false; code: string; message: string };

/**
 * Applies `mutation` to the stored card as `actor` and stores the result. A card changed by
 * another writer between the read and the save is read and edited again.
 */
export async function editStoredCard(storage: Storage, cardId: string, actor: string, mutation: Mutation, now = Date.now()): Promise<EditResult> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const card = await storage.getCard(cardId);
    if (!card) return { ok: false, code: 'not-found', message: 'No such card' };
    const result = await editOnce(storage, card, actor, mutation, now);
    if (result) return result;
  }
  return { ok: false, code: 'busy', message: 'The card kept changing; try again' };
}

/** One attempt: undefined when the card changed before the save. */
async function editOnce(storage: Storage, card: StoredCard, actor: string, mutation: Mutation, now: number): Promise<EditResult | undefined> {
  const cardId = card.id;
  const doc = new Y.Doc({ gc: true });
  try {
    Y.applyUpdate(doc, card.state);
    const before = Y.encodeStateVector(doc);
    const result = applyMutation(doc, mutation, { actor, now, newId: randomUUID }, cardId);
    if (!result.ok) return { ok: false, code: result.code, message: result.message };
    const update = Y.encodeStateAsUpdate(doc, before);
    // An update with no structs and no deletions is 2 bytes: the value was already there.
    if (update.byteLength <= 2) return { ok: true, seq: card.seq, update, owner: card.owner, changed: false };
    const state = Y.encodeStateAsUpdate(doc);
    const seq = await storage.saveCard(cardId, state, actor, update.byteLength, rowOfDoc(doc, cardId, now), INDEX_ROW_VERSION, { seq: card.seq, owner: card.owner });
    return seq === undefined ? undefined : { ok: true, seq, update, owner: card.owner, changed: true };
  } finally {
    doc.destroy();
  }
}
