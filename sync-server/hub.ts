/**
 * The one path by which a change enters the server, and the fan-out of accepted changes to
 * every live connection. `acceptUpdate` checks the card id, the sender's rights (rights.ts via
 * custody.ts) and the update itself (in a worker with a time limit, update-checker.ts, which also
 * judges everything the update touches against the card's structure and rights), that its Yjs
 * client ids are the sender's (checks/client-ids.ts), commits the new state (the ACK may follow as soon as it
 * resolves), audits the write, then publishes the change. Changes are accepted one at a time, in
 * arrival order: each check starts from the state the previous change left; a card changed
 * meanwhile by another process (the admin CLI) is checked again. The server's own edits
 * (handover, approved proposals) take the same queue. Access changes are announced to every
 * connection, which then re-reads its rights and catches up with the log. Changes and access
 * changes made by other instances come in through `receive` / `announce(…, 'elsewhere')`
 * (fanout.ts) and reach the same listeners, in log order (feed-order.ts).
 */
import { isCardId } from '../shared/card-id.ts';
import type { Mutation } from '../shared/mutations-types.ts';
import { AccessClock } from './access-clock.ts';
import { AuditBatch } from './audit-batch.ts';
import { claimWriters } from './checks/client-ids.ts';
import { editStoredCard, type EditResult } from './card-edit.ts';
import { INDEX_ROW_VERSION } from './card-row.ts';
import { Custody } from './custody.ts';
import { FeedOrder } from './feed-order.ts';
import { STORE_UNAVAILABLE_MESSAGE, storeUnavailable } from './store-errors.ts';
import { canChangeControlled, canCreate, canWrite, type Principal } from '../shared/rights/rights.ts';
import type { Storage } from './storage.ts';
import type { UpdateChecker } from './update-checker.ts';

export interface CardChange {
  cardId: string;
  seq: number;
  update: Uint8Array;
  owner: string;
  /** Who delivered it (a connection or a room), so it is not echoed back there. */
  origin: unknown;
}

/** Who sends: the signed-in user (as of this frame) and their token's hash prefix, for the audit. */
export interface Session {
  user: Principal;
  token: string;
}

/** The origin of a change another instance stored (it reached this one through the fan-out). */
export const ELSEWHERE = Symbol('another instance');

export interface HubListener {
  /** A change stored by this process, or by another instance (origin ELSEWHERE). */
  change(change: CardChange): void;
  /**
   * Rights may have changed, or the log grew through another process: re-read and catch up.
   * `source`: 'here' when this process made the access change, else 'elsewhere'.
   */
  feedMoved(kind: 'access' | 'log', source: 'here' | 'elsewhere'): void;
}

export type Accepted = { ok: true; seq: number; changed: boolean } | { ok: false; code: string; message: string };

/** The store cannot be reached: nothing was stored (the connection is closed with STORE_UNAVAILABLE). */
const STORE_UNAVAILABLE = { ok: false, code: 'store-unavailable', message: STORE_UNAVAILABLE_MESSAGE } as const;
const REFUSED: Accepted = { ok: false, code: 'not-found', message: 'No such card, or no right to change it' };
/** Checks of one change against a card other writers keep changing, before it is refused as busy. */
const MAX_ATTEMPTS = 8;

export class Hub {
  private readonly listeners = new Set<HubListener>();
  /** The highest seq this process stored and published. */
  lastPublishedSeq = 0;
  /** Changes to the listeners in log order (feed-order.ts). */
  private readonly order = new FeedOrder<CardChange>((change) => this.emit(change));
  private tail: Promise<unknown> = Promise.resolve();
  readonly custody: Custody;
  /** Reads of live changes, written to the audit in batches. */
  readonly audits: AuditBatch;
  /** Ends loans at their end time for open connections (access-clock.ts). */
  readonly accessClock = new AccessClock(() => this.custody.endDue());

  constructor(
    readonly storage: Storage,
    private readonly checker: UpdateChecker,
  ) {
    this.custody = new Custody(storage, (cardId, actor, mutation) => this.editCard(cardId, actor, mutation), () => this.announce('access', 'here'));
    this.audits = new AuditBatch(storage);
    storage.maxSeq().then(
      (top) => this.order.start(top),
      // Unknown: changes go out as they come, and connections catch up on gaps.
      (error: unknown) => console.error('sync-server: could not read the log top', error),
    );
  }

