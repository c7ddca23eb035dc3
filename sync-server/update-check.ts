/**
 * Never trust an update. An incoming Yjs update is applied to a scratch Y.Doc built from the
 * stored state, never to the stored state itself: a truncated or bit-flipped update can throw
 * half-way or be accepted silently, and one whose dependencies never arrive would sit as
 * pending state that every new client downloads. Only an update that applies cleanly and
 * leaves nothing pending is accepted; the result is the card's new compacted state and the
 * index row of that state (card-row.ts). A card's state may not exceed LIMITS.maxCardBytes: it
 * must fit one DOCS frame.
 *
 * Custody (rights.ts) is checked on the same scratch copy, before and after: a sender who may
 * not change controlled fields must leave them as they were; no update may change the owner
 * field (it mirrors the server's owner; a new card names its creator or no one); and every
 * change record, timeline entry and ledger entry the update adds must name the sender.
 */
import * as Y from 'yjs';
import { ROOT } from '../shared/doc-layout.ts';
import { LIMITS } from '../shared/sync/protocol.ts';
import { rowOfDoc } from './card-row.ts';
import { CONTROLLED_KEYS, OWNER_KEY } from '../shared/rights/rights.ts';

export type UpdateCheck =
  | { ok: true; state: Uint8Array; changed: boolean; row: string; fields: string[] }
  | {
      ok: false;
      code: 'bad-update' | 'missing-dependencies' | 'card-too-large' | 'update-too-slow' | 'controlled-field' | 'owner-field' | 'wrong-author';
      message: string;
    };

/** What the sender may do: who they are, whether they may change controlled fields, the card's owner. */
export interface SenderRules {
  author: string;
  controlled: boolean;
  owner: string;
}

/** The `by` of every record and entry an update adds, and the card-map keys it touches. */
function watchChanges(doc: Y.Doc): { authors: Set<unknown>; keys: Set<string> } {
  const authors = new Set<unknown>();
  const keys = new Set<string>();
  doc.getArray(ROOT.history).observe((event) => {
    for (const item of event.changes.added) for (const record of item.content.getContent()) authors.add((record as { by?: unknown } | null)?.by);
  });
  for (const root of [ROOT.timeline, ROOT.ledger]) {
    doc.getMap(root).observeDeep((events) => {
      for (const event of events) {
        if (event.target === event.currentTarget) {
          for (const [key, change] of (event as Y.YMapEvent<unknown>).changes.keys) {
            if (change.action === 'delete') continue;
            const entry = (event.target as Y.Map<unknown>).get(key);
            authors.add(entry instanceof Y.Map ? entry.get('by') : undefined);
          }
        } else if ((event as Y.YMapEvent<unknown>).keysChanged.has('by')) authors.add((event.target as Y.Map<unknown>).get('by'));
      }
    });
  }
  doc.getMap(ROOT.card).observe((event) => {
    for (const key of event.keysChanged) keys.add(key);
  });
  for (const root of [ROOT.contacts, ROOT.timeline, ROOT.ledger]) doc.getMap(root).observeDeep(() => keys.add(root));
  return { authors, keys };
}

function custodyRefusal(before: Map<string, unknown>, doc: Y.Doc, rules: SenderRules, isNew: boolean, authors: Set<unknown>): Extract<UpdateCheck, { ok: false }> | undefined {
  const card = doc.getMap(ROOT.card);
  const same = (key: string) => JSON.stringify(before.get(key)) === JSON.stringify(card.get(key));
  if (!rules.controlled) {
    const changed = CONTROLLED_KEYS.filter((key) => !same(key));
    if (changed.length > 0) return { ok: false, code: 'controlled-field', message: `Only a manager of the card's team may change ${changed.join(', ')}: propose the change instead` };
  }
  const owner = card.get(OWNER_KEY);
  if (isNew ? owner !== undefined && owner !== rules.owner : !same(OWNER_KEY)) {
    return { ok: false, code: 'owner-field', message: 'The owner changes only by handover' };
  }
  for (const author of authors) {
    if (author !== rules.author) return { ok: false, code: 'wrong-author', message: `Every record must name the signed-in user (${rules.author})` };
  }
  return undefined;
}

/**
 * `cardId` names the card, for its index row (computed only when the state changed); `rules`,
 * when given, are the sender's custody rules.
 */
export function checkUpdate(stored: Uint8Array | undefined, update: Uint8Array, cardId = '', rules?: SenderRules): UpdateCheck {
  const doc = new Y.Doc({ gc: true, guid: cardId || undefined });
  try {
    if (stored) Y.applyUpdate(doc, stored);
    const before = new Map(doc.getMap(ROOT.card).entries());
    const watched = rules ? watchChanges(doc) : undefined;
    let failed: unknown;
    try {
      Y.applyUpdate(doc, update);
    } catch (error) {
      failed = error;
    }
    if (failed !== undefined) return { ok: false, code: 'bad-update', message: `The update could not be applied (${failed instanceof Error ? failed.message : 'error'})` };
    if (doc.store.pendingStructs !== null || doc.store.pendingDs !== null) {
      return { ok: false, code: 'missing-dependencies', message: 'The update depends on changes the server does not have' };
    }
    if (rules && watched) {
      const refusal = custodyRefusal(before, doc, rules, !stored, watched.authors);
      if (refusal) return refusal;
    }
    // Stored states are always this encoding, so equal bytes mean the update added nothing.
    const state = Y.encodeStateAsUpdate(doc);
    const changed = !stored || !sameBytes(state, stored);
    if (changed && state.byteLength > LIMITS.maxCardBytes) {
      return { ok: false, code: 'card-too-large', message: `The card would exceed ${Math.round(LIMITS.maxCardBytes / 1024)} KB, the most a card may hold; the change was refused` };
    }
    return { ok: true, state, changed, row: changed ? safeRow(doc, cardId) : '', fields: watched ? [...watched.keys] : [] };
  } finally {
    doc.destroy();
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

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}
