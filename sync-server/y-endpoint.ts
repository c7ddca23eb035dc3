/**
 * `/y/<cardId>?token=…`: the stock y-websocket protocol (y-protocols sync + awareness) for one
 * card, so any y-websocket client can sync it and the extension can show live presence. A
 * Y.Doc is held only while the card has live connections. Every incoming update goes through
 * the hub (ACL, update check, commit) before it reaches the room; changes from /sync devices
 * reach the room through the hub as well. A bad token closes with 4401 before any data.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { WebSocket } from 'ws';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { CLOSE, LIMITS } from '../shared/sync/protocol.ts';
import { canRead } from './acl.ts';
import { authenticate } from './auth.ts';
import type { Hub } from './hub.ts';
import type { User } from './storage.ts';

const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;
const MESSAGE_QUERY_AWARENESS = 3;
const FROM_HUB = Symbol('hub');

interface Room {
  doc: Y.Doc;
  awareness: awarenessProtocol.Awareness;
  conns: Map<WebSocket, Set<number>>;
  unsubscribe: () => void;
}

const rooms = new Map<string, Room>();

export function liveRoomCount(): number {
  return rooms.size;
}

function send(ws: WebSocket, bytes: Uint8Array): void {
  if (ws.readyState === ws.OPEN) ws.send(bytes);
}

function openRoom(hub: Hub, cardId: string, state: Uint8Array): Room {
  const doc = new Y.Doc({ gc: true });
  Y.applyUpdate(doc, state, FROM_HUB);
  const awareness = new awarenessProtocol.Awareness(doc);
  awareness.setLocalState(null);
  const room: Room = { doc, awareness, conns: new Map(), unsubscribe: () => undefined };
  doc.on('update', (update: Uint8Array, origin: unknown) => {
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, MESSAGE_SYNC);
    syncProtocol.writeUpdate(e, update);
    const bytes = encoding.toUint8Array(e);
    for (const ws of room.conns.keys()) if (ws !== origin) send(ws, bytes);
  });
  awareness.on('update', ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
    const changed = [...added, ...updated, ...removed];
    const ids = room.conns.get(origin as WebSocket);
    if (ids) {
      for (const id of added) ids.add(id);
      for (const id of removed) ids.delete(id);
    }
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, MESSAGE_AWARENESS);
    encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(awareness, changed));
    const bytes = encoding.toUint8Array(e);
    for (const ws of room.conns.keys()) send(ws, bytes);
  });
  room.unsubscribe = hub.subscribe((change) => {
    if (change.cardId === cardId && change.origin !== room) Y.applyUpdate(doc, change.update, FROM_HUB);
  });
  rooms.set(cardId, room);
  return room;
}

function closeConn(cardId: string, room: Room, ws: WebSocket): void {
  const ids = room.conns.get(ws);
  room.conns.delete(ws);
  if (ids && ids.size > 0) awarenessProtocol.removeAwarenessStates(room.awareness, [...ids], null);
  if (room.conns.size === 0) {
    room.unsubscribe();
    room.awareness.destroy();
    room.doc.destroy();
    rooms.delete(cardId);
  }
}

function handleSync(hub: Hub, user: User, cardId: string, room: Room, ws: WebSocket, decoder: decoding.Decoder): void {
  const kind = decoding.readVarUint(decoder);
  if (kind === syncProtocol.messageYjsSyncStep1) {
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, MESSAGE_SYNC);
    syncProtocol.writeSyncStep2(e, room.doc, decoding.readVarUint8Array(decoder));
    send(ws, encoding.toUint8Array(e));
    return;
  }
  if (kind !== syncProtocol.messageYjsSyncStep2 && kind !== syncProtocol.messageYjsUpdate) throw new Error('unknown sync message');
  const update = decoding.readVarUint8Array(decoder);
  const result = hub.acceptUpdate(user, cardId, update, room);
  if (!result.ok) {
    ws.close(CLOSE.PROTOCOL, result.code);
    return;
  }
  if (result.changed) Y.applyUpdate(room.doc, update, ws);
}

export function handleYConnection(ws: WebSocket, hub: Hub, cardId: string, token: string): void {
  const user = authenticate(hub.storage, token);
  if (!user) {
    ws.close(CLOSE.UNAUTHORIZED, 'unauthorized');
    return;
  }
  if (!cardId || cardId.length > LIMITS.maxIdLength) {
    ws.close(CLOSE.PROTOCOL, 'bad card id');
    return;
  }
  let card = hub.storage.getCard(cardId);
  if (card && !canRead(user, card)) {
    ws.close(4403, 'forbidden');
    return;
  }
  if (!card) {
    const created = hub.acceptUpdate(user, cardId, Y.encodeStateAsUpdate(new Y.Doc()), null);
    if (!created.ok) {
      ws.close(4403, 'forbidden');
      return;
    }
    card = hub.storage.getCard(cardId)!;
  }
  const room = rooms.get(cardId) ?? openRoom(hub, cardId, card.state);
  room.conns.set(ws, new Set());

  ws.on('message', (data: Buffer, isBinary: boolean) => {
    try {
      if (!isBinary || !authenticate(hub.storage, token)) {
        ws.close(CLOSE.UNAUTHORIZED, 'unauthorized');
        return;
      }
      const decoder = decoding.createDecoder(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      const type = decoding.readVarUint(decoder);
      if (type === MESSAGE_SYNC) handleSync(hub, user, cardId, room, ws, decoder);
      else if (type === MESSAGE_AWARENESS) awarenessProtocol.applyAwarenessUpdate(room.awareness, decoding.readVarUint8Array(decoder), ws);
      else if (type === MESSAGE_QUERY_AWARENESS) {
        const e = encoding.createEncoder();
        encoding.writeVarUint(e, MESSAGE_AWARENESS);
        encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(room.awareness, [...room.awareness.getStates().keys()]));
        send(ws, encoding.toUint8Array(e));
      }
    } catch {
      ws.close(CLOSE.PROTOCOL, 'bad frame');
    }
  });
  ws.on('close', () => closeConn(cardId, room, ws));
  ws.on('error', () => undefined);

  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_SYNC);
  syncProtocol.writeSyncStep1(e, room.doc);
  send(ws, encoding.toUint8Array(e));
  const states = [...room.awareness.getStates().keys()];
  if (states.length > 0) {
    const a = encoding.createEncoder();
    encoding.writeVarUint(a, MESSAGE_AWARENESS);
    encoding.writeVarUint8Array(a, awarenessProtocol.encodeAwarenessUpdate(room.awareness, states));
    send(ws, encoding.toUint8Array(a));
  }
}
