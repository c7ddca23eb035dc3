/**
 * The many-document sync protocol spoken on `/sync`: one websocket per device carries every
 * card. Binary frames, lib0 encoding: a varUint message type, then the message's fields in the
 * order listed below. Used by the server (sync-server/endpoints/sync-endpoint.ts) and the client
 * (extension/sync/sync-client.ts); decoding never throws — a bad frame is a value.
 *
 *   AUTH       c→s  token: string, device: string             must be the first message
 *                    device: free text naming the device; it may start with "[frames:a,b] ", the
 *                    optional server frames the client reads (FRAMES: 'classes', 'custody',
 *                    'policy'): a server sends CLASSES and CUSTODY only to clients that name them,
 *                    so a device of an older build (which would take them for unreadable frames)
 *                    never gets them; 'policy' asks for POLICY at version 0 as well
 *   AUTH_OK    s→c  user: string, role: string, database: string
 *                    database: the server database's id; a device's cursor and outbox belong to
 *                    (server address, user, database), so a reset or replaced database is noticed
 *   ERROR      s→c  code: string, message: string             then, for auth errors, close 4401
 *   SYNC       c→s  cursor: uint                               "send me what changed after cursor"
 *   DOCS       s→c  done: uint, total: uint, n, n×(cardId: string, seq: uint, state: bytes, row: string)
 *                    row: the card's index row for that state as JSON, or '' (the device builds it);
 *                    decoded as its UTF-8 bytes, a view into the frame: a device turns them into
 *                    text only if it reads the row (parseServerRow), so one that does not pays nothing
 *   SYNC_DONE  s→c  cursor: uint                               all DOCS for that SYNC were sent
 *   PUSH       c→s  clientSeq: uint, cardId: string, update: bytes
 *   ACK        s→c  clientSeq: uint, seq: uint                 sent only after the storage commit
 *   NACK       s→c  clientSeq: uint, code: string, message: string   the update was refused
 *   UPDATE     s→c  cardId: string, seq: uint, update: bytes   a change made elsewhere, live
 *   PING/PONG  both (no fields)                                 keep-alive
 *   GONE       s→c  n, n×cardId: string                         the user may no longer read these
 *                    cards (a loan ended, a handover): the device deletes its copies
 *   POLICY     s→c  version: uint                              the company policy's version, after
 *                    AUTH_OK and whenever an admin changes it: a device holding another version
 *                    fetches it (GET /api/policy) and applies it at once
 *   CLASSES    s→c  aMin: float64, bMin: float64, asOf: float64   the company's ABC cut-offs (what
 *                    GET /api/classification answers: cut-offs only, no customer's amount; Infinity:
 *                    no card reaches that class), after the connection's first SYNC_DONE and whenever an accepted write or a
 *                    policy change moves them: the device re-classes its cards at once
 *   CUSTODY    s→c  (no fields)                                 loans, proposals or handovers this user
 *                    sees may have changed: open pages read their custody again (no polling)
 *   A client ignores a frame of a type it does not know (a newer server's); the server refuses
 *   any frame a client does not send, as before.
 *
 * The change feed is the server's log: every stored change, and every change of who may read a
 * card, gets the next seq; a device keeps the seq up to which it has everything (its cursor).
 * The server sends a user's feed in log order: a SYNC's DOCS, GONE and SYNC_DONE, and later,
 * unasked, further DOCS / GONE / SYNC_DONE runs whenever the log grew in a way live UPDATEs do
 * not carry (access changes, changes written by another process). A live UPDATE or an ACK
 * carries a seq only when everything before it was delivered (else 0), so a cursor never passes
 * a change the device has not seen. Reconnecting with nothing changed costs one SYNC and one
 * SYNC_DONE.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

export const MESSAGE = {
  AUTH: 0,
  AUTH_OK: 1,
  ERROR: 2,
  SYNC: 3,
  DOCS: 4,
  SYNC_DONE: 5,
  PUSH: 6,
  ACK: 7,
  NACK: 8,
  UPDATE: 9,
  PING: 10,
  PONG: 11,
  GONE: 12,
  POLICY: 13,
  CLASSES: 14,
  CUSTODY: 15,
} as const;

/** The optional server frames a client may name in its AUTH's device text. */
/** 'policy': POLICY is told at version 0 too (the company's standard rules, before an admin set any). */
export const FRAMES = ['classes', 'custody', 'policy'] as const;
export type OptionalFrame = (typeof FRAMES)[number];

