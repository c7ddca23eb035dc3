/**
 * `/y/<cardId>?token=…`: the stock y-websocket protocol (y-protocols sync + awareness) for one
 * card, so any y-websocket client can sync it and the extension can show live presence. A room
 * (presence and its connections) lives while the card has connections; it never builds the
 * card's Y.Doc on the main thread (see Room). Every incoming update goes through
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
import { CLOSE } from '../../shared/sync/protocol.ts';
import { authenticate, tokenTag } from '../custody/auth.ts';
import { watchToken } from '../custody/auth-watch.ts';
import type { ConnectionLimits } from './connection-limits.ts';
import type { Hub, Session } from '../fanout/hub.ts';
import { refusalFloor } from './refusal-floor.ts';
import type { User } from '../storage/storage.ts';

const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;
const MESSAGE_QUERY_AWARENESS = 3;
const MAX_QUEUED_FRAMES = 1_000;
/** An update that changes nothing (no structs, no deletes). */
const EMPTY_UPDATE = new Uint8Array([0, 0]);

/**
 * A card's live room. It holds no Y.Doc of the card: building one from a large (or crafted)
 * state on the main thread at every join stalled the server for everyone. A client's sync step 1
 * is answered from the stored state by `Y.diffUpdate` (no integration), the server's own step 1
 * sends the stored state's vector, and changes are forwarded as the bytes the hub accepted and
 * published: a run of frames the hub checked and committed together goes out as its one merged
 * update, to every connection of the room (its writers too, as the stock server echoes every
 * update), once the run is committed.
 */
interface Room {
  /** Presence only: the awareness protocol needs a doc, never the card's. */
  awareness: awarenessProtocol.Awareness;
  conns: Map<WebSocket, Set<number>>;
  /**
   * Connections that joined before the card existed, each with its check: they get nothing from
   * the room until the check, run when the card appears, lets them in (or closes them).
   */
  unverified: Map<WebSocket, () => void>;
  unsubscribe: () => void;
  /** Kept for the join's order (resolves at once: nothing is loaded). */
  ready: Promise<void>;
  /** The state vector of the stored state as last read (another process's changes are sent as the difference from it). */
  seen: Uint8Array | undefined;
}

const rooms = new Map<string, Room>();

export function liveRoomCount(): number {
  return rooms.size;
}

function send(ws: WebSocket, bytes: Uint8Array): void {
  if (ws.readyState === ws.OPEN) ws.send(bytes);
}

function updateMessage(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_SYNC);
  syncProtocol.writeUpdate(e, update);
  return encoding.toUint8Array(e);
}

/**
 * An update to every connection of the room, and none to those held apart: the card may have
 * just appeared, so each of them is checked now (and let in, or closed).
 */
function forward(room: Room, update: Uint8Array): void {
  const bytes = updateMessage(update);
  for (const ws of room.conns.keys()) if (!room.unverified.has(ws)) send(ws, bytes);
  for (const check of [...room.unverified.values()]) check();
}

/** A room listens to the hub from its opening: changes stored after it opened reach it. */
function openRoom(hub: Hub, cardId: string): Room {
  const awareness = new awarenessProtocol.Awareness(new Y.Doc());
  awareness.setLocalState(null);
  const room: Room = { awareness, conns: new Map(), unverified: new Map(), unsubscribe: () => undefined, ready: Promise.resolve(), seen: undefined };
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
      // This room's own changes too: a run of its writers' frames reaches everyone as one update.
      if (change.cardId === cardId) forward(room, change.update);
    },
    // Another process (the admin CLI) may have changed the card: send what is new since the last
    // read — after the connections have re-checked their right to read it (their listeners run now).
    feedMoved: () =>
      void setImmediate(() => {
        if (rooms.get(cardId) !== room) return;
        hub.storage.getCard(cardId).then(
          (stored) => {
            if (!stored || rooms.get(cardId) !== room) return;
            const diff = room.seen ? Y.diffUpdate(stored.state, room.seen) : stored.state;
            room.seen = Y.encodeStateVectorFromUpdate(stored.state);
            if (diff.byteLength > 2) forward(room, diff);
          },
          (error: unknown) => console.error('sync-server: a room could not re-read its card', error),
        );
      }),
  });
  rooms.set(cardId, room);
  return room;
}

/** The socket closed: its presence goes at once (the room stays while its frames drain). */
function dropPresence(room: Room, ws: WebSocket): void {
  const ids = room.conns.get(ws);
  room.unverified.delete(ws);
  if (ids && ids.size > 0) awarenessProtocol.removeAwarenessStates(room.awareness, [...ids], null);
  ids?.clear();
}

