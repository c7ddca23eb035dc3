/**
 * `/sync`: the many-document protocol (shared/sync/protocol.ts) for one device connection.
 * The first frame must be AUTH, within AUTH_TIMEOUT_MS; every later frame re-reads the token's
 * user (auth-watch.ts) and, when the access version moved, the user's scope (rights.ts). A bad
 * frame gets an ERROR and a close code; nothing from it is stored or broadcast.
 *
 * The connection sends the user's feed in log order and remembers how far it has delivered it
 * (`delivered`). A change stored by this process right after that point goes out as a live
 * UPDATE; anything else (an access change, a gap left by another process's write) starts a
 * catch-up run of DOCS / GONE / SYNC_DONE from `delivered`, the same code as a SYNC. A run reads
 * from the database only as fast as the socket drains, one run at a time. Every card sent is
 * audited once per connection, with the reason the user may read it: a run records its reads
 * every AUDIT_EVERY cards and when it ends (one synchronous commit each, not one per batch); a
 * live UPDATE's read joins the other connections' in the hub's batch (audit-batch.ts).
 * A store that cannot be reached (store-errors.ts) closes the connection with STORE_UNAVAILABLE:
 * nothing from the frame is stored, and the device keeps its changes for later.
 * To a client that names them in its AUTH (protocol.ts FRAMES) it also sends CLASSES (the
 * company's cut-offs, after the connection's first SYNC_DONE and when they move: a fresh
 * server's first reading of every card's orders never competes with a device's first cards) and
 * CUSTODY (on access changes, and on a loan or proposal notice for a card in the user's scope or
 * naming the user).
 */
import type { WebSocket } from 'ws';
import { CLOSE, LIMITS, decodeMessage, encodeMessage, framesOf, type OptionalFrame, type OutgoingDocEntry, type OutgoingMessage, type SyncMessage } from '../../shared/sync/protocol.ts';
import { authenticate, tokenTag } from '../custody/auth.ts';
import { watchToken, type TokenWatch } from '../custody/auth-watch.ts';
import type { ConnectionLimits } from './connection-limits.ts';
import type { Hub } from '../fanout/hub.ts';
import type { CompanyCutoffs } from '../custody/company-classes.ts';
import { scopeCurrent, scopeReason, scopeTest, type FeedScope, type ReadReason } from '../../shared/rights/rights.ts';
import type { AuditEvent, User } from '../storage/storage.ts';
import { STORE_UNAVAILABLE_MESSAGE, storeUnavailable } from '../storage/store-errors.ts';

export const AUTH_TIMEOUT_MS = 10_000;
/** Frames received but not yet handled; past this the client is not waiting for answers. */
const MAX_QUEUED_FRAMES = 1_000;
/** Streaming pauses while more than this is waiting in the socket's send buffer. */
const SEND_HIGH_WATER = 4 * 1024 * 1024;
/** A run writes its read audit after this many cards (and at its end). */
const AUDIT_EVERY = 5_000;

function send(ws: WebSocket, message: OutgoingMessage): void {
  if (ws.readyState === ws.OPEN) ws.send(encodeMessage(message));
}

function refuse(ws: WebSocket, code: string, message: string, closeCode: number): void {
  send(ws, { type: 'error', code, message });
  if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close(closeCode, code);
}

/** The store is away: the device keeps what it has not sent, and reconnects after a pause. */
function storeAway(ws: WebSocket): void {
  refuse(ws, 'store-unavailable', STORE_UNAVAILABLE_MESSAGE, CLOSE.STORE_UNAVAILABLE);
}

export const WRITE_QUOTA_MESSAGE = 'Too many changes from this user just now; this one was not stored and is sent again in a moment';
const DISABLED_MESSAGE = 'This account was disabled by an administrator: this device deletes the cards of this server';