/** The device text with the optional frames the client reads named first (kept within the 200 characters the server keeps). */
export function deviceWithFrames(device: string, frames: readonly OptionalFrame[] = FRAMES): string {
  return `[frames:${frames.join(',')}] ${device}`.slice(0, 200);
}

/** The optional frames a device text names (unknown names are ignored: nothing is refused for them). */
export function framesOf(device: string): Set<OptionalFrame> {
  const named = /^\[frames:([a-z,]{0,100})\]/.exec(device)?.[1] ?? '';
  return new Set(named.split(',').filter((name): name is OptionalFrame => (FRAMES as readonly string[]).includes(name)));
}

/** Close codes of the /sync and /y endpoints. */
export const CLOSE = {
  /** Bad, unknown or revoked token: the client stops retrying and tells the user. */
  UNAUTHORIZED: 4401,
  /** The first message was not AUTH, or a frame could not be decoded. */
  PROTOCOL: 4400,
  /** Too large (ws closes with 1009 by itself for frames over maxPayload). */
  TOO_LARGE: 1009,
  /** The server could not handle a message (nothing from it was stored). */
  SERVER_ERROR: 1011,
  /** /y: no right to read this card. */
  FORBIDDEN: 4403,
  /** No AUTH within the sign-in time limit. */
  AUTH_TIMEOUT: 4408,
  /** Too many connections for this user or address, or SYNC requests too often: retry later. */
  TOO_MANY: 4429,
  /** The user was disabled (left the company): the device deletes every card of this server. */
  USER_DISABLED: 4410,
  /** The server's database is away (or its disk full): nothing was stored; the device keeps its changes and reconnects later. */
  STORE_UNAVAILABLE: 4503,
} as const;

/**
 * NACK codes that refuse nothing for good (the card kept changing while the update was checked;
 * the server could not store it, its database being away): the device keeps the change in its
 * outbox and sends it again after a pause that grows while the refusals go on.
 */
export const NACK_RETRY_LATER: ReadonlySet<string> = new Set(['busy', 'server-error', 'rate-limited']);

export const LIMITS = {
  /** Largest frame either side accepts. */
  maxFrameBytes: 1024 * 1024,
  /** A DOCS frame holds at most this many cards … */
  batchCards: 500,
  /** … or about this many bytes. */
  batchBytes: 1024 * 1024 - 64 * 1024,
  maxIdLength: 100,
  /** The most a card's stored state may hold: it must fit one DOCS frame with its row. */
  maxCardBytes: 512 * 1024,
  maxTokenLength: 200,
} as const;

export interface DocEntry {
  cardId: string;
  seq: number;
  state: Uint8Array;
  /**
   * The server's index row for `state`: its JSON's UTF-8 bytes (a view into the frame), empty when
   * the server sent none (the device builds the row). `parseServerRow` reads it.
   */
  row: Uint8Array;
}

/**
 * A DOCS entry as the server writes it: the row as text, or as the JSON's UTF-8 bytes as the
 * store holds them, written as they are (a varString is a length and UTF-8 bytes, so the frame is
 * the same either way): a first sync never turns 10,000 rows into strings on either side.
 */
export type OutgoingDocEntry = Omit<DocEntry, 'row'> & { row: string | Uint8Array };

/** What may be encoded: any message, with DOCS rows as text or bytes. */
export type OutgoingMessage = Exclude<SyncMessage, { type: 'docs' }> | { type: 'docs'; done: number; total: number; docs: OutgoingDocEntry[] };

export type SyncMessage =
  | { type: 'auth'; token: string; device: string }
  | { type: 'auth-ok'; user: string; role: string; database: string }
  | { type: 'error'; code: string; message: string }
  | { type: 'sync'; cursor: number }
  | { type: 'docs'; done: number; total: number; docs: DocEntry[] }
  | { type: 'sync-done'; cursor: number }
  | { type: 'push'; clientSeq: number; cardId: string; update: Uint8Array }
  | { type: 'ack'; clientSeq: number; seq: number }
  | { type: 'nack'; clientSeq: number; code: string; message: string }
  | { type: 'update'; cardId: string; seq: number; update: Uint8Array }
  | { type: 'ping' }
  | { type: 'pong' }
  | { type: 'gone'; cardIds: string[] }
  | { type: 'policy'; version: number }
  | { type: 'classes'; aMin: number; bMin: number; asOf: number }
  | { type: 'custody' };

export type DecodeResult = { ok: true; message: SyncMessage } | { ok: false; reason: string };

/** The bytes a var-uint takes (lib0's encoding: 7 bits a byte). */
function varUintSize(value: number): number {
  let size = 1;
  while (value > 0x7f) {
    value = Math.floor(value / 128);
    size++;
  }
  return size;
}