  subscribe(listener: HubListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Tells every connection to re-read its rights ('access') or catch up with the log ('log'). */
  announce(kind: 'access' | 'log', source: 'here' | 'elsewhere' = 'elsewhere'): void {
    for (const listener of this.listeners) {
      try {
        listener.feedMoved(kind, source);
      } catch (error) {
        console.error('sync-server: a listener failed', error);
      }
    }
  }

  acceptUpdate(session: Session, cardId: string, update: Uint8Array, origin: unknown): Promise<Accepted> {
    return this.queued(() => this.accept(session, cardId, update, origin), { ok: false, code: 'server-error', message: 'The server could not store this change; it was not saved' });
  }

  /** A change the server makes itself (custody.ts), in the same queue as devices' changes. */
  editCard(cardId: string, actor: string, mutation: Mutation): Promise<EditResult> {
    return this.queued(
      async () => {
        const result = await editStoredCard(this.storage, cardId, actor, mutation);
        if (result.ok && result.changed) this.publish({ cardId, seq: result.seq, update: result.update, owner: result.owner, origin: this });
        return result;
      },
      { ok: false, code: 'server-error', message: 'The server could not store this change' },
    );
  }

  private queued<T>(job: () => Promise<T>, onError: T): Promise<T> {
    const result = this.tail.then(job);
    this.tail = result.catch(() => undefined);
    return result.catch((error: unknown) => {
      console.error('sync-server: a change could not be stored', error);
      return storeUnavailable(error) ? (STORE_UNAVAILABLE as T) : onError;
    });
  }

  /** A change another instance stored (told by the fan-out): to the listeners, as a local one. */
  receive(change: Omit<CardChange, 'origin'>): void {
    this.publish({ ...change, origin: ELSEWHERE });
  }

  /** Stops holding changes back and writes the reads waiting for the audit (the server is closing). */
  close(): Promise<void> {
    this.accessClock.stop();
    this.order.flush();
    return this.audits.flush();
  }

  private publish(change: CardChange): void {
    this.lastPublishedSeq = Math.max(this.lastPublishedSeq, change.seq);
    this.order.push(change);
  }

  private emit(change: CardChange): void {
    for (const listener of this.listeners) {
      try {
        listener.change(change);
      } catch (error) {
        console.error('sync-server: a listener failed', error);
      }
    }
  }

  private async accept(session: Session, cardId: string, update: Uint8Array, origin: unknown): Promise<Accepted> {
    if (!isCardId(cardId)) return { ok: false, code: 'bad-card-id', message: 'Card ids are UUIDs' };
    const { user } = session;
    // Another process (an instance, the admin CLI) may change the card while the check runs:
    // the save then stores nothing (it names the card as read) and the check runs again.
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      // After a miss, a short random pause, so two instances retrying one card fall out of step.
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
      const card = await this.storage.getCard(cardId);
      const facts = card ? await this.custody.factsOf(card) : { id: cardId, owner: user.name, ownerTeam: user.team };
      const loans = card ? await this.storage.activeLoans({ cardId }, Date.now()) : [];
      // Someone else's card and a card that does not exist look the same to the sender.
      if (card ? !canWrite(user, facts, loans) : !canCreate(user)) return REFUSED;
      const rules = { author: user.name, controlled: canChangeControlled(user, facts), owner: facts.owner };
      const check = await this.checker.check(card?.state, update, cardId, rules);
      if (!check.ok) return check;
      const foreign = await claimWriters(this.storage, check.writers, user.name, session.token, check.storedAuthors);
      if (foreign) return foreign;
      if (!check.changed && card) {
        const now = await this.storage.getCard(cardId);
        if (now?.seq !== card.seq || now.owner !== card.owner) continue;
        return { ok: true, seq: card.seq, changed: false };
      }
      const expected = card ? { seq: card.seq, owner: card.owner } : null;
      // The card and its audit entry in one commit (one disk flush per write, not two).
      const seq = await this.storage.transaction(async (tx) => {
        const saved = await tx.saveCard(cardId, check.state, user.name, update.byteLength, check.row, INDEX_ROW_VERSION, expected);
        if (saved !== undefined) await tx.audit([{ at: Date.now(), user: user.name, token: session.token, action: card ? 'write' : 'create', cardId, detail: check.fields.join(', ') }]);
        return saved;
      });
      if (seq === undefined) continue;
      this.publish({ cardId, seq, update, owner: facts.owner, origin });
      return { ok: true, seq, changed: true };
    }
    return { ok: false, code: 'busy', message: 'The card kept changing while this change was checked; it will be sent again' };
  }
}
