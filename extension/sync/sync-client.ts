/**
 * The device side of `/sync` (shared/sync/protocol.ts): one websocket carrying every card.
 * On connect: AUTH, then SYNC from the stored cursor (only what changed since), and the outbox
 * is pushed; each local update stays in the outbox until the server ACKs it after its commit.
 * Incoming frames are handled strictly in order, so the cursor only advances past changes that
 * were stored. A frame that cannot be read, or whose handling fails (a failed IndexedDB write),
 * poisons its socket: no later frame from it is applied, the cursor stays where it is, and the
 * client reconnects and resumes from the stored cursor. Live UPDATEs that arrive before the
 * first SYNC_DONE are dropped: the sync brings those changes (the server streams until nothing
 * is left). After AUTH_OK the storage checks that its cursor and outbox belong to this user of
 * this server database (bindIdentity); if not, the client stops and reports 'account-changed'
 * without sending or storing anything. Reconnects with capped, jittered backoff; a rejected
 * token stops it for good. The server may send, unasked, further DOCS / GONE / SYNC_DONE runs
 * (access changes); GONE deletes cards the user may no longer read. Close code 4410 means the
 * user was disabled: the device deletes every card of this server and says so — only then;
 * a rejected token (4401) deletes nothing.
 * Keep-alive: a PING every 20 s (under Chrome's 30 s service-worker idle limit).
 */
import { CLOSE, decodeMessage, deviceWithFrames, encodeMessage, type SyncMessage } from '../../shared/sync/protocol.ts';
import { backoffDelay } from './backoff.ts';
import type { SyncStatus, SyncStorage, WebSocketClass, WebSocketLike } from './types.ts';

/** The server address a URL such as ws://host:1234/sync stands for. */
function serverOf(url: string): string {
  return url.replace(/\/sync$/, '');
}

export const PING_INTERVAL_MS = 20_000;
const SILENCE_LIMIT_MS = 45_000;
const PUSH_BATCH = 200;
const OUTBOX_REPORT_MS = 250;
/** The pause before a change refused in passing (NACK_RETRY_LATER) is sent again: 1–2 s, doubling while refusals go on, at most about a minute. */
const RETRY_LATER_MS = 1_000;
const RETRY_LATER_MAX_MS = 60_000;

export interface SyncClientOptions {
  url: string;
  token: string;
  device?: string;
  WebSocket: WebSocketClass;
  storage: SyncStorage;
  onStatus?: (status: SyncStatus) => void;
  /** The company's ABC cut-offs as the server told them (CLASSES; Infinity: no card reaches that class). */
  onClasses?: (cutoffs: { aMin: number; bMin: number; asOf: number }) => void;
  random?: () => number;
  /** Backoff bounds in ms (tests use small ones). */
  backoff?: { base: number; cap: number };
}

export interface SyncClient {
  /** Push whatever the outbox holds now (call after a local write). */
  pushNow(): void;
  status(): SyncStatus;
  /** Resolves when connected, synced and the outbox is empty (tests, "sync now"). */
  whenIdle(timeoutMs?: number): Promise<void>;
  close(): void;
}

