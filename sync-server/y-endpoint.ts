/**
 * `/y/<cardId>?token=…`: the stock y-websocket protocol (y-protocols sync + awareness) for one
 * card, so any y-websocket client can sync it and the extension can show live presence. A
 * Y.Doc is held only while the card has live connections. Every incoming update goes through
 * the hub (rights, update check, commit) before it reaches the room; changes from /sync devices
 * reach the room through the hub as well. A bad token closes with 4401 before any data, and a
 * revoked one within seconds (auth-watch.ts, the same schedule as /sync; a disabled user's with
 * 4410). The right to read is checked on joining and again whenever access changes: a
 * connection whose right ended closes with 4403 at once, a loan's at its end. Joining someone
 * else's card looks like joining a card that does not exist (an empty room, no data); a change
 * sent there closes 4403. A connection that joins before its card exists is held apart: it
 * receives no change and no presence until the card appears, is then checked (and its read
 * audited) before anything reaches it, and closes with 4403 if it may not read the card. Frames
 * are handled one at a time; those that arrive while the sign-in reads the database wait for it.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { WebSocket } from 'ws';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { CLOSE } from '../shared/sync/protocol.ts';
import { authenticate, tokenTag } from './auth.ts';
import { watchToken } from './auth-watch.ts';
import type { ConnectionLimits } from './connection-limits.ts';
import type { Hub, Session } from './hub.ts';
import { refusalFloor } from './refusal-floor.ts';
import type { User } from './storage.ts';

const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;
const MESSAGE_QUERY_AWARENESS = 3;
const FROM_HUB = Symbol('hub');
const MAX_QUEUED_FRAMES = 1_000;

interface Room {
  doc: Y.Doc;
  awareness: awarenessProtocol.Awareness;
  conns: Map<WebSocket, Set<number>>;
  /**
   * Connections that joined before the card existed, each with its check: they get nothing from
   * the room until the check, run when the card appears, lets them in (or closes them).
   */
  unverified: Map<WebSocket, () => void>;
  unsubscribe: () => void;
  /** Resolves once the stored state is in the doc (changes published meanwhile merge in too). */
  ready: Promise<void>;
}

const rooms = new Map<string, Room>();

export function liveRoomCount(): number {
  return rooms.size;
}

function send(ws: WebSocket, bytes: Uint8Array): void {
  if (ws.readyState === ws.OPEN) ws.send(bytes);
}

/** A room listens to the hub first, then loads the stored state: no change falls in between. */
function openRoom(hub: Hub, cardId: string): Room {
  const doc = new Y.Doc({ gc: true });
  const awareness = new awarenessProtocol.Awareness(doc);
  awareness.setLocalState(null);
  const room: Room = { doc, awareness, conns: new Map(), unverified: new Map(), unsubscribe: () => undefined, ready: Promise.resolve() };
  doc.on('update', (update: Uint8Array, origin: unknown) => {
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, MESSAGE_SYNC);
    syncProtocol.writeUpdate(e, update);
    const bytes = encoding.toUint8Array(e);
    for (const ws of room.conns.keys()) if (ws !== origin && !room.unverified.has(ws)) send(ws, bytes);
    // The card may have just appeared: those who joined before it are checked now.
    for (const check of [...room.unverified.values()]) check();
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
    for (const ws of room.conns.keys()) if (!room.unverified.has(ws)) send(ws, bytes);
  });
  room.unsubscribe = hub.subscribe({
    change(change) {
      if (change.cardId === cardId && change.origin !== room) Y.applyUpdate(doc, change.update, FROM_HUB);
    },
    // Another process (the admin CLI) may have changed the card: merge the stored state in —
    // after the connections have re-checked their right to read it (their listeners run now).
    feedMoved: () =>
      void setImmediate(() => {
        if (!rooms.has(cardId) || rooms.get(cardId)!.doc !== doc) return;
        hub.storage.getCard(cardId).then(
          (stored) => {
            if (stored && rooms.get(cardId)?.doc === doc) Y.applyUpdate(doc, stored.state, FROM_HUB);
          },
          (error: unknown) => console.error('sync-server: a room could not re-read its card', error),
        );
      }),
  });
  rooms.set(cardId, room);
  room.ready = hub.storage.getCard(cardId).then((stored) => {
    if (stored) Y.applyUpdate(doc, stored.state, FROM_HUB);
  });
  // Without its stored state the room must not serve: its connections close, and it with them.
  room.ready.catch((error: unknown) => {
    console.error('sync-server: a room could not load its card', error);
    for (const ws of room.conns.keys()) ws.close(CLOSE.SERVER_ERROR, 'server error');
  });
  return room;
}

