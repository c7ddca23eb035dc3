/**
 * The one path by which a change enters the server, and the fan-out of accepted changes to
 * every live connection. `acceptUpdate` checks the card id, the sender's rights (rights.ts via
 * custody.ts) and the update itself (in a worker with a time limit, update-checker.ts, which also
 * judges everything the update touches against the card's structure and rights), that its Yjs
 * client ids are the sender's (checks/client-ids.ts), commits the new state (the ACK may follow
 * as soon as it resolves), audits the write, then publishes the change. A card's changes are
 * accepted one at a time, in arrival order: each check starts from the state the previous change
 * left; a card changed meanwhile by another process (an instance, the admin CLI) is checked
 * again. Different cards do not wait for each other: their checks run in parallel in the check
 * pool (in per-user fair queues) and their commits are batched (group-commit.ts: one transaction
 * and one log range for many changes; the ACK follows the batch's commit). The server's own edits
 * (handover, approved proposals) take the card's queue too. Access changes are announced to every
 * connection, which then re-reads its rights and catches up with the log. Changes and access
 * changes made by other instances come in through `receive` / `announce(…, 'elsewhere')`
 * (fanout.ts) and reach the same listeners, in log order (feed-order.ts). Every published change
 * marks its card for the company's ABC cut-offs (company-classes.ts), whose moves go to the
 * listeners (`classesMoved`), as do custody notices (`custodyNotice`: loans, proposals).
 */
import { isCardId } from '../../shared/card-id.ts';
import type { Mutation } from '../../shared/mutations-types.ts';
import { AccessClock } from '../custody/access-clock.ts';
import { AuditBatch } from './audit-batch.ts';
import { CardQueues, type QueuedUpdate } from './card-queue.ts';
import { claimWriters } from '../checks/client-ids.ts';
import { Drain } from '../endpoints/drain.ts';
import { editStoredCard, type EditResult } from './card-edit.ts';
import { INDEX_ROW_VERSION } from '../card-row.ts';
import { Custody, type CustodyNotice } from '../custody/custody.ts';
import type { CompanyCutoffs } from '../custody/company-classes.ts';
import { FeedOrder } from './feed-order.ts';
import { GroupCommit } from '../storage/group-commit.ts';
import { STORE_UNAVAILABLE_MESSAGE, storeUnavailable } from '../storage/store-errors.ts';
import { canChangeControlled, canCreate, canWrite, mayRetire, type Principal } from '../../shared/rights/rights.ts';
import type { Storage } from '../storage/storage.ts';
import type { UpdateChecker } from '../checks/update-checker.ts';

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
  /** The company's ABC cut-offs moved (company-classes.ts): cut-offs only, for every connection. */
  classesMoved?(cutoffs: CompanyCutoffs): void;
  /** A loan or proposal changed on a card without an access change (custody.ts `CustodyNotice`). */
  custodyNotice?(notice: CustodyNotice, source: 'here' | 'elsewhere'): void;
}

export type Accepted = { ok: true; seq: number; changed: boolean } | { ok: false; code: string; message: string };

/** The store cannot be reached: nothing was stored (the connection is closed with STORE_UNAVAILABLE). */
const STORE_UNAVAILABLE = { ok: false, code: 'store-unavailable', message: STORE_UNAVAILABLE_MESSAGE } as const;
const REFUSED: Accepted = { ok: false, code: 'not-found', message: 'No such card, or no right to change it' };
const REFUSALS_AUDITED_PER_SECOND = 10;
const SERVER_ERROR: Accepted = { ok: false, code: 'server-error', message: 'The server could not store this change; it was not saved' };
/** Refusals that say nothing about the change itself: the merged run is answered with them as a whole. */
const RETRY_LATER = new Set(['busy', 'server-error', 'store-unavailable']);

/** A change waiting in its card's queue. */
interface Waiting extends QueuedUpdate {
  session: Session;
  resolve(result: Accepted): void;
}

/** Runs `job`; a failure is logged and answered with `onError` (or store-unavailable when the store is away). */
async function guarded<T>(job: () => Promise<T>, onError: T): Promise<T> {
  try {
    return await job();
  } catch (error) {
    console.error('sync-server: a change could not be stored', error);
    return storeUnavailable(error) ? (STORE_UNAVAILABLE as T) : onError;
  }
}

/**
 * Checks of one change against a card other writers (another instance) keep changing, before it
 * is refused as busy. Each round one writer wins, so the loser's turn comes; the pause between
 * tries grows, so two instances fall out of step.
 */
const MAX_ATTEMPTS = 32;

