/**
 * The one path by which a change enters the server, and the fan-out of accepted changes to
 * every live connection. `acceptUpdate` checks the card id, authorisation and the update itself
 * (in a worker with a time limit, update-checker.ts), commits the new state (the ACK may follow
 * as soon as it resolves), then publishes the change. Changes are accepted one at a time, in
 * arrival order: each check starts from the state the previous change left.
 */
import { isCardId } from '../shared/card-id.ts';
import { canCreate, canWrite } from './acl.ts';
import { INDEX_ROW_VERSION } from './card-row.ts';
import type { Storage, User } from './storage.ts';
import type { UpdateChecker } from './update-checker.ts';

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
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    readonly storage: Storage,
    private readonly checker: UpdateChecker,
  ) {}

  subscribe(listener: (change: CardChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  acceptUpdate(user: User, cardId: string, update: Uint8Array, origin: unknown): Promise<Accepted> {
    const result = this.tail.then(() => this.accept(user, cardId, update, origin));
    this.tail = result.catch(() => undefined);
    return result.catch((error: unknown) => {
      console.error('sync-server: a change could not be stored', error);
      return { ok: false, code: 'server-error', message: 'The server could not store this change; it was not saved' };
    });
  }

  private async accept(user: User, cardId: string, update: Uint8Array, origin: unknown): Promise<Accepted> {
    if (!isCardId(cardId)) return { ok: false, code: 'bad-card-id', message: 'Card ids are UUIDs' };
    const card = this.storage.getCard(cardId);
    // Someone else's card and a card that does not exist look the same to the sender.
    if (card ? !canWrite(user, card) : !canCreate(user)) return { ok: false, code: 'not-found', message: 'No such card, or no right to change it' };
    const check = await this.checker.check(card?.state, update, cardId);
    if (!check.ok) return check;
    // The card may have changed while the check ran only through this queue, so `card` holds.
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