function closeConn(cardId: string, room: Room, ws: WebSocket): void {
  const ids = room.conns.get(ws);
  room.conns.delete(ws);
  room.unverified.delete(ws);
  if (ids && ids.size > 0) awarenessProtocol.removeAwarenessStates(room.awareness, [...ids], null);
  if (room.conns.size === 0) {
    room.unsubscribe();
    room.awareness.destroy();
    room.doc.destroy();
    if (rooms.get(cardId) === room) rooms.delete(cardId);
  }
}

/** The room of a connection to someone else's card: empty, shared with no one, fed by nothing. */
function emptyRoom(): Room {
  const doc = new Y.Doc({ gc: true });
  const awareness = new awarenessProtocol.Awareness(doc);
  awareness.setLocalState(null);
  return { doc, awareness, conns: new Map(), unverified: new Map(), unsubscribe: () => undefined, ready: Promise.resolve() };
}

/** Handles one sync-protocol message; resolves once an update is accepted (or refused and the connection closed). */
async function handleSync(hub: Hub, session: Session, cardId: string, room: Room, ws: WebSocket, decoder: decoding.Decoder): Promise<void> {
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
  // An empty step 2 (a client with nothing new) changes nothing: no need to check it.
  if (update.byteLength <= 2) return;
  const result = await hub.acceptUpdate(session, cardId, update, room);
  if (!result.ok) {
    ws.close(result.code === 'not-found' ? CLOSE.FORBIDDEN : CLOSE.PROTOCOL, result.code);
    return;
  }
  if (result.changed) Y.applyUpdate(room.doc, update, ws);
}

/**
 * A connection to `/y/<cardId>` (the id already checked to be a UUID). Signs in with the token
 * from the URL; someone else's card closes with 4403. An unused id opens an empty room and
 * stores nothing: the card exists from its first accepted update.
 */
export function handleYConnection(ws: WebSocket, hub: Hub, limits: ConnectionLimits, cardId: string, token: string, onSignedIn: () => void): void {
  // Frames that come while the sign-in reads the database wait for it (then are handled in order).
  const early: Buffer[] = [];
  const hold = (data: Buffer, isBinary: boolean) => {
    if (!isBinary) return ws.close(CLOSE.PROTOCOL, 'frames are binary');
    if (early.length >= MAX_QUEUED_FRAMES) return ws.close(CLOSE.TOO_MANY, 'too many frames');
    early.push(data);
  };
  ws.on('message', hold);
  signInY(ws, hub, limits, cardId, token, onSignedIn, early, () => ws.off('message', hold)).catch((error: unknown) => {
    console.error('sync-server: a /y sign-in failed', error);
    ws.close(CLOSE.SERVER_ERROR, 'server error');
  });
}

