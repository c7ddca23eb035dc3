/**
 * `/sync`: the many-document protocol (shared/sync/protocol.ts) for one device connection.
 * The first frame must be AUTH, within AUTH_TIMEOUT_MS; every later frame re-checks the token
 * (auth-watch.ts) and every card access goes through the ACL. A bad frame gets an ERROR and a
 * close code; nothing from it is stored or broadcast, and other connections are untouched.
 * Frames are handled one at a time, in order. A SYNC streams from the database only as fast as
 * the socket drains (one SYNC at a time per connection, a rate per user), so a client asking
 * again and again cannot make the server hold the database in memory.
 */
import type { WebSocket } from 'ws';
import { CLOSE, LIMITS, decodeMessage, encodeMessage, type DocEntry, type SyncMessage } from '../shared/sync/protocol.ts';
import { canRead } from './acl.ts';
import { authenticate } from './auth.ts';
import { watchToken, type TokenWatch } from './auth-watch.ts';
import type { ConnectionLimits } from './connection-limits.ts';
import type { Hub } from './hub.ts';
import type { User } from './storage.ts';

export const AUTH_TIMEOUT_MS = 10_000;
/** Frames received but not yet handled; past this the client is not waiting for answers. */
const MAX_QUEUED_FRAMES = 1_000;
/** Streaming pauses while more than this is waiting in the socket's send buffer. */
const SEND_HIGH_WATER = 4 * 1024 * 1024;

function send(ws: WebSocket, message: SyncMessage): void {
  if (ws.readyState === ws.OPEN) ws.send(encodeMessage(message));
}

function refuse(ws: WebSocket, code: string, message: string, closeCode: number): void {
  send(ws, { type: 'error', code, message });
  if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close(closeCode, code);
}

/** Resolves when the socket's send buffer is below the high-water mark, or it closed. */
async function drained(ws: WebSocket): Promise<void> {
  while (ws.readyState === ws.OPEN && ws.bufferedAmount > SEND_HIGH_WATER) await new Promise((resolve) => setTimeout(resolve, 5));
}

/**
 * Streams every readable card changed after `cursor`, in seq order and in batches, then
 * SYNC_DONE. A card changed while the stream runs gets a new, higher seq and is streamed in its
 * place later on, so the stream goes on until nothing is left; the last check and SYNC_DONE
 * happen in one turn of the event loop, so its cursor covers every change up to it.
 */
async function streamChanges(ws: WebSocket, hub: Hub, user: User, cursor: number): Promise<void> {
  const storage = hub.storage;
  const total = storage.countChangedSince(cursor, user);
  let done = 0;
  let from = cursor;
  for (;;) {
    await drained(ws);
    if (ws.readyState !== ws.OPEN) return;
    const rows = storage.changedSince(from, user, LIMITS.batchCards);
    if (rows.length === 0) break;
    let batch: DocEntry[] = [];
    let bytes = 0;
    const flush = () => {
      done += batch.length;
      send(ws, { type: 'docs', done: Math.min(done, Math.max(total, done)), total: Math.max(total, done), docs: batch });
      batch = [];
      bytes = 0;
    };
    for (const row of rows) {
      const size = row.state.byteLength + row.row.length * 3 + row.id.length + 8;
      if (batch.length > 0 && bytes + size > LIMITS.batchBytes) flush();
      batch.push({ cardId: row.id, seq: row.seq, state: row.state, row: row.row });
      bytes += size;
      from = row.seq;
    }
    if (batch.length > 0) flush();
  }
  send(ws, { type: 'sync-done', cursor: Math.max(cursor, storage.maxSeq()) });
}

export function handleSyncConnection(ws: WebSocket, hub: Hub, limits: ConnectionLimits, onSignedIn: () => void): void {
  let user: User | undefined;
  let watch: TokenWatch | undefined;
  let unsubscribe: (() => void) | undefined;
  let counted = false;
  let streaming = false;
  let poisoned = false;
  let chain: Promise<void> = Promise.resolve();
  let queued = 0;
  const authTimer = setTimeout(() => refuse(ws, 'auth-timeout', `Sign in within ${AUTH_TIMEOUT_MS / 1000} s`, CLOSE.AUTH_TIMEOUT), AUTH_TIMEOUT_MS);

  const signIn = (message: Extract<SyncMessage, { type: 'auth' }>) => {
    const found = authenticate(hub.storage, message.token);
    if (!found) return refuse(ws, 'unauthorized', 'Unknown or revoked token', CLOSE.UNAUTHORIZED);
    clearTimeout(authTimer);
    onSignedIn();
    if (!limits.openSigned(found.name)) return refuse(ws, 'too-many-connections', 'Too many connections for this user; close another device and try again', CLOSE.TOO_MANY);
    counted = true;
    user = found;
    watch = watchToken(hub.storage, message.token, () => refuse(ws, 'unauthorized', 'The token was revoked', CLOSE.UNAUTHORIZED));
    unsubscribe = hub.subscribe((change) => {
      if (change.origin !== ws && canRead(found, { owner: change.owner })) send(ws, { type: 'update', cardId: change.cardId, seq: change.seq, update: change.update });
    });
    send(ws, { type: 'auth-ok', user: found.name, role: found.role, database: hub.storage.databaseId() });
  };

  const onMessage = async (message: SyncMessage): Promise<void> => {
    if (!user) {
      if (message.type !== 'auth') return refuse(ws, 'auth-required', 'The first message must be AUTH', CLOSE.UNAUTHORIZED);
      return signIn(message);
    }
    if (!watch?.stillValid()) return;
    switch (message.type) {
      case 'sync': {
        if (streaming) return refuse(ws, 'sync-in-progress', 'One SYNC at a time: wait for SYNC_DONE', CLOSE.PROTOCOL);
        if (!limits.takeSync(user.name)) return refuse(ws, 'rate-limited', 'Too many SYNC requests; try again in a moment', CLOSE.TOO_MANY);
        streaming = true;
        // Not awaited: pushes and pings go on while the stream waits for the socket to drain.
        void streamChanges(ws, hub, user, message.cursor)
          .catch((error: unknown) => {
            console.error('sync-server: a SYNC failed', error);
            refuse(ws, 'server-error', 'The server could not read the changes', CLOSE.SERVER_ERROR);
          })
          .finally(() => (streaming = false));
        return;
      }
      case 'push': {
        const result = await hub.acceptUpdate(user, message.cardId, message.update, ws);
        if (result.ok) return send(ws, { type: 'ack', clientSeq: message.clientSeq, seq: result.seq });
        return send(ws, { type: 'nack', clientSeq: message.clientSeq, code: result.code, message: result.message });
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
    if (++queued > MAX_QUEUED_FRAMES) {
      poisoned = true;
      return refuse(ws, 'too-many-frames', 'Too many frames waiting for an answer', CLOSE.TOO_MANY);
    }
    chain = chain
      .then(() => (ws.readyState === ws.OPEN ? onMessage(message) : undefined))
      .finally(() => queued--)
      .catch((error: unknown) => {
        poisoned = true;
        console.error('sync-server: /sync message failed', error);
        refuse(ws, 'server-error', 'The server could not handle this message; nothing from it was stored', CLOSE.SERVER_ERROR);
      });
  });
  ws.on('close', () => {
    clearTimeout(authTimer);
    unsubscribe?.();
    watch?.stop();
    if (counted && user) limits.releaseSigned(user.name);
  });
}