const utf8 = new TextEncoder();

/**
 * DOCS written straight into one buffer of its exact size, byte for byte what lib0's encoder
 * writes: its states are most of a cold sync's bytes, and the general encoder copied each twice
 * (into its growing chunks, then joining them).
 */
function encodeDocs(message: Extract<OutgoingMessage, { type: 'docs' }>): Uint8Array {
  const ids = message.docs.map((doc) => utf8.encode(doc.cardId));
  const rows = message.docs.map((doc) => (typeof doc.row === 'string' ? utf8.encode(doc.row) : doc.row));
  let size = varUintSize(MESSAGE.DOCS) + varUintSize(message.done) + varUintSize(message.total) + varUintSize(message.docs.length);
  message.docs.forEach((doc, i) => {
    const id = ids[i]!;
    const row = rows[i]!;
    size += varUintSize(id.length) + id.length + varUintSize(doc.seq) + varUintSize(doc.state.length) + doc.state.length + varUintSize(row.length) + row.length;
  });
  const out = new Uint8Array(size);
  let at = 0;
  const writeVarUint = (value: number) => {
    while (value > 0x7f) {
      out[at++] = 0x80 | (value & 0x7f);
      value = Math.floor(value / 128);
    }
    out[at++] = value;
  };
  const writeBytes = (bytes: Uint8Array) => {
    writeVarUint(bytes.length);
    out.set(bytes, at);
    at += bytes.length;
  };
  writeVarUint(MESSAGE.DOCS);
  writeVarUint(message.done);
  writeVarUint(message.total);
  writeVarUint(message.docs.length);
  message.docs.forEach((doc, i) => {
    writeBytes(ids[i]!);
    writeVarUint(doc.seq);
    writeBytes(doc.state);
    writeBytes(rows[i]!);
  });
  return out;
}

export function encodeMessage(message: OutgoingMessage): Uint8Array {
  if (message.type === 'docs') return encodeDocs(message);
  const e = encoding.createEncoder();
  switch (message.type) {
    case 'auth':
      encoding.writeVarUint(e, MESSAGE.AUTH);
      encoding.writeVarString(e, message.token);
      encoding.writeVarString(e, message.device);
      break;
    case 'auth-ok':
      encoding.writeVarUint(e, MESSAGE.AUTH_OK);
      encoding.writeVarString(e, message.user);
      encoding.writeVarString(e, message.role);
      encoding.writeVarString(e, message.database);
      break;
    case 'error':
      encoding.writeVarUint(e, MESSAGE.ERROR);
      encoding.writeVarString(e, message.code);
      encoding.writeVarString(e, message.message);
      break;
    case 'sync':
      encoding.writeVarUint(e, MESSAGE.SYNC);
      encoding.writeVarUint(e, message.cursor);
      break;
    case 'sync-done':
      encoding.writeVarUint(e, MESSAGE.SYNC_DONE);
      encoding.writeVarUint(e, message.cursor);
      break;
    case 'push':
      encoding.writeVarUint(e, MESSAGE.PUSH);
      encoding.writeVarUint(e, message.clientSeq);
      encoding.writeVarString(e, message.cardId);
      encoding.writeVarUint8Array(e, message.update);
      break;
    case 'ack':
      encoding.writeVarUint(e, MESSAGE.ACK);
      encoding.writeVarUint(e, message.clientSeq);
      encoding.writeVarUint(e, message.seq);
      break;
    case 'nack':
      encoding.writeVarUint(e, MESSAGE.NACK);
      encoding.writeVarUint(e, message.clientSeq);
      encoding.writeVarString(e, message.code);
      encoding.writeVarString(e, message.message);
      break;
    case 'update':
      encoding.writeVarUint(e, MESSAGE.UPDATE);
      encoding.writeVarString(e, message.cardId);
      encoding.writeVarUint(e, message.seq);
      encoding.writeVarUint8Array(e, message.update);
      break;
    case 'ping':
      encoding.writeVarUint(e, MESSAGE.PING);
      break;
    case 'pong':
      encoding.writeVarUint(e, MESSAGE.PONG);
      break;
    case 'gone':
      encoding.writeVarUint(e, MESSAGE.GONE);
      encoding.writeVarUint(e, message.cardIds.length);
      for (const id of message.cardIds) encoding.writeVarString(e, id);
      break;
    case 'policy':
      encoding.writeVarUint(e, MESSAGE.POLICY);
      encoding.writeVarUint(e, message.version);
      break;
    case 'classes':
      encoding.writeVarUint(e, MESSAGE.CLASSES);
      encoding.writeFloat64(e, message.aMin);
      encoding.writeFloat64(e, message.bMin);
      encoding.writeFloat64(e, message.asOf);
      break;
    case 'custody':
      encoding.writeVarUint(e, MESSAGE.CUSTODY);
      break;
  }
  return encoding.toUint8Array(e);
}