async function signInY(ws: WebSocket, hub: Hub, limits: ConnectionLimits, cardId: string, token: string, onSignedIn: () => void, early: Buffer[], stopHolding: () => void): Promise<void> {
  const started = Date.now();
  const status = await authenticate(hub.storage, token);
  if (ws.readyState !== ws.OPEN) return;
  if (status?.state !== 'valid') {
    ws.close(status?.state === 'disabled' ? CLOSE.USER_DISABLED : CLOSE.UNAUTHORIZED, status?.state === 'disabled' ? 'user disabled' : 'unauthorized');
    return;
  }
  let user: User = status.user;
  const tag = tokenTag(token);
  onSignedIn();
  const card = await hub.storage.getCard(cardId);
  // The same reads whether or not the card exists, so the answer's timing tells nothing either.
  const checked = await hub.custody.readRight(user, card ?? { id: cardId, owner: '' });
  const right = card && checked;
  const reason = right?.reason;
  if (ws.readyState !== ws.OPEN) return;
  // Someone else's card looks like a card that does not exist: an empty room of its own, which
  // receives nothing; a change sent there is refused as any change to someone else's card is.
  const ghost = card !== undefined && !reason;
  if (!limits.openSigned(user.name)) {
    ws.close(CLOSE.TOO_MANY, 'too many connections');
    return;
  }
  const room = ghost ? emptyRoom() : (rooms.get(cardId) ?? openRoom(hub, cardId));
  room.conns.set(ws, new Set());
  // Joined before the card exists: held apart until the card appears and the check lets it in.
  if (!card) room.unverified.set(ws, () => void stillReadable().catch(() => ws.close(CLOSE.SERVER_ERROR, 'server error')));
  if (ghost) room.unverified.set(ws, () => undefined);
  const watch = watchToken(hub.storage, token, (why) => ws.close(why === 'disabled' ? CLOSE.USER_DISABLED : CLOSE.UNAUTHORIZED, why === 'disabled' ? 'user disabled' : 'unauthorized'));
  /** False (and the connection closed) once the user may no longer read the card. */
  const stillReadable = async (): Promise<boolean> => {
    const fresh = await watch.current();
    if (!fresh) return false;
    user = fresh;
    if (ghost) return true;
    const stored = await hub.storage.getCard(cardId);
    if (!stored) return true;
    const { reason, until } = await hub.custody.readRight(fresh, stored);
    if (!reason) {
      ws.close(CLOSE.FORBIDDEN, 'access ended');
      return false;
    }
    endAt(until);
    if (room.unverified.has(ws) && ws.readyState === ws.OPEN) admit(reason);
    return true;
  };
  /** A right with an end of its own (a loan) closes the connection at that moment, not at a later tick. */
  let endTimer: ReturnType<typeof setTimeout> | undefined;
  const endAt = (until: number) => {
    if (endTimer) clearTimeout(endTimer);
    endTimer = undefined;
    if (!Number.isFinite(until)) return;
    hub.accessClock.wakeAt(until);
    endTimer = setTimeout(() => ws.close(CLOSE.FORBIDDEN, 'access ended'), Math.max(0, until - Date.now()));
  };
  /** The card appeared and this joiner may read it: the read is audited, then the whole card sent. */
  const admit = (reason: string) => {
    room.unverified.delete(ws);
    hub.audits.add({ at: Date.now(), user: user.name, token: tag, action: 'read', cardId, detail: `${reason} (/y, once created)` });
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, MESSAGE_SYNC);
    syncProtocol.writeUpdate(e, Y.encodeStateAsUpdate(room.doc));
    send(ws, encoding.toUint8Array(e));
  };
  const unsubscribe = hub.subscribe({
    change: () => undefined,
    feedMoved: (kind) => {
      if (kind === 'access' && ws.readyState === ws.OPEN) void stillReadable().catch(() => ws.close(CLOSE.SERVER_ERROR, 'server error'));
    },
  });
  let chain: Promise<void> = room.ready;
  let queued = 0;

  const handle = async (data: Buffer): Promise<void> => {
    if (ws.readyState !== ws.OPEN || !(await stillReadable())) return;
    const decoder = decoding.createDecoder(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    const type = decoding.readVarUint(decoder);
    if (type === MESSAGE_SYNC) await handleSync(hub, { user, token: tag }, cardId, room, ws, decoder);
    else if (type === MESSAGE_AWARENESS) awarenessProtocol.applyAwarenessUpdate(room.awareness, decoding.readVarUint8Array(decoder), ws);
    else if (type === MESSAGE_QUERY_AWARENESS && !room.unverified.has(ws)) {
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, MESSAGE_AWARENESS);
      encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(room.awareness, [...room.awareness.getStates().keys()]));
      send(ws, encoding.toUint8Array(e));
    } else if (type !== MESSAGE_QUERY_AWARENESS) throw new Error('unknown message type');
  };

  const onFrame = (data: Buffer, isBinary: boolean) => {
    if (!isBinary) {
      ws.close(CLOSE.PROTOCOL, 'frames are binary');
      return;
    }
    if (++queued > MAX_QUEUED_FRAMES) {
      ws.close(CLOSE.TOO_MANY, 'too many frames');
      return;
    }
    chain = chain
      .then(() => handle(data))
      .catch(() => ws.close(CLOSE.PROTOCOL, 'bad frame'))
      .finally(() => void queued--);
  };
  if (right && reason) endAt(right.until);
  ws.on('close', () => {
    if (endTimer) clearTimeout(endTimer);
    unsubscribe();
    watch.stop();
    limits.releaseSigned(user.name);
    closeConn(cardId, room, ws);
  });
  if (card && reason) await hub.storage.audit([{ at: Date.now(), user: user.name, token: tag, action: 'read', cardId, detail: `${reason} (/y)` }]);
  await room.ready;
  // A card that does not exist and one the user may not read answer at the same moment.
  if (!card || ghost) await refusalFloor(started);
  if (ws.readyState !== ws.OPEN) return;
  // Frames that came during the sign-in first, in order; then the rest as they come.
  stopHolding();
  for (const data of early.splice(0)) onFrame(data, true);
  ws.on('message', onFrame);

  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_SYNC);
  syncProtocol.writeSyncStep1(e, room.doc);
  send(ws, encoding.toUint8Array(e));
  const states = [...room.awareness.getStates().keys()];
  if (states.length > 0 && !room.unverified.has(ws)) {
    const a = encoding.createEncoder();
    encoding.writeVarUint(a, MESSAGE_AWARENESS);
    encoding.writeVarUint8Array(a, awarenessProtocol.encodeAwarenessUpdate(room.awareness, states));
    send(ws, encoding.toUint8Array(a));
  }
}
