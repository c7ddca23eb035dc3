/**
 * A check worker's last few cards as Y.Docs (update-check-worker.ts), so a card checked again
 * soon — a burst of changes to one card — is not decoded from its stored state every time.
 * Owns those docs. A doc is handed out only for the exact stored state it holds (the bytes its
 * last accepted check produced, compared in full) and is out of the cache while a check uses
 * it: a check that fails or is refused never puts its doc back, so no refused change survives
 * in one, and a state stored by anyone else (another instance, a custody edit) is decoded afresh.
 */
import { Buffer } from 'node:buffer';
import type * as Y from 'yjs';

/** Cards kept per worker: a burst's cards, not a whole book (kept docs cost the collector). */
export const KEPT_DOCS = 16;
/**
 * Smaller states are not kept: decoding a small card again costs less than the collector's work
 * on a kept doc (measured: 200 small new cards a round ran slower with every one kept).
 */
export const KEPT_FROM_BYTES = 8 * 1024;

export class DocCache {
  private readonly docs = new Map<string, { state: Uint8Array; doc: Y.Doc }>();

  constructor(
    private readonly size = KEPT_DOCS,
    private readonly fromBytes = KEPT_FROM_BYTES,
  ) {}

  /** The card's doc if it holds exactly `stored`, taken out of the cache (give it back with `keep`). */
  take(cardId: string, stored: Uint8Array): Y.Doc | undefined {
    const entry = this.docs.get(cardId);
    if (!entry) return undefined;
    this.docs.delete(cardId);
    if (sameBytes(entry.state, stored)) return entry.doc;
    entry.doc.destroy();
    return undefined;
  }

  /**
   * Keeps `doc`, which holds exactly `state`, for the card's next check (the oldest goes past the
   * size); false when the state is too small to be worth it (the caller destroys the doc).
   */
  keep(cardId: string, state: Uint8Array, doc: Y.Doc): boolean {
    const old = this.docs.get(cardId);
    this.docs.delete(cardId);
    if (old && old.doc !== doc) old.doc.destroy();
    if (state.byteLength < this.fromBytes) return false;
    this.docs.set(cardId, { state, doc });
    for (const [id, entry] of this.docs) {
      if (this.docs.size <= this.size) break;
      this.docs.delete(id);
      entry.doc.destroy();
    }
    return true;
  }

  get count(): number {
    return this.docs.size;
  }
}

/** Byte for byte (memcmp: a card's state is tens of KB, compared at every check). */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}
