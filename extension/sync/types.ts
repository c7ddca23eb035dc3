/**
 * What the sync client needs from the device's storage, and what it reports. The extension
 * implements SyncStorage over its Dexie store (extension/sync/store-adapter.ts); the tests
 * implement it in memory.
 */

export interface OutgoingUpdate {
  /** The outbox row's id: the client's sequence number for PUSH / ACK. */
  seq: number;
  cardId: string;
  update: Uint8Array;
}

export interface IncomingUpdate {
  cardId: string;
  update: Uint8Array;
  serverSeq: number;
  /** With DOCS: the server's index row of this state (its JSON's UTF-8 bytes), empty when it sent none. */
  row?: Uint8Array;
  /** DOCS carry a card's whole stored state; UPDATE a change to it. */
  whole?: boolean;
}

/** Whom a device's cursor and outbox belong to: a user of one server database at one address. */
export interface SyncIdentity {
  server: string;
  user: string;
  database: string;
}

/** What the device holds of another identity than the one that just signed in. */
export interface AccountChange {
  previous: SyncIdentity;
  next: SyncIdentity;
  cards: number;
  pending: number;
}

export interface SyncStorage {
  /**
   * Called after each sign-in, before anything is sent or stored: 'same' when the cursor and
   * outbox belong to `identity` (or the device holds nothing yet, and adopts it); otherwise what
   * the device holds of the previous identity, and the client stops without mixing anything.
   */
  /** `role`: the user's role as the server said it (what a first sign-in may claim depends on it). */
  bindIdentity(identity: SyncIdentity, role?: string): Promise<'same' | AccountChange>;
  getCursor(): Promise<number>;
  setCursor(cursor: number): Promise<void>;
  /** The oldest unacknowledged local updates. */
  takePending(limit: number): Promise<OutgoingUpdate[]>;
  /** Acknowledged by the server after its commit: drop them from the outbox. */
  ackPending(seqs: number[]): Promise<void>;
  /**
   * The server refused an outbox entry. 'retry': the entry was replaced by something the server
   * can take (the card's whole state, when the server lacked changes the update depends on);
   * 'dropped': it was taken out of the outbox and kept as a refused change for the user to see;
   * 'later': a passing refusal (protocol.ts NACK_RETRY_LATER): the entry stays, to be sent again.
   */
  refusePending(seq: number, code: string, message: string): Promise<'retry' | 'dropped' | 'later'>;
  applyRemote(updates: IncomingUpdate[]): Promise<void>;
  /**
   * The user may no longer read these cards (a loan ended, a handover): delete the device's
   * copies; their unsent changes are kept as refused changes for the user to resolve. Resolves
   * to the number of unsent changes so kept.
   */
  removeCards(cardIds: string[]): Promise<number>;
  /**
   * The user was disabled on this server: delete every card of it, the outbox and the cursor.
   * Resolves to what was deleted. (A revoked or mistyped token never calls this.)
   */
  wipeForDisabledUser(): Promise<{ cards: number; lost: number }>;
  /** Called once per (re)connect with the cursor the SYNC is sent with, before any DOCS arrive. */
  beginSync?(cursor: number): Promise<void>;
  /** Called at every SYNC_DONE: later DOCS (catch-up runs) may concern cards the device holds. */
  endSync?(): Promise<void>;
}

export type SyncState = 'connecting' | 'syncing' | 'online' | 'offline' | 'token-rejected' | 'account-changed' | 'user-disabled' | 'signed-out';

export interface SyncStatus {
  state: SyncState;
  /** First sync of a fresh device: cards received so far and in all. */
  progress?: { done: number; total: number };
  user?: string;
  /** The signed-in user's role on the server: rep, manager or admin. */
  role?: string;
  /** The last problem, readable (e.g. a refused update). */
  message?: string;
  /** With 'offline': the server is up but its database is not (nothing is lost; the device retries). */
  storeUnavailable?: boolean;
  pending?: number;
  /** Local changes the server refused (kept on this device, listed in the settings). */
  refused?: number;
  /** With 'account-changed': what the device holds of the previous account, and who signed in. */
  accountChange?: AccountChange;
  /** With 'user-disabled': what was deleted from this device. */
  wiped?: { cards: number; lost: number };
  /** Cards whose reading right ended and that were deleted from this device since it started. */
  removed?: number;
  /** When the server's feed last moved (a SYNC_DONE: a sync, or a run the server sent unasked after an access change). */
  feedAt?: number;
  /** The company policy's version as the server last told it (POLICY). */
  policyVersion?: number;
  /** When the server last said loans, proposals or handovers this user sees changed (CUSTODY). */
  custodyAt?: number;
}

/** The constructor of a WebSocket (the browser's, or `ws` in Node). */
export interface WebSocketLike {
  binaryType: string;
  readyState: number;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onclose: ((event: { code: number; reason?: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
}

export type WebSocketClass = new (url: string) => WebSocketLike;
