/**
 * The one path by which a change enters the server, and the fan-out of accepted changes to
 * every live connection. `acceptUpdate` checks authorisation and the update itself, commits
 * the new state (the ACK may follow as soon as it returns), then publishes the change.
 */
import { canCreate, canWrite } from './acl.ts';
import { INDEX_ROW_VERSION } from './card-row.ts';
import type { Storage, User } from './storage.ts';
import { checkUpdate } from './update-check.ts';

export interface CardChange {
  cardId: string;
  seq: number;
  update: Uint8Array;
  owner: string;
  /** Who delivered it (a connection or a room), so it is not echoed back there. */
  origin: unknown;
}

export type Accepted = { ok: true; seq: number; changed: boolean } | { ok: false; code: string; message: string };

export class Hub {
  private readonly listeners = new Set<(change: CardChange) => void>();

  constructor(readonly storage: Storage) {}

  subscribe(listener: (change: CardChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  acceptUpdate(user: User, cardId: string, update: Uint8Array, origin: unknown): Accepted {
    const card = this.storage.getCard(cardId);
    // Someone else's card and a card that does not exist look the same to the sender.
    if (card ? !canWrite(user, card) : !canCreate(user)) return { ok: false, code: 'not-found', message: 'No such card, or no right to change it' };
    const check = checkUpdate(card?.state, update, cardId);
    if (!check.ok) return check;
    if (!check.changed && card) return { ok: true, seq: card.seq, changed: false };
    const seq = this.storage.saveCard(cardId, check.state, user.name, update.byteLength, check.row, INDEX_ROW_VERSION);
    const change: CardChange = { cardId, seq, update, owner: card?.owner ?? user.name, origin };
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (error) {
        console.error('sync-server: a listener failed', error);
      }
    }
    return { ok: true, seq, changed: true };
  }
}