function readId(d: decoding.Decoder): string {
  const id = decoding.readVarString(d);
  if (id.length === 0 || id.length > LIMITS.maxIdLength) throw new Error('bad card id');
  return id;
}

function readMessage(d: decoding.Decoder): SyncMessage {
  const type = decoding.readVarUint(d);
  switch (type) {
    case MESSAGE.AUTH: {
      const token = decoding.readVarString(d);
      if (token.length > LIMITS.maxTokenLength) throw new Error('token too long');
      return { type: 'auth', token, device: decoding.readVarString(d).slice(0, 200) };
    }
    case MESSAGE.AUTH_OK:
      return { type: 'auth-ok', user: decoding.readVarString(d), role: decoding.readVarString(d), database: decoding.readVarString(d) };
    case MESSAGE.ERROR:
      return { type: 'error', code: decoding.readVarString(d), message: decoding.readVarString(d) };
    case MESSAGE.SYNC:
      return { type: 'sync', cursor: decoding.readVarUint(d) };
    case MESSAGE.DOCS: {
      const done = decoding.readVarUint(d);
      const total = decoding.readVarUint(d);
      const count = decoding.readVarUint(d);
      if (count > LIMITS.batchCards) throw new Error('batch too large');
      const docs: DocEntry[] = [];
      for (let i = 0; i < count; i++) docs.push({ cardId: readId(d), seq: decoding.readVarUint(d), state: decoding.readVarUint8Array(d), row: decoding.readVarUint8Array(d) });
      return { type: 'docs', done, total, docs };
    }
    case MESSAGE.SYNC_DONE:
      return { type: 'sync-done', cursor: decoding.readVarUint(d) };
    case MESSAGE.PUSH:
      return { type: 'push', clientSeq: decoding.readVarUint(d), cardId: readId(d), update: decoding.readVarUint8Array(d) };
    case MESSAGE.ACK:
      return { type: 'ack', clientSeq: decoding.readVarUint(d), seq: decoding.readVarUint(d) };
    case MESSAGE.NACK:
      return { type: 'nack', clientSeq: decoding.readVarUint(d), code: decoding.readVarString(d), message: decoding.readVarString(d) };
    case MESSAGE.UPDATE:
      return { type: 'update', cardId: readId(d), seq: decoding.readVarUint(d), update: decoding.readVarUint8Array(d) };
    case MESSAGE.PING:
      return { type: 'ping' };
    case MESSAGE.PONG:
      return { type: 'pong' };
    case MESSAGE.GONE: {
      const count = decoding.readVarUint(d);
      if (count > LIMITS.batchCards) throw new Error('batch too large');
      const cardIds: string[] = [];
      for (let i = 0; i < count; i++) cardIds.push(readId(d));
      return { type: 'gone', cardIds };
    }
    case MESSAGE.POLICY:
      return { type: 'policy', version: decoding.readVarUint(d) };
    case MESSAGE.CLASSES: {
      const aMin = decoding.readFloat64(d);
      const bMin = decoding.readFloat64(d);
      const asOf = decoding.readFloat64(d);
      // A cut-off is an amount or Infinity; NaN or a negative one is not a cut-off.
      if (!(aMin >= 0) || !(bMin >= 0) || !Number.isFinite(asOf)) throw new Error('bad cut-offs');
      return { type: 'classes', aMin, bMin, asOf };
    }
    case MESSAGE.CUSTODY:
      return { type: 'custody' };
    default:
      throw new Error(`unknown message type ${type}`);
  }
}

/** Decodes one frame. Truncated, oversized, trailing-garbage or unknown frames give a reason. */
export function decodeMessage(frame: Uint8Array): DecodeResult {
  if (frame.byteLength === 0) return { ok: false, reason: 'empty frame' };
  if (frame.byteLength > LIMITS.maxFrameBytes) return { ok: false, reason: 'frame too large' };
  try {
    const d = decoding.createDecoder(frame);
    const message = readMessage(d);
    if (decoding.hasContent(d)) return { ok: false, reason: 'trailing bytes after the message' };
    return { ok: true, message };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : 'undecodable frame' };
  }
}