export function createSyncClient(options: SyncClientOptions): SyncClient {
  const random = options.random ?? Math.random;
  const backoff = options.backoff ?? { base: 500, cap: 30_000 };
  let socket: WebSocketLike | undefined;
  let closed = false;
  let attempt = 0;
  let authed = false;
  let synced = false;
  let current: SyncStatus = { state: 'connecting' };
  let reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  let pingTimer: ReturnType<typeof setInterval> | undefined;
  let lastHeard = Date.now();
  let chain: Promise<void> = Promise.resolve();
  const inFlight = new Set<number>();
  const idleWaiters = new Set<() => void>();

  let lastProgressAt = 0;
  let removed = 0;
  const setStatus = (status: SyncStatus) => {
    current = status;
    options.onStatus?.(status);
    checkIdle();
  };

  /** The outbox or the feed moved (ACKs, refusals, live changes): the status is published again, at most every 250 ms, and once after the last. */
  let movedTimer: ReturnType<typeof setTimeout> | undefined;
  let movedAt = 0;
  function outboxMoved(): void {
    if (movedTimer) return;
    const wait = Math.max(0, movedAt + OUTBOX_REPORT_MS - Date.now());
    movedTimer = setTimeout(() => {
      movedTimer = undefined;
      movedAt = Date.now();
      if (!closed) options.onStatus?.(current);
    }, wait);
  }

  function checkIdle(): void {
    if (current.state !== 'online' || inFlight.size > 0 || idleWaiters.size === 0) return;
    void options.storage.takePending(1).then((rows) => {
      if (rows.length > 0 || current.state !== 'online' || inFlight.size > 0) return;
      for (const resolve of idleWaiters) resolve();
      idleWaiters.clear();
    });
  }

  const send = (message: SyncMessage) => {
    if (socket && socket.readyState === 1) socket.send(encodeMessage(message));
  };

  /** Sends the outbox again after a pause (a passing refusal; the pause spreads retries out). */
  let laterTimer: ReturnType<typeof setTimeout> | undefined;
  let laterRound = 0;
  function pushLater(): void {
    if (laterTimer) return;
    const pause = Math.min(RETRY_LATER_MAX_MS, RETRY_LATER_MS * 2 ** Math.min(laterRound++, 6));
    laterTimer = setTimeout(() => {
      laterTimer = undefined;
      void pushOutbox().catch(() => undefined);
    }, pause + Math.floor(random() * pause));
  }

  async function pushOutbox(): Promise<void> {
    if (!authed || !socket) return;
    const rows = await options.storage.takePending(PUSH_BATCH + inFlight.size);
    for (const row of rows) {
      if (inFlight.has(row.seq)) continue;
      inFlight.add(row.seq);
      send({ type: 'push', clientSeq: row.seq, cardId: row.cardId, update: row.update });
    }
  }

  async function handle(message: SyncMessage, ws: WebSocketLike): Promise<void> {
    switch (message.type) {
      case 'auth-ok': {
        const bound = await options.storage.bindIdentity({ server: serverOf(options.url), user: message.user, database: message.database }, message.role);
        if (bound !== 'same') {
          // Nothing of this account may mix with what the device holds of another: stop and ask.
          closed = true;
          setStatus({ state: 'account-changed', user: message.user, accountChange: bound });
          ws.close(1000, 'account changed');
          return;
        }
        authed = true;
        attempt = 0;
        setStatus({ state: 'syncing', user: message.user, role: message.role });
        {
          const cursor = await options.storage.getCursor();
          await options.storage.beginSync?.(cursor);
          send({ type: 'sync', cursor });
        }
        await pushOutbox();
        return;
      }
      case 'docs':
        await options.storage.applyRemote(message.docs.map((doc) => ({ cardId: doc.cardId, update: doc.state, serverSeq: doc.seq, row: doc.row, whole: true })));
        // Progress is reported at most every 100 ms (a first sync brings dozens of batches a second).
        if (message.done === message.total || performance.now() - lastProgressAt > 100) {
          lastProgressAt = performance.now();
          setStatus({ ...current, state: 'syncing', progress: { done: message.done, total: message.total } });
        } else current = { ...current, state: 'syncing', progress: { done: message.done, total: message.total } };
        return;
      case 'gone': {
        // Unsent changes to them are kept as refused ones: the footer counts them, the list says what to do.
        await options.storage.removeCards(message.cardIds);
        removed += message.cardIds.length;
        setStatus({ ...current, removed });
        return;
      }
      case 'sync-done': {
        const cursor = await options.storage.getCursor();
        if (message.cursor > cursor) await options.storage.setCursor(message.cursor);
        await options.storage.endSync?.();
        synced = true;
        const { progress: _progress, ...rest } = current;
        setStatus({ ...rest, state: 'online', feedAt: Date.now() });
        return;
      }
      case 'update': {
        // Before the first SYNC_DONE the sync itself brings this change (and the card's whole state).
        if (!synced) return;
        await options.storage.applyRemote([{ cardId: message.cardId, update: message.update, serverSeq: message.seq }]);
        if (synced && message.seq > (await options.storage.getCursor())) await options.storage.setCursor(message.seq);
        // A change made elsewhere: the feed moved (company-wide classes may have too).
        current = { ...current, feedAt: Date.now() };
        outboxMoved();
        return;
      }
      case 'ack':
        laterRound = 0;
        await options.storage.ackPending([message.clientSeq]);
        inFlight.delete(message.clientSeq);
        if (synced && message.seq > (await options.storage.getCursor())) await options.storage.setCursor(message.seq);
        if (inFlight.size === 0) await pushOutbox();
        outboxMoved();
        checkIdle();
        return;
      case 'nack': {
        const outcome = await options.storage.refusePending(message.clientSeq, message.code, message.message);
        inFlight.delete(message.clientSeq);
        if (outcome === 'retry') await pushOutbox();
        else if (outcome === 'later') pushLater();
        else {
          setStatus({ ...current, message: message.message });
          // A refusal ends its push as an ACK does: the rest of the outbox goes on (it used to
          // wait here until some unrelated local write pushed again).
          if (inFlight.size === 0) await pushOutbox();
        }
        checkIdle();
        return;
      }
      case 'error':
        setStatus({ ...current, message: message.message });
        return;
      case 'ping':
        send({ type: 'pong' });
        return;
      case 'policy':
        // The company policy's version: the worker fetches and applies a version it does not hold.
        setStatus({ ...current, policyVersion: message.version });
        return;
      case 'classes':
        options.onClasses?.({ aMin: message.aMin, bMin: message.bMin, asOf: message.asOf });
        return;
      case 'custody':
        // Loans, proposals or handovers the user sees changed: open pages read their custody again.
        setStatus({ ...current, custodyAt: Date.now() });
        return;
      default:
        return;
    }
  }

  function connect(): void {
    if (closed) return;
    authed = false;
    synced = false;
    inFlight.clear();
    setStatus({ state: 'connecting' });
    let ws: WebSocketLike;
    try {
      ws = new options.WebSocket(options.url);
    } catch {
      scheduleReconnect();
      return;
    }
    socket = ws;
    ws.binaryType = 'arraybuffer';
    /** No later frame from this socket is applied; the cursor stays; the client reconnects. */
    let poisoned = false;
    function poison(reason: string): void {
      if (poisoned) return;
      poisoned = true;
      setStatus({ ...current, message: reason });
      ws.close(4000, 'client error');
    }

    ws.onopen = () => {
      lastHeard = Date.now();
      // The optional frames this client reads (CLASSES, CUSTODY) are named, so a server sends them.
      send({ type: 'auth', token: options.token, device: deviceWithFrames(options.device ?? 'device') });
      pingTimer = setInterval(() => {
        if (Date.now() - lastHeard > SILENCE_LIMIT_MS) ws.close(4000, 'silent');
        else send({ type: 'ping' });
      }, PING_INTERVAL_MS);
    };
    ws.onmessage = (event) => {
      lastHeard = Date.now();
      const data = event.data;
      if (poisoned) return;
      const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : undefined;
      const decoded = bytes ? decodeMessage(bytes) : ({ ok: false, reason: 'not a binary frame' } as const);
      // A frame of a type this build does not know (a newer server's) is skipped, not a reason to reconnect.
      if (!decoded.ok && decoded.reason.startsWith('unknown message type')) return;
      if (!decoded.ok) return poison(`The server sent an unreadable frame (${decoded.reason}); reconnecting`);
      chain = chain
        .then(() => (poisoned || socket !== ws ? undefined : handle(decoded.message, ws)))
        .catch((error: unknown) => poison(`Could not store what the server sent (${error instanceof Error ? error.message : String(error)}); reconnecting`));
    };
    ws.onerror = () => undefined;
    ws.onclose = (event) => {
      if (pingTimer) clearInterval(pingTimer);
      if (socket === ws) socket = undefined;
      authed = false;
      inFlight.clear();
      if (closed) return;
      if (event.code === CLOSE.UNAUTHORIZED) {
        setStatus({ state: 'token-rejected', message: event.reason || 'The token was rejected' });
        closed = true;
        return;
      }
      if (event.code === CLOSE.USER_DISABLED) {
        closed = true;
        // Queued after any frame still being handled, so nothing is stored after the wipe.
        chain = chain
          .then(() => options.storage.wipeForDisabledUser())
          .then((wiped) => setStatus({ state: 'user-disabled', wiped, message: 'This account was disabled by an administrator' }))
          .catch((error: unknown) => setStatus({ state: 'user-disabled', message: `This account was disabled; deleting the cards failed (${error instanceof Error ? error.message : String(error)})` }));
        return;
      }
      // The server's database is away: the outbox stays as it is, and the device tries again later.
      setStatus(event.code === CLOSE.STORE_UNAVAILABLE ? { state: 'offline', storeUnavailable: true } : { state: 'offline' });
      scheduleReconnect();
    };
  }

  function scheduleReconnect(): void {
    if (closed) return;
    const delay = backoffDelay(attempt++, random, backoff.base, backoff.cap);
    reconnectTimer = setTimeout(connect, delay);
  }

  connect();

  return {
    pushNow() {
      chain = chain.then(pushOutbox).catch(() => undefined);
    },
    status: () => current,
    whenIdle(timeoutMs = 30_000) {
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          idleWaiters.delete(done);
          reject(new Error(`sync not idle after ${timeoutMs} ms (state ${current.state}, ${inFlight.size} in flight)`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          resolve();
        };
        idleWaiters.add(done);
        checkIdle();
      });
    },
    close() {
      closed = true;
      if (reconnectTimer) clearTimeout(reconnectTimer);
      if (laterTimer) clearTimeout(laterTimer);
      if (movedTimer) clearTimeout(movedTimer);
      if (pingTimer) clearInterval(pingTimer);
      socket?.close(1000, 'closed');
      setStatus({ state: 'signed-out' });
    },
  };
}