/** The connection's last frame is handled: it leaves the room, and the last one out closes it. */
function closeConn(cardId: string, room: Room, ws: WebSocket): void {
  dropPresence(room, ws);
  room.conns.delete(ws);
  if (room.conns.size === 0) {
    room.unsubscribe();
    room.awareness.destroy();
    room.awareness.doc.destroy();
    if (rooms.get(cardId) === room) rooms.delete(cardId);
  }
}

/** The room of a connection to someone else's card: empty, shared with no one, fed by nothing. */
function emptyRoom(): Room {
  const awareness = new awarenessProtocol.Awareness(new Y.Doc());
  awareness.setLocalState(null);
  return { awareness, conns: new Map(), unverified: new Map(), unsubscribe: () => undefined, ready: Promise.resolve(), seen: undefined };
}

/** The close code of a refused update: the change's fault, no right to it, or try again later. */
function closeCodeOf(code: string): number {
  if (code === 'not-found') return CLOSE.FORBIDDEN;
  if (code === 'store-unavailable') return CLOSE.STORE_UNAVAILABLE;
  if (code === 'busy' || code === 'rate-limited') return CLOSE.TOO_MANY;
  if (code === 'server-error') return CLOSE.SERVER_ERROR;
  return CLOSE.PROTOCOL;
}

/** Handles one sync-protocol message; resolves once an update is accepted (true) or refused and the connection closed (false). */
async function handleSync(hub: Hub, limits: ConnectionLimits, session: Session, cardId: string, room: Room, ws: WebSocket, decoder: decoding.Decoder): Promise<boolean> {
  const kind = decoding.readVarUint(decoder);
  if (kind === syncProtocol.messageYjsSyncStep1) {
    // What the client lacks, from the stored state (committed, so every accepted change is in it);
    // nothing to a connection held apart (the card is not, or not yet, one it may read).
    const vector = decoding.readVarUint8Array(decoder);
    const stored = room.unverified.has(ws) ? undefined : await hub.storage.getCard(cardId);
    if (stored) room.seen ??= Y.encodeStateVectorFromUpdate(stored.state);
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, MESSAGE_SYNC);
    encoding.writeVarUint(e, syncProtocol.messageYjsSyncStep2);
    encoding.writeVarUint8Array(e, stored ? Y.diffUpdate(stored.state, vector) : EMPTY_UPDATE);
    send(ws, encoding.toUint8Array(e));
    return true;
  }
  if (kind !== syncProtocol.messageYjsSyncStep2 && kind !== syncProtocol.messageYjsUpdate) throw new Error('unknown sync message');
  const update = decoding.readVarUint8Array(decoder);
  // An empty step 2 (a client with nothing new) changes nothing: no need to check it.
  if (update.byteLength <= 2) return true;
  // The user's write quota (connection-limits.ts): past it, the connection closes with 4429 (the
  // client reconnects and sends its state again); the refusal is audited.
  if (!limits.takeWrite(session.user.name, update.byteLength)) {
    hub.audits.add({ at: Date.now(), user: session.user.name, token: session.token, action: 'refuse', cardId, detail: 'rate-limited: write quota (/y)' });
    ws.close(CLOSE.TOO_MANY, 'rate-limited');
    return false;
  }
  const result = await hub.acceptUpdate(session, cardId, update, room);
  if (!result.ok) {
    ws.close(closeCodeOf(result.code), result.code);
    return false;
  }
  // Committed: the room forwards it (merged with the rest of its run) as the hub publishes it.
  return true;
}

/**
 * A connection to `/y/<cardId>` (the id already checked to be a UUID). Signs in with the token
 * from the URL; someone else's card closes with 4403. An unused id opens an empty room and
 * stores nothing: the card exists from its first accepted update.
 */
export function handleYConnection(ws: WebSocket, hub: Hub, limits: ConnectionLimits, cardId: string, token: string, onSignedIn: () => void): void {
  // Until its last received frame is handled, the connection holds the server open (drain.ts).
  const leave = hub.drain.enter();
  const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
  // Frames that come while the sign-in reads the database wait for it (then are handled in order).
  const early: Buffer[] = [];
  const hold = (data: Buffer, isBinary: boolean) => {
    if (!isBinary) return ws.close(CLOSE.PROTOCOL, 'frames are binary');
    if (early.length >= MAX_QUEUED_FRAMES) return ws.close(CLOSE.TOO_MANY, 'too many frames');
    early.push(data);
  };
  ws.on('message', hold);
  signInY(ws, hub, limits, cardId, token, onSignedIn, early, () => ws.off('message', hold), closed).then(
    (done) => closed.then(() => done).then(leave, leave),
    (error: unknown) => {
      console.error('sync-server: a /y sign-in failed', error);
      ws.close(CLOSE.SERVER_ERROR, 'server error');
      leave();
    },
  );
}