/** Resolves when the socket's send buffer is below the high-water mark, or it closed. */
async function drained(ws: WebSocket): Promise<void> {
  while (ws.readyState === ws.OPEN && ws.bufferedAmount > SEND_HIGH_WATER) await new Promise((resolve) => setTimeout(resolve, 5));
}

export function handleSyncConnection(ws: WebSocket, hub: Hub, limits: ConnectionLimits, onSignedIn: () => void): void {
  const storage = hub.storage;
  // Until its last received frame is handled, the connection holds the server open (drain.ts).
  const leave = hub.drain.enter();
  let user: User | undefined;
  let tag = '';
  let watch: TokenWatch | undefined;
  let unsubscribe: (() => void) | undefined;
  let counted = false;
  let poisoned = false;
  /** A frame failed on the server's side: the frames queued after it are not handled. */
  let failed = false;
  /** Pushes queued in the hub and not yet answered, and the answer of the last of them. */
  let inflight = 0;
  let answered: Promise<unknown> = Promise.resolve();
  /** A refusal over the write quota is audited once per connection. */
  let quotaAudited = false;
  let chain: Promise<void> = Promise.resolve();
  let queued = 0;
  // The user's scope, as of access version `scopeVersion`.
  let scope: FeedScope = { all: false, owners: [], cardIds: [] };
  let inScope: (card: { id: string; owner: string }) => boolean = () => false;
  let scopeVersion = -1;
  // The feed is delivered through `delivered` (undefined until the first SYNC_DONE).
  let delivered: number | undefined;
  let streaming = false;
  let runAgain = false;
  const audited = new Set<string>();
  const authTimer = setTimeout(() => refuse(ws, 'auth-timeout', `Sign in within ${AUTH_TIMEOUT_MS / 1000} s`, CLOSE.AUTH_TIMEOUT), AUTH_TIMEOUT_MS);

  /** Re-reads the user and (if access changed) their scope; false if the token is no longer valid. */
  const refreshNow = async (): Promise<boolean> => {
    const fresh = await watch?.current();
    if (!fresh) return false;
    user = fresh;
    const version = await storage.accessVersion();
    // Read again when access changed, or when a loan in the scope has ended since it was read.
    if (version !== scopeVersion || !scopeCurrent(scope)) {
      // The version is read first: the scope read after it is at least that new.
      const next = await hub.custody.scopeOf(fresh);
      scope = next;
      inScope = scopeTest(next);
      scopeVersion = version;
      // A loan's end is an access change logged at that moment, not at the watch's next tick.
      if (next.changesAt !== undefined) hub.accessClock.wakeAt(next.changesAt);
    }
    return true;
  };
  // One refresh at a time, in call order, so an older read never replaces a newer scope.
  let refreshing: Promise<boolean> = Promise.resolve(true);
  const refreshRights = (): Promise<boolean> => (refreshing = refreshing.then(refreshNow, refreshNow));
  /**
   * Frames are numbered as they arrive; `freshFor` is the last frame number a completed re-read
   * of the rights started after. A frame is judged by rights read after it arrived: one re-read
   * covers every frame queued before it started (a burst costs one read, not one per frame).
   */
  let arrivals = 0;
  let freshFor = 0;
  const rightsFor = async (arrival: number): Promise<boolean> => {
    if (freshFor >= arrival) return true;
    const covers = arrivals;
    if (!(await refreshRights())) return false;
    freshFor = Math.max(freshFor, covers);
    return true;
  };

  const reasonOf = (card: { id: string; owner: string }): ReadReason => scopeReason(scope, user!, card);
  /** The reads of cards sent, not yet written to the audit (at most AUDIT_EVERY). */
  let unaudited: Omit<AuditEvent, 'id'>[] = [];
  /**
   * The user's own cards a run sent and has not yet written to the audit: one entry for them
   * (how many, the log range they came from), not one per card. The owner reading their own
   * cards crosses no one's rights; reads by team, loan and admin stay one entry per card.
   */
  let ownReads: { count: number; from: number; to: number } | undefined;
  const writeAudit = (): Promise<void> => {
    if (ownReads) {
      unaudited.push({ at: Date.now(), user: user!.name, token: tag, action: 'read-own', cardId: null, detail: `${ownReads.count} cards, log ${ownReads.from}–${ownReads.to}` });
      ownReads = undefined;
    }
    if (unaudited.length === 0) return Promise.resolve();
    const events = unaudited;
    unaudited = [];
    return storage.audit(events);
  };
  /** The audit event of a card's first read on this connection, or undefined after that. */
  const firstRead = (card: { id: string; owner: string }, at: number): Omit<AuditEvent, 'id'> | undefined => {
    if (audited.has(card.id)) return undefined;
    audited.add(card.id);
    return { at, user: user!.name, token: tag, action: 'read', cardId: card.id, detail: reasonOf(card) };
  };
  /** Notes the reads of cards a run sent from log positions after `from`. */
  const noteReads = (cards: { id: string; owner: string; logSeq: number }[], from: number): Promise<void> => {
    const at = Date.now();
    for (const card of cards) {
      if (card.owner === user!.name) {
        // Once per connection, as every read (a live change of it is not audited again either).
        if (audited.has(card.id)) continue;
        audited.add(card.id);
        ownReads ??= { count: 0, from, to: from };
        ownReads.count++;
        ownReads.to = card.logSeq;
        continue;
      }
      const event = firstRead(card, at);
      if (event) unaudited.push(event);
    }
    return unaudited.length + (ownReads?.count ?? 0) >= AUDIT_EVERY ? writeAudit() : Promise.resolve();
  };

  /**
   * Sends the feed after `from` in log order, then SYNC_DONE with the cursor it reached. The
   * log's top is read before each query: every seq up to it is committed (seqs are numbered
   * under the write lock), so a cursor never passes a change a later query could still show.
   * A run ends at the log's top as of its start (`end`): a card changed during the run comes in
   * the next run, so one run sends each card at most once (a device syncing into an empty store
   * stores a run's cards as new, without looking for a copy: store-adapter.ts).
   */
  async function run(from: number): Promise<void> {
    try {
      await sendFeed(from);
    } finally {
      await writeAudit();
    }
  }

  async function sendFeed(from: number): Promise<void> {
    const end = await storage.maxSeq();
    // A cursor past the log's top (a device that knows more than exists) counts from the top.
    let position = Math.min(from, end);
    let more = false;
    const total = await storage.countFeed(position, scope, user!.name);
    let done = 0;
    for (;;) {
      await drained(ws);
      if (ws.readyState !== ws.OPEN || !(await refreshRights())) return;
      const top = await storage.maxSeq();
      const read = await storage.feed(position, scope, user!.name, LIMITS.batchCards);
      // Judge the entries by rights at least as new as they are: an access change commits its
      // entries and its version bump together, so re-reading the rights now sees it.
      if (!(await refreshRights())) return;
      if (read.length === 0) {
        position = Math.max(position, top);
        break;
      }
      // In log order, so the entries up to `end` are a prefix; the rest is the next run's.
      const entries = read.filter((entry) => entry.logSeq <= end);
      more = entries.length < read.length;
      let docs: OutgoingDocEntry[] = [];
      let gone: string[] = [];
      let bytes = 0;
      const sent: { id: string; owner: string; logSeq: number }[] = [];
      const batchFrom = position;
      const flushDocs = () => {
        if (docs.length === 0) return;
        done += docs.length;
        send(ws, { type: 'docs', done, total: Math.max(total, done), docs });
        docs = [];
        bytes = 0;
      };
      const flushGone = () => {
        if (gone.length > 0) send(ws, { type: 'gone', cardIds: gone });
        gone = [];
      };
      for (const entry of entries) {
        position = entry.logSeq;
        if (entry.kind === 'revoke') {
          // Gone only if no other right to read it remains (rights come back, too).
          if (inScope(entry)) continue;
          flushDocs();
          gone.push(entry.id);
          continue;
        }
        if (!inScope(entry)) continue;
        flushGone();
        const size = entry.state.byteLength + (typeof entry.row === 'string' ? entry.row.length * 3 : entry.row.byteLength) + entry.id.length + 8;
        if (docs.length > 0 && bytes + size > LIMITS.batchBytes) flushDocs();
        docs.push({ cardId: entry.id, seq: entry.seq, state: entry.state, row: entry.row });
        sent.push(entry);
        bytes += size;
      }
      flushDocs();
      flushGone();
      await noteReads(sent, batchFrom);
      if (more) {
        // Every entry up to `end` is sent (the query returned all of them, in order).
        position = Math.max(position, end);
        break;
      }
    }
    await writeAudit();
    send(ws, { type: 'sync-done', cursor: position });
    const first = delivered === undefined;
    delivered = Math.max(delivered ?? 0, position);
    if (first) tellClasses();
    if (more) runAgain = true;
  }

  /** Runs the feed from `from` unless a run is going (then once more after it). */
  function startRun(from: number): void {
    if (streaming) {
      runAgain = true;
      return;
    }
    streaming = true;
    // Not awaited: pushes and pings go on while the run waits for the socket to drain.
    void run(from)
      .catch((error: unknown) => {
        // A run for a connection already gone (closed, or cut at shutdown while the store
        // closes) had nobody to deliver to: nothing failed that matters.
        if (ws.readyState !== ws.OPEN) return;
        console.error('sync-server: a feed run failed', error);
        if (storeUnavailable(error)) storeAway(ws);
        else refuse(ws, 'server-error', 'The server could not read the changes', CLOSE.SERVER_ERROR);
      })
      .finally(() => {
        streaming = false;
        if (runAgain && delivered !== undefined && ws.readyState === ws.OPEN) {
          runAgain = false;
          startRun(delivered);
        }
      });
  }

  const catchUp = () => {
    if (!user) return;
    // During the first run the feed's end is not known yet: run once more after it.
    if (delivered === undefined) {
      if (streaming) runAgain = true;
      return;
    }
    if (streaming) {
      runAgain = true;
      return;
    }
    storage.maxSeq().then(
      (top) => {
        // Looked at again: a run may have started, or changes been delivered, meanwhile.
        if (streaming) runAgain = true;
        else if (delivered !== undefined && top > delivered && ws.readyState === ws.OPEN) startRun(delivered);
      },
      (error: unknown) => console.error('sync-server: could not read the log top', error),
    );
  };

  const ended = (why: 'revoked' | 'disabled') => {
    if (why === 'disabled') refuse(ws, 'user-disabled', DISABLED_MESSAGE, CLOSE.USER_DISABLED);
    else refuse(ws, 'unauthorized', 'The token was revoked', CLOSE.UNAUTHORIZED);
  };

  const signIn = async (message: Extract<SyncMessage, { type: 'auth' }>) => {
    frames = framesOf(message.device);
    const status = await authenticate(storage, message.token);
    // Closed while the token was looked up with nothing after the AUTH: nothing to count or watch.
    if (ws.readyState !== ws.OPEN && queued <= 1) return;
    if (status?.state === 'disabled') return refuse(ws, 'user-disabled', DISABLED_MESSAGE, CLOSE.USER_DISABLED);
    if (!status) return refuse(ws, 'unauthorized', 'Unknown or revoked token', CLOSE.UNAUTHORIZED);
    clearTimeout(authTimer);
    onSignedIn();
    if (!limits.openSigned(status.user.name)) return refuse(ws, 'too-many-connections', 'Too many connections for this user; close another device and try again', CLOSE.TOO_MANY);
    counted = true;
    tag = tokenTag(message.token);
    watch = watchToken(storage, message.token, ended);
    if (!(await refreshRights())) return;
    const database = await storage.databaseId();
    // Closed already: the pushes it sent are still stored, but nothing more goes out.
    if (ws.readyState !== ws.OPEN) return;
    unsubscribe = hub.subscribe({
      classesMoved: (cutoffs) => tellClasses(cutoffs),
      custodyNotice(notice) {
        // Only the users named and those who read the card hear of it (a notice names no card).
        if (ws.readyState !== ws.OPEN || !user || !frames.has('custody')) return;
        if (notice.users.includes(user.name) || inScope({ id: notice.cardId, owner: notice.owner })) send(ws, { type: 'custody' });
      },
      change(change) {
        // Before the first SYNC_DONE: the first run reads it, or (if its last read came first) the run after it.
        if (delivered === undefined) return catchUp();
        if (change.seq <= delivered) return;
        if (streaming || change.seq !== delivered + 1) return catchUp();
        delivered = change.seq;
        if (change.origin === ws || !inScope({ id: change.cardId, owner: change.owner })) return;
        // Audited with the other connections' reads of it, in one write (audit-batch.ts).
        const event = firstRead({ id: change.cardId, owner: change.owner }, Date.now());
        if (event) hub.audits.add(event);
        send(ws, { type: 'update', cardId: change.cardId, seq: change.seq, update: change.update });
      },
      feedMoved(kind) {
        if (ws.readyState !== ws.OPEN) return;
        if (kind !== 'access') return catchUp();
        tellPolicy();
        // Loans, handovers or covers may have changed what the user's open pages show.
        if (frames.has('custody')) send(ws, { type: 'custody' });
        refreshRights().then(
          (valid) => valid && catchUp(),
          (error: unknown) => console.error('sync-server: could not re-read the rights', error),
        );
      },
    });
    send(ws, { type: 'auth-ok', user: status.user.name, role: status.user.role, database });
    tellPolicy();
  };

  /** The optional frames this client reads (named in its AUTH; shared/sync/protocol.ts FRAMES). */
  let frames = new Set<OptionalFrame>();

  /** The company's cut-offs (cut-offs only), after the first SYNC_DONE and whenever they move. */
  const tellClasses = (moved?: CompanyCutoffs) => {
    if (!frames.has('classes')) return;
    const told = (cutoffs: CompanyCutoffs) => {
      if (ws.readyState === ws.OPEN) send(ws, { type: 'classes', aMin: cutoffs.aMin, bMin: cutoffs.bMin, asOf: cutoffs.asOf });
    };
    if (moved) return told(moved);
    hub.custody.classes.current(Number.POSITIVE_INFINITY).then(told, (error: unknown) => console.error('sync-server: could not compute the ABC cut-offs', error));
  };

  /**
   * Tells the device the company policy's version after sign-in and whenever it changes. A
   * company that never set a rule has version 0, told to clients that name the 'policy' frame
   * (the extension): the device then applies the company's defaults and stops offering its own
   * thresholds, which the server would not follow. Other clients hear of version 1 on.
   */
  let policyTold: number | undefined;
  const tellPolicy = () => {
    hub.policyVersion().then(
      (version) => {
        const last = policyTold ?? (frames.has('policy') ? -1 : 0);
        if (version === last || ws.readyState !== ws.OPEN) return;
        policyTold = version;
        send(ws, { type: 'policy', version });
      },
      (error: unknown) => console.error('sync-server: could not read the policy version', error),
    );
  };

  const onMessage = async (message: SyncMessage, arrival: number): Promise<void> => {
    if (!user) {
      if (message.type !== 'auth') return refuse(ws, 'auth-required', 'The first message must be AUTH', CLOSE.UNAUTHORIZED);
      return signIn(message);
    }
    // After the close only pushes are handled (a change received is a change kept); the rest needs the socket.
    if (ws.readyState !== ws.OPEN && message.type !== 'push') return;
    if (!(await rightsFor(arrival))) return;
    switch (message.type) {
      case 'sync': {
        if (streaming) return refuse(ws, 'sync-in-progress', 'One SYNC at a time: wait for SYNC_DONE', CLOSE.PROTOCOL);
        if (!limits.takeSync(user.name)) return refuse(ws, 'rate-limited', 'Too many SYNC requests; try again in a moment', CLOSE.TOO_MANY);
        return startRun(message.cursor);
      }
      case 'push': {
        // The user's write quota (connection-limits.ts): past it, a NACK the device retries later.
        if (!limits.takeWrite(user.name, message.update.byteLength)) {
          if (!quotaAudited) hub.audits.add({ at: Date.now(), user: user.name, token: tag, action: 'refuse', cardId: message.cardId, detail: 'rate-limited: write quota (/sync)' });
          quotaAudited = true;
          return send(ws, { type: 'nack', clientSeq: message.clientSeq, code: 'rate-limited', message: WRITE_QUOTA_MESSAGE });
        }
        // Queued in the hub at once, in order; the answer is not waited for before the next
        // frame, so a burst is checked and committed in runs (the hub keeps a card's order).
        inflight++;
        const clientSeq = message.clientSeq;
        const outcome = hub.acceptUpdate({ user, token: tag }, message.cardId, message.update, ws).then((result) => {
          // The ACK's seq lets the device move its cursor only when nothing before it is undelivered.
          if (result.ok) return send(ws, { type: 'ack', clientSeq, seq: delivered !== undefined && delivered >= result.seq ? result.seq : 0 });
          // No NACK: the change stays in the device's outbox, and goes again when the device is back.
          if (result.code === 'store-unavailable') return storeAway(ws);
          return send(ws, { type: 'nack', clientSeq, code: result.code, message: result.message });
        }).catch((error: unknown) => console.error('sync-server: a push could not be answered', error));
        answered = answered.then(() => outcome).finally(() => void inflight--);
        return;
      }
      case 'ping':
        return send(ws, { type: 'pong' });
      case 'pong':
        return;
      default:
        return refuse(ws, 'unexpected-message', `A client does not send ${message.type}`, CLOSE.PROTOCOL);
    }
  };

  ws.on('message', (data, isBinary) => {
    if (poisoned) return;
    let decoded: ReturnType<typeof decodeMessage>;
    try {
      if (!isBinary) {
        poisoned = true;
        return refuse(ws, 'bad-frame', 'Frames are binary', CLOSE.PROTOCOL);
      }
      const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      decoded = decodeMessage(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    } catch {
      decoded = { ok: false, reason: 'undecodable frame' };
    }
    if (!decoded.ok) {
      poisoned = true;
      return refuse(ws, 'bad-frame', `Malformed frame: ${decoded.reason}`, CLOSE.PROTOCOL);
    }
    const message = decoded.message;
    if (++queued + inflight > MAX_QUEUED_FRAMES) {
      poisoned = true;
      return refuse(ws, 'too-many-frames', 'Too many frames waiting for an answer', CLOSE.TOO_MANY);
    }
    const arrival = ++arrivals;
    chain = chain
      .then(() => (failed ? undefined : onMessage(message, arrival)))
      .finally(() => queued--)
      .catch((error: unknown) => {
        poisoned = true;
        failed = true;
        console.error('sync-server: /sync message failed', error);
        if (storeUnavailable(error)) storeAway(ws);
        else refuse(ws, 'server-error', 'The server could not handle this message; nothing from it was stored', CLOSE.SERVER_ERROR);
      });
  });
  ws.on('close', () => {
    clearTimeout(authTimer);
    unsubscribe?.();
    // The frames received before the close are handled still; then the connection is done.
    void chain.then(() => answered).finally(() => {
      watch?.stop();
      if (counted && user) limits.releaseSigned(user.name);
      leave();
    });
  });
}