export class Hub {
  private readonly listeners = new Set<HubListener>();
  /** The highest seq this process stored and published. */
  lastPublishedSeq = 0;
  /** Changes to the listeners in log order (feed-order.ts). */
  private readonly order = new FeedOrder<CardChange>((change) => this.emit(change));
  /** Each card's waiting changes: a card's are taken one run at a time, cards side by side. */
  private readonly cards = new CardQueues<Waiting>((cardId, run) => this.acceptRun(cardId, run));
  /** Refusals audited per user in the current second. */
  private readonly refusalsAudited = new Map<string, { second: number; n: number }>();
  /** Accepted changes, committed in batches. */
  private readonly commits: GroupCommit;
  readonly custody: Custody;
  /** Reads of live changes, written to the audit in batches. */
  readonly audits: AuditBatch;
  /** Connections whose received frames are not all handled yet (a shutdown waits for them). */
  readonly drain = new Drain();
  /** Ends loans at their end time for open connections (access-clock.ts). */
  readonly accessClock = new AccessClock(() => this.custody.endDue());

  constructor(
    readonly storage: Storage,
    private readonly checker: UpdateChecker,
  ) {
    this.custody = new Custody(storage, (cardId, actor, mutation) => this.editCard(cardId, actor, mutation), () => this.announce('access', 'here'));
    this.custody.onNotice((notice) => this.notify(notice, 'here'));
    // Cut-offs that moved go to every connection (each instance computes them from the changes it publishes).
    this.custody.classes.subscribe((cutoffs) => this.each((listener) => listener.classesMoved?.(cutoffs)));
    this.audits = new AuditBatch(storage);
    this.commits = new GroupCommit(storage);
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

  /** The company policy's version, for every connection to compare (the policy's one cache, policy-service.ts). */
  async policyVersion(): Promise<number> {
    return (await this.custody.policy.current()).version;
  }

  /** Tells every connection to re-read its rights ('access') or catch up with the log ('log'). */
  announce(kind: 'access' | 'log', source: 'here' | 'elsewhere' = 'elsewhere'): void {
    // A policy change is announced as an access change: the policy is read again, before anyone is told.
    if (kind === 'access') this.custody.policy.invalidate();
    // The policy may have changed the classes' shares; a log moved elsewhere may hold orders.
    if (kind === 'access') this.custody.classes.policyMayHaveChanged();
    else this.custody.classes.readAgain();
    this.each((listener) => listener.feedMoved(kind, source));
  }

  /** Tells the connections concerned that a loan or proposal on a card changed ('elsewhere': another instance's). */
  notify(notice: CustodyNotice, source: 'here' | 'elsewhere' = 'elsewhere'): void {
    this.each((listener) => listener.custodyNotice?.(notice, source));
  }

  private each(call: (listener: HubListener) => void): void {
    for (const listener of this.listeners) {
      try {
        call(listener);
      } catch (error) {
        console.error('sync-server: a listener failed', error);
      }
    }
  }

  /**
   * Queues a change behind the card's earlier ones and resolves once it is committed (or
   * refused). The caller need not wait before queueing its next change: a connection's changes
   * to a card stay in order, and consecutive ones are checked and committed together.
   */
  acceptUpdate(session: Session, cardId: string, update: Uint8Array, origin: unknown): Promise<Accepted> {
    if (!isCardId(cardId)) return Promise.resolve({ ok: false, code: 'bad-card-id', message: 'Card ids are UUIDs' });
    return new Promise((resolve) => this.cards.update(cardId, { sender: `${session.user.name}\u0000${session.token}`, origin, update, session, resolve }));
  }

  /** A change the server makes itself (custody.ts), in the same queue as devices' changes. */
  editCard(cardId: string, actor: string, mutation: Mutation): Promise<EditResult> {
    return new Promise((resolve) =>
      this.cards.task(cardId, async () => {
        resolve(
          await guarded(
            async () => {
              const result = await editStoredCard(this.storage, cardId, actor, mutation);
              if (result.ok && result.changed) this.publish({ cardId, seq: result.seq, update: result.update, owner: result.owner, origin: this });
              return result;
            },
            { ok: false, code: 'server-error', message: 'The server could not store this change' },
          ),
        );
      }),
    );
  }

  /**
   * A run of one sender's consecutive updates to a card: checked and committed as one merged
   * change when there are several; if the merged change is refused, each is taken alone, so each
   * gets its own answer.
   */
  private async acceptRun(cardId: string, run: Waiting[]): Promise<void> {
    const first = run[0]!;
    if (run.length > 1) {
      // Merged in the check's worker, under its time limit, never here (a crafted update can make a merge spin).
      const updates = run.map((one) => one.update);
      const result = await guarded(() => this.accept(first.session, cardId, updates, first.origin, run.length), SERVER_ERROR);
      if (result.ok || RETRY_LATER.has(result.code)) {
        if (!result.ok) this.auditRefusal(first.session, cardId, result, run.length);
        for (const one of run) one.resolve(result);
        return;
      }
    }
    for (const one of run) {
      const result = await guarded(() => this.accept(one.session, cardId, one.update, one.origin, 1), SERVER_ERROR);
      if (!result.ok) this.auditRefusal(one.session, cardId, result, 1);
      one.resolve(result);
    }
  }

  /**
   * A refused change is audited with its reason (the sender may have closed already: this is
   * its only trace), at most REFUSALS_AUDITED_PER_SECOND per user (a hostile sender's stream of
   * bad updates must not flood the audit; past that they are counted in the log).
   */
  private auditRefusal(session: Session, cardId: string, result: Extract<Accepted, { ok: false }>, count: number): void {
    const now = Date.now();
    const second = Math.floor(now / 1000);
    const seen = this.refusalsAudited.get(session.user.name);
    const n = seen?.second === second ? seen.n : 0;
    this.refusalsAudited.set(session.user.name, { second, n: n + 1 });
    if (n >= REFUSALS_AUDITED_PER_SECOND) return void console.error(`sync-server: a refusal of ${session.user.name}'s change to ${cardId} (${result.code}) was not audited (over ${REFUSALS_AUDITED_PER_SECOND}/s)`);
    this.audits.add({ at: now, user: session.user.name, token: session.token, action: 'refuse', cardId, detail: `${result.code}: ${result.message}${count > 1 ? ` (${count} updates)` : ''}` });
  }

  /** A change another instance stored (told by the fan-out): to the listeners, as a local one. */
  receive(change: Omit<CardChange, 'origin'>): void {
    this.publish({ ...change, origin: ELSEWHERE });
  }

  /** Stops holding changes back and writes the reads waiting for the audit (the server is closing). */
  async close(): Promise<void> {
    this.accessClock.stop();
    await this.cards.idle();
    await this.commits.idle();
    this.order.flush();
    return this.audits.flush();
  }

  /** `row`: the card's new index row when this process computed it (the cut-offs need not read it back). */
  private publish(change: CardChange, row?: string): void {
    this.lastPublishedSeq = Math.max(this.lastPublishedSeq, change.seq);
    // Its orders may move the company's cut-offs (recomputed with others, debounced).
    this.custody.classes.touched(change.cardId, row);
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

  /** Checks and commits one change: one update, or `count` updates merged into one by the check. */
  private async accept(session: Session, cardId: string, updates: Uint8Array | Uint8Array[], origin: unknown, count: number): Promise<Accepted> {
    const { user } = session;
    // Another process (an instance, the admin CLI) may change the card while the check runs:
    // the save then stores nothing (it names the card as read) and the check runs again.
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      // After a miss, a short random pause, so two instances retrying one card fall out of step.
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * Math.min(attempt, 10)));
      const card = await this.storage.getCard(cardId);
      const facts = card ? await this.custody.factsOf(card) : { id: cardId, owner: user.name, ownerTeam: user.team };
      const loans = card ? await this.storage.activeLoans({ cardId }, Date.now()) : [];
      // Someone else's card and a card that does not exist look the same to the sender.
      if (card ? !canWrite(user, facts, loans) : !canCreate(user)) return REFUSED;
      // The credit floor is the company's (shared/policy): orders below it wait for a manager's approval;
      // so are the fields whose change needs a reason (the controlled ones always do).
      const policy = await this.custody.policy.rules();
      const rules = { author: user.name, controlled: canChangeControlled(user, facts), keeper: mayRetire(user, facts), owner: facts.owner, creditFloor: policy.creditFloor, reasonFields: policy.reasonFields };
      // In the sender's own queue of the check pool (update-checker.ts): other users do not wait behind it.
      const check = await this.checker.check(card?.state, updates, cardId, rules, user.name);
      if (!check.ok) return check;
      const update = check.merged ?? (updates instanceof Uint8Array ? updates : updates[0]!);
      // The Yjs client ids it writes under must be the sender's (checks/client-ids.ts).
      const foreign = await claimWriters(this.storage, check.writers, user.name, session.token, check.storedAuthors);
      if (foreign) return foreign;
      if (!check.changed && card) {
        const now = await this.storage.getCard(cardId);
        if (now?.seq !== card.seq || now.owner !== card.owner) continue;
        return { ok: true, seq: card.seq, changed: false };
      }
      const expected = card ? { seq: card.seq, owner: card.owner } : null;
      // The card and its audit entry in one commit, batched with other cards' changes (group-commit.ts).
      const seq = await this.commits.commit({
        save: { id: cardId, state: check.state, by: user.name, updateBytes: update.byteLength, row: check.row, rowVersion: INDEX_ROW_VERSION, expected },
        audit: { at: Date.now(), user: user.name, token: session.token, action: card ? 'write' : 'create', cardId, detail: check.fields.join(', ') + (count > 1 ? ` (${count} updates)` : '') },
      });
      if (seq === undefined) continue;
      this.publish({ cardId, seq, update, owner: facts.owner, origin }, check.row);
      return { ok: true, seq, changed: true };
    }
    return { ok: false, code: 'busy', message: 'The card kept changing while this change was checked; it will be sent again' };
  }
}
