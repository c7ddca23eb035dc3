/**
 * Never trust an update. An incoming Yjs update is applied to a scratch Y.Doc built from the
 * stored state, never to the stored state itself: a truncated or bit-flipped update can throw
 * half-way or be accepted silently, and one whose dependencies never arrive would sit as
 * pending state that every new client downloads. Only an update that applies cleanly and
 * leaves nothing pending is accepted; the result is the card's new compacted state and the
 * index row of that state (card-row.ts). A card's state may not exceed LIMITS.maxCardBytes: it
 * must fit one DOCS frame.
 */
import * as Y from 'yjs';
import { LIMITS } from '../shared/sync/protocol.ts';
import { rowOfDoc } from './card-row.ts';

export type UpdateCheck =
  | { ok: true; state: Uint8Array; changed: boolean; row: string }
  | { ok: false; code: 'bad-update' | 'missing-dependencies' | 'card-too-large' | 'update-too-slow'; message: string };

/** `cardId` names the card, for its index row (computed only when the state changed). */
export function checkUpdate(stored: Uint8Array | undefined, update: Uint8Array, cardId = ''): UpdateCheck {
  const doc = new Y.Doc({ gc: true });
  try {
    if (stored) Y.applyUpdate(doc, stored);
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
    // Stored states are always this encoding, so equal bytes mean the update added nothing.
    const state = Y.encodeStateAsUpdate(doc);
    const changed = !stored || !sameBytes(state, stored);
    if (changed && state.byteLength > LIMITS.maxCardBytes) {
      return { ok: false, code: 'card-too-large', message: `The card would exceed ${Math.round(LIMITS.maxCardBytes / 1024)} KB, the most a card may hold; the change was refused` };
    }
    return { ok: true, state, changed, row: changed ? safeRow(doc, cardId) : '' };
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
