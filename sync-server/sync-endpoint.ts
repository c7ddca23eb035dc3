/**
 * `/sync`: the many-document protocol (shared/sync/protocol.ts) for one device connection.
 * The first frame must be AUTH; every later frame re-checks the token (a revoked token closes
 * the connection at once) and every card access goes through the ACL. A bad frame gets an
 * ERROR and a close code; nothing from it is stored or broadcast, and other connections are
 * untouched.
 */
import type { WebSocket } from 'ws';
import { CLOSE, LIMITS, decodeMessage, encodeMessage, type DocEntry, type SyncMessage } from '../shared/sync/protocol.ts';
import { canRead } from './acl.ts';
import { authenticate } from './auth.ts';
import type { Hub } from './hub.ts';
import type { User } from './storage.ts';

const TOKEN_RECHECK_MS = 5_000;

function send(ws: WebSocket, message: SyncMessage): void {
  if (ws.readyState === ws.OPEN) ws.send(encodeMessage(message));
}

function refuse(ws: WebSocket, code: string, message: string, closeCode: number): void {
  send(ws, { type: 'error', code, message });
  ws.close(closeCode, code);
}

/** Streams every readable card changed after `cursor`, in batches, then SYNC_DONE. */
function streamChanges(ws: WebSocket, hub: Hub, user: User, cursor: number): void {
  const storage = hub.storage;
  const upTo = storage.maxSeq();
  const total = storage.countChangedSince(cursor, user);
  let done = 0;
  let from = cursor;
  while (done < total) {
    const rows = storage.changedSince(from, user, LIMITS.batchCards);
    if (rows.length === 0) break;
    let batch: DocEntry[] = [];
    let bytes = 0;
    for (const row of rows) {
      if (row.seq > upTo) break;
      if (batch.length > 0 && bytes + row.state.byteLength + row.row.length * 3 > LIMITS.batchBytes) {
        done += batch.length;
        send(ws, { type: 'docs', done, total, docs: batch });
        batch = [];
        bytes = 0;
      }
      batch.push({ cardId: row.id, seq: row.seq, state: row.state, row: row.row });
      bytes += row.state.byteLength + row.row.length * 3 + row.id.length + 8;
      from = row.seq;
    }
    if (batch.length > 0) {
      done += batch.length;
      send(ws, { type: 'docs', done, total, docs: batch });
    }
    if (rows.length < LIMITS.batchCards) break;
  }
  send(ws, { type: 'sync-done', cursor: upTo });
}

export function handleSyncConnection(ws: WebSocket, hub: Hub): void {
  let user: User | undefined;
  let token = '';
  let unsubscribe: (() => void) | undefined;
  let recheck: ReturnType<typeof setInterval> | undefined;

  const stillValid = (): boolean => {
    const current = authenticate(hub.storage, token);
    if (current) return true;
    refuse(ws, 'unauthorized', 'The token was revoked', CLOSE.UNAUTHORIZED);
    return false;
  };

  const onMessage = (message: SyncMessage) => {
    if (!user) {
      if (message.type !== 'auth') return refuse(ws, 'auth-required', 'The first message must be AUTH', CLOSE.UNAUTHORIZED);
      const found = authenticate(hub.storage, message.token);
      if (!found) return refuse(ws, 'unauthorized', 'Unknown or revoked token', CLOSE.UNAUTHORIZED);
      user = found;
      token = message.token;
      const me = found;
      unsubscribe = hub.subscribe((change) => {
        if (change.origin !== ws && canRead(me, { owner: change.owner })) send(ws, { type: 'update', cardId: change.cardId, seq: change.seq, update: change.update });
      });
      recheck = setInterval(stillValid, TOKEN_RECHECK_MS);
      return send(ws, { type: 'auth-ok', user: found.name, role: found.role });
    }
    if (!stillValid()) return;
    switch (message.type) {
      case 'sync':
        return streamChanges(ws, hub, user, message.cursor);
      case 'push': {
        const result = hub.acceptUpdate(user, message.cardId, message.update, ws);
        if (result.ok) return send(ws, { type: 'ack', clientSeq: message.clientSeq, seq: result.seq });
        return send(ws, { type: 'nack', clientSeq: message.clientSeq, code: result.code, message: result.message });
      }
      case 'ping':
        return send(ws, { type: 'pong' });
      case 'pong':
        return;
      default:
        return send(ws, { type: 'error', code: 'unexpected-message', message: `A client does not send ${message.type}` });
    }
  };

  ws.on('message', (data, isBinary) => {
    try {
      if (!isBinary) return refuse(ws, 'bad-frame', 'Frames are binary', CLOSE.PROTOCOL);
      const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      const decoded = decodeMessage(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      if (!decoded.ok) return refuse(ws, 'bad-frame', `Malformed frame: ${decoded.reason}`, CLOSE.PROTOCOL);
      onMessage(decoded.message);
    } catch (error) {
      console.error('sync-server: /sync message failed', error);
      refuse(ws, 'server-error', 'The server could not handle this message', 1011);
    }
  });
  ws.on('close', () => {
    unsubscribe?.();
    if (recheck) clearInterval(recheck);
  });
  ws.on('error', () => undefined);
}
