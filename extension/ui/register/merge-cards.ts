/**
 * Merging two cards through the store's named mutations (shared/merge/card-merge.ts): first the
 * kept card takes the copies (harmless if the rest fails), then the other card is retired; an
 * undo goes the same way round. Each step is an ordinary recorded edit the server judges.
 */
import type { MergeFacts } from '../../../shared/card-types.ts';
import { fail, ok, type Result } from '../../../shared/errors.ts';
import { mergeSourceOf } from '../../../shared/merge/card-merge.ts';
import type { CardStoreApi } from '../../store/api.ts';

type Store = Pick<CardStoreApi, 'getCard' | 'mutate'>;

export async function mergeCards(store: Store, keepId: string, retireId: string): Promise<Result<MergeFacts>> {
  const [keep, retire] = await Promise.all([store.getCard(keepId), store.getCard(retireId)]);
  if (!keep || !retire) return fail('unknown-card', 'One of the two cards is not on this device', 'cardId');
  const facts: MergeFacts = { id: crypto.randomUUID(), from: retireId, fromName: String(retire.fields.name ?? ''), into: keepId, intoName: String(keep.fields.name ?? '') };
  const copied = await store.mutate({ type: 'card-merge', cardId: keepId, mergeId: facts.id, source: mergeSourceOf(retire) });
  if (!copied.ok) return copied;
  const retired = await store.mutate({ type: 'card-merge-retire', cardId: retireId, merge: facts });
  if (!retired.ok) {
    await store.mutate({ type: 'card-merge-undo', cardId: keepId, mergeId: facts.id });
    return retired;
  }
  return ok(facts);
}

/** Undoes a merge on both cards (either may have been undone already: that side is skipped). */
export async function undoMerge(store: Store, facts: MergeFacts): Promise<Result<MergeFacts>> {
  for (const cardId of [facts.into, facts.from]) {
    const undone = await store.mutate({ type: 'card-merge-undo', cardId, mergeId: facts.id });
    if (!undone.ok && undone.code !== 'merge-undone') return undone;
  }
  return ok(facts);
}
