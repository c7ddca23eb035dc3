/**
 * The embedded storage: one SQLite file (better-sqlite3) in the data folder. WAL journal with
 * synchronous=FULL: a change is on disk when its transaction returns, so the server can ACK it;
 * a `kill -9` loses nothing acknowledged. Schema versions are kept in `user_version`.
 */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ChangedCard, Role, Storage, StoredCard, User } from './storage.ts';

const SCHEMA_V1 = `
  CREATE TABLE IF NOT EXISTS users (name TEXT PRIMARY KEY, role TEXT NOT NULL, created_at INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS tokens (hash TEXT PRIMARY KEY, user TEXT NOT NULL REFERENCES users(name), created_at INTEGER NOT NULL, revoked_at INTEGER);
  CREATE TABLE IF NOT EXISTS cards (id TEXT PRIMARY KEY, owner TEXT NOT NULL, state BLOB NOT NULL, seq INTEGER NOT NULL, updated_at INTEGER NOT NULL);
  CREATE INDEX IF NOT EXISTS cards_by_seq ON cards(seq);
  CREATE INDEX IF NOT EXISTS cards_by_owner_seq ON cards(owner, seq);
  CREATE TABLE IF NOT EXISTS changes (seq INTEGER PRIMARY KEY, card_id TEXT NOT NULL, user TEXT NOT NULL, at INTEGER NOT NULL, bytes INTEGER NOT NULL);
`;

