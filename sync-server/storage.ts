/**
 * The sync server's storage interface: users, tokens, cards (each card's merged Yjs state, its
 * owner and the seq of its last change) and the change log (who sent which change). The
 * embedded default is SQLite (storage-sqlite.ts); PostgreSQL can implement the same interface.
 * Every method is synchronous and each write is one committed transaction, so an ACK sent after
 * a call returns is durable.
 */

export type Role = 'rep' | 'manager' | 'admin';
export const ROLES: readonly Role[] = ['rep', 'manager', 'admin'];

export interface User {
  name: string;
  role: Role;
}

export interface StoredCard {
  id: string;
  owner: string;
  state: Uint8Array;
  seq: number;
}

export interface ChangedCard {
  id: string;
  seq: number;
  state: Uint8Array;
  /** The card's index row for this state (JSON, see card-row.ts), or '' if not computed yet. */
  row: string;
}

export interface Storage {
  addUser(name: string, role: Role): void;
  listUsers(): (User & { tokens: number })[];
  getUser(name: string): User | undefined;
  /** Stores a token's hash for a user. */
  addToken(tokenHash: string, user: string): void;
  /** Marks a token revoked; false if no such token. */
  revokeToken(tokenHash: string): boolean;
  /** The user of a valid (known, not revoked) token. */
  userOfToken(tokenHash: string): User | undefined;

  getCard(id: string): StoredCard | undefined;
  /**
   * Stores a card's new merged state (creating the card, owned by `by`, if new), assigns the
   * next global seq, logs who sent the change; returns the seq. One committed transaction.
   */
  saveCard(id: string, state: Uint8Array, by: string, updateBytes: number, row: string, rowVersion: number): number;
  /** Bulk load (imports, benchmarks): new cards in one transaction, each with its own seq. */
  importCards(cards: { id: string; owner: string; state: Uint8Array; row?: string; rowVersion?: number }[]): void;
  /** Cards whose row is missing or of another version than `version`. */
  cardsWithoutRow(version: number, limit: number): { id: string; state: Uint8Array }[];
  /** Sets a card's row without changing its seq (the state it describes is unchanged). */
  setRow(id: string, row: string, version: number): void;
  /** Cards readable by `reader` changed after `cursor`, in seq order, from `afterSeq`. */
  changedSince(cursor: number, reader: User, limit: number): ChangedCard[];
  countChangedSince(cursor: number, reader: User): number;
  maxSeq(): number;
  /** The database's random id, made when it was created (a reset or restore from elsewhere changes it). */
  databaseId(): string;
  close(): void;
}