const isOpen = (ws: WebSocket) => ws.readyState === ws.OPEN;

/**
 * Signs in, joins the room and handles the frames; resolves with a promise that settles once the
 * connection is done with (closed, and every frame it received handled). A socket that closes
 * during the sign-in still has the frames it sent before the close handled, once signed in.
 */
async function signInY(
  ws: WebSocket,
  hub: Hub,
  limits: ConnectionLimits,
  cardId: string,
  token: string,
  onSignedIn: () => void,
  early: Buffer[],
  stopHolding: () => void,
  closed: Promise<void>,
): Promise<Promise<void>> {
  const nothing = Promise.resolve();
  const started = Date.now();
  const status = await authenticate(hub.storage, token);
  // Closed with nothing sent: nothing to handle.
  if (!isOpen(ws) && early.length === 0) return nothing;
  if (status?.state !== 'valid') {
    ws.close(status?.state === 'disabled' ? CLOSE.USER_DISABLED : CLOSE.UNAUTHORIZED, status?.state === 'disabled' ? 'user disabled' : 'unauthorized');
    return nothing;
  }
  let user: User = status.user;
  const tag = tokenTag(token);
  onSignedIn();
  const card = await hub.storage.getCard(cardId);
  // The same reads whether or not the card exists, so the answer's timing tells nothing either.
  const checked = await hub.custody.readRight(user, card ?? { id: cardId, owner: '' });
  const right = card && checked;
  const reason = right?.reason;
  if (!isOpen(ws) && early.length === 0) return nothing;
  // Someone else's card looks like a card that does not exist: an empty room of its own, which
  // receives nothing; a change sent there is refused as any change to someone else's card is.
  const ghost = card !== undefined && !reason;
  if (!limits.openSigned(user.name)) {
    ws.close(CLOSE.TOO_MANY, 'too many connections');
    return nothing;
  }
  // A join that is audited takes from the user's join quota (rejoining in a loop filled the audit).
  if (card && reason && !limits.takeJoin(user.name)) {
    limits.releaseSigned(user.name);
    ws.close(CLOSE.TOO_MANY, 'too many joins');
    return nothing;
  }
  const room = ghost ? emptyRoom() : (rooms.get(cardId) ?? openRoom(hub, cardId));
  room.conns.set(ws, new Set());
  // Joined before the card exists: held apart until the card appears and the check lets it in.
  if (!card) room.unverified.set(ws, () => void stillReadable().catch(() => ws.close(CLOSE.SERVER_ERROR, 'server error')));
  if (ghost) room.unverified.set(ws, () => undefined);
  const watch = watchToken(hub.storage, token, (why) => ws.close(why === 'disabled' ? CLOSE.USER_DISABLED : CLOSE.UNAUTHORIZED, why === 'disabled' ? 'user disabled' : 'unauthorized'));
  /**
   * Whether the right to read the card must be looked at again: the join just did, and every
   * access change (here or elsewhere) is announced to the hub's listeners (below).
   */
  let accessMoved = false;
  /**
   * Frames are numbered as they arrive; a completed look at the rights covers every frame that
   * arrived before it started (a burst costs one token read, not one per frame).
   */
  let arrivals = 0;
  let freshFor = 0;
  const readableFor = async (arrival: number): Promise<boolean> => {
    if (freshFor >= arrival) return true;
    const covers = arrivals;
    if (!(await stillReadable())) return false;
    freshFor = Math.max(freshFor, covers);
    return true;
  };
  /** False (and the connection closed) once the user may no longer read the card. */
  const stillReadable = async (): Promise<boolean> => {
    const fresh = await watch.current();
    if (!fresh) return false;
    // The same user as at the last look, and no access change since: still readable.
    if (!accessMoved && !room.unverified.has(ws) && fresh.role === user.role && fresh.team === user.team) return true;
    accessMoved = false;
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
    if (room.unverified.has(ws) && ws.readyState === ws.OPEN) admit(reason, stored.state);
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
  const admit = (reason: string, state: Uint8Array) => {
    room.unverified.delete(ws);
    hub.audits.add({ at: Date.now(), user: user.name, token: tag, action: 'read', cardId, detail: `${reason} (/y, once created)` });
    send(ws, updateMessage(state));
  };
  const unsubscribe = hub.subscribe({
    change: () => undefined,
    feedMoved: (kind) => {
      if (kind === 'access') accessMoved = true;
      if (kind === 'access' && isOpen(ws)) void stillReadable().catch(() => ws.close(CLOSE.SERVER_ERROR, 'server error'));
    },
  });
  let chain: Promise<void> = room.ready;
  let queued = 0;
  /** Updates queued in the hub and not yet answered, and the answer of the last of them. */
  let inflight = 0;
  let answered: Promise<unknown> = Promise.resolve();
  /** Set once a frame was refused: the connection is closing and the frames after it are not handled. */
  let refused = false;

  // A frame received before the close is handled after it too: a client that writes and closes
  // at once loses nothing. Only what needs an open socket (answers, presence) is skipped then.
  const handle = async (data: Buffer, arrival: number): Promise<void> => {
    if (refused || !(await readableFor(arrival))) return;
    const decoder = decoding.createDecoder(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    const type = decoding.readVarUint(decoder);
    if (type === MESSAGE_SYNC) {
      // The update is queued in the hub at once (in order); its answer is not waited for before
      // the next frame, so a burst is checked and committed as runs, not one frame at a time.
      inflight++;
      const outcome = handleSync(hub, limits, { user, token: tag }, cardId, room, ws, decoder).then(
        (ok) => void (ok || (refused = true)),
        () => {
          refused = true;
          ws.close(CLOSE.PROTOCOL, 'bad frame');
        },
      );
      answered = answered.then(() => outcome).finally(() => void inflight--);
    } else if (type === MESSAGE_AWARENESS) {
      if (isOpen(ws)) awarenessProtocol.applyAwarenessUpdate(room.awareness, decoding.readVarUint8Array(decoder), ws);
    } else if (type === MESSAGE_QUERY_AWARENESS && !room.unverified.has(ws)) {
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
    if (++queued + inflight > MAX_QUEUED_FRAMES) {
      ws.close(CLOSE.TOO_MANY, 'too many frames');
      return;
    }
    const arrival = ++arrivals;
    chain = chain
      .then(() => handle(data, arrival))
      .catch(() => {
        refused = true;
        ws.close(CLOSE.PROTOCOL, 'bad frame');
      })
      .finally(() => void queued--);
  };
  if (right && reason) endAt(right.until);
  // Presence goes with the socket; the room, the count and the watch once the last frame is handled.
  void closed.then(() => {
    if (endTimer) clearTimeout(endTimer);
    unsubscribe();
    dropPresence(room, ws);
  });
  const done = closed
    .then(() => chain)
    .then(() => answered)
    .then(() => undefined, () => undefined)
    .finally(() => {
      watch.stop();
      limits.releaseSigned(user.name);
      closeConn(cardId, room, ws);
    });
  if (card && reason) await hub.storage.audit([{ at: Date.now(), user: user.name, token: tag, action: 'read', cardId, detail: `${reason} (/y)` }]);
  await room.ready;
  // A card that does not exist and one the user may not read answer at the same moment.
  if (!card || ghost) await refusalFloor(started);
  // Frames that came during the sign-in first, in order; then the rest as they come.
  stopHolding();
  for (const data of early.splice(0)) onFrame(data, true);
  if (!isOpen(ws)) return done;
  ws.on('message', onFrame);

  // The server's step 1: the vector of the stored state as read at the join (a change stored
  // since is only sent back by the client once more, and found unchanged).
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_SYNC);
  encoding.writeVarUint(e, syncProtocol.messageYjsSyncStep1);
  encoding.writeVarUint8Array(e, card && !ghost ? Y.encodeStateVectorFromUpdate(card.state) : Y.encodeStateVector(new Y.Doc()));
  send(ws, encoding.toUint8Array(e));
  const states = [...room.awareness.getStates().keys()];
  if (states.length > 0 && !room.unverified.has(ws)) {
    const a = encoding.createEncoder();
    encoding.writeVarUint(a, MESSAGE_AWARENESS);
    encoding.writeVarUint8Array(a, awarenessProtocol.encodeAwarenessUpdate(room.awareness, states));
    send(ws, encoding.toUint8Array(a));
  }
  return done;
}