export function openSqliteStorage(dataDir: string): Storage {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(join(dataDir, 'cards.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  if ((db.pragma('user_version', { simple: true }) as number) < 1) {
    db.exec(SCHEMA_V1);
    db.pragma('user_version = 1');
  }
  if ((db.pragma('user_version', { simple: true }) as number) < 2) {
    // v2: each card's index row (JSON) and its row version, sent with the state (card-row.ts).
    db.exec('ALTER TABLE cards ADD COLUMN row TEXT; ALTER TABLE cards ADD COLUMN row_version INTEGER;');
    db.pragma('user_version = 2');
  }
  if ((db.pragma('user_version', { simple: true }) as number) < 3) {
    // v3: the database's own id, sent with AUTH_OK: devices tie their cursor to it, so a
    // restored or reset database (sequence numbers start again) is noticed.
    db.exec('CREATE TABLE IF NOT EXISTS server_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
    db.prepare('INSERT OR IGNORE INTO server_meta (key, value) VALUES (?, ?)').run('database_id', randomUUID());
    db.pragma('user_version = 3');
  }
  const databaseId = (db.prepare('SELECT value FROM server_meta WHERE key = ?').get('database_id') as { value: string }).value;

  const q = {
    addUser: db.prepare('INSERT INTO users (name, role, created_at) VALUES (?, ?, ?)'),
    getUser: db.prepare<[string], { name: string; role: Role }>('SELECT name, role FROM users WHERE name = ?'),
    listUsers: db.prepare<[], { name: string; role: Role; tokens: number }>(
      'SELECT u.name, u.role, (SELECT COUNT(*) FROM tokens t WHERE t.user = u.name AND t.revoked_at IS NULL) AS tokens FROM users u ORDER BY u.name',
    ),
    addToken: db.prepare('INSERT INTO tokens (hash, user, created_at) VALUES (?, ?, ?)'),
    revokeToken: db.prepare('UPDATE tokens SET revoked_at = ? WHERE hash = ? AND revoked_at IS NULL'),
    tokenKnown: db.prepare<[string], { hash: string }>('SELECT hash FROM tokens WHERE hash = ?'),
    userOfToken: db.prepare<[string], { name: string; role: Role }>(
      'SELECT u.name, u.role FROM tokens t JOIN users u ON u.name = t.user WHERE t.hash = ? AND t.revoked_at IS NULL',
    ),
    getCard: db.prepare<[string], { id: string; owner: string; state: Buffer; seq: number }>('SELECT id, owner, state, seq FROM cards WHERE id = ?'),
    maxSeq: db.prepare<[], { seq: number | null }>('SELECT MAX(seq) AS seq FROM changes'),
    upsertCard: db.prepare(
      'INSERT INTO cards (id, owner, state, seq, updated_at, row, row_version) VALUES (@id, @owner, @state, @seq, @at, @row, @rowVersion) ON CONFLICT(id) DO UPDATE SET state = excluded.state, seq = excluded.seq, updated_at = excluded.updated_at, row = excluded.row, row_version = excluded.row_version',
    ),
    withoutRow: db.prepare<[number, number], { id: string; state: Buffer }>('SELECT id, state FROM cards WHERE row IS NULL OR row_version IS NOT ? LIMIT ?'),
    setRow: db.prepare('UPDATE cards SET row = ?, row_version = ? WHERE id = ?'),
    logChange: db.prepare('INSERT INTO changes (seq, card_id, user, at, bytes) VALUES (?, ?, ?, ?, ?)'),
    changedAll: db.prepare<[number, number], { id: string; seq: number; state: Buffer; row: string | null }>('SELECT id, seq, state, row FROM cards WHERE seq > ? ORDER BY seq LIMIT ?'),
    changedOwned: db.prepare<[string, number, number], { id: string; seq: number; state: Buffer; row: string | null }>(
      'SELECT id, seq, state, row FROM cards WHERE owner = ? AND seq > ? ORDER BY seq LIMIT ?',
    ),
    countAll: db.prepare<[number], { n: number }>('SELECT COUNT(*) AS n FROM cards WHERE seq > ?'),
    countOwned: db.prepare<[string, number], { n: number }>('SELECT COUNT(*) AS n FROM cards WHERE owner = ? AND seq > ?'),
  };

  let lastSeq = q.maxSeq.get()?.seq ?? 0;

  const save = db.transaction((id: string, state: Uint8Array, by: string, bytes: number, row: string, rowVersion: number): number => {
    const existing = q.getCard.get(id);
    const seq = lastSeq + 1;
    const at = Date.now();
    q.upsertCard.run({ id, owner: existing?.owner ?? by, state: Buffer.from(state.buffer, state.byteOffset, state.byteLength), seq, at, row, rowVersion });
    q.logChange.run(seq, id, by, at, bytes);
    return seq;
  });

  const importMany = db.transaction((cards: { id: string; owner: string; state: Uint8Array; row?: string; rowVersion?: number }[]) => {
    const at = Date.now();
    for (const card of cards) {
      const seq = ++lastSeq;
      const state = Buffer.from(card.state.buffer, card.state.byteOffset, card.state.byteLength);
      q.upsertCard.run({ id: card.id, owner: card.owner, state, seq, at, row: card.row ?? null, rowVersion: card.rowVersion ?? null });
      q.logChange.run(seq, card.id, card.owner, at, card.state.byteLength);
    }
  });

  const readsAll = (user: User) => user.role === 'admin';
  const toBytes = (buffer: Buffer) => new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);

  return {
    addUser(name, role) {
      q.addUser.run(name, role, Date.now());
    },
    listUsers: () => q.listUsers.all(),
    getUser: (name) => q.getUser.get(name),
    addToken(hash, user) {
      q.addToken.run(hash, user, Date.now());
    },
    revokeToken(hash) {
      if (!q.tokenKnown.get(hash)) return false;
      q.revokeToken.run(Date.now(), hash);
      return true;
    },
    userOfToken: (hash) => q.userOfToken.get(hash),
    getCard(id): StoredCard | undefined {
      const row = q.getCard.get(id);
      return row ? { id: row.id, owner: row.owner, state: toBytes(row.state), seq: row.seq } : undefined;
    },
    saveCard(id, state, by, bytes, row, rowVersion) {
      const seq = save(id, state, by, bytes, row, rowVersion);
      lastSeq = seq;
      return seq;
    },
    importCards(cards) {
      const before = lastSeq;
      try {
        importMany(cards);
      } catch (error) {
        lastSeq = before;
        throw error;
      }
    },
    changedSince(cursor, reader, limit): ChangedCard[] {
      const rows = readsAll(reader) ? q.changedAll.all(cursor, limit) : q.changedOwned.all(reader.name, cursor, limit);
      return rows.map((row) => ({ id: row.id, seq: row.seq, state: toBytes(row.state), row: row.row ?? '' }));
    },
    cardsWithoutRow: (version, limit) => q.withoutRow.all(version, limit).map((row) => ({ id: row.id, state: toBytes(row.state) })),
    setRow(id, row, version) {
      q.setRow.run(row, version, id);
    },
    countChangedSince(cursor, reader) {
      return (readsAll(reader) ? q.countAll.get(cursor) : q.countOwned.get(reader.name, cursor))?.n ?? 0;
    },
    maxSeq: () => lastSeq,
    databaseId: () => databaseId,
    close: () => db.close(),
  };
}
