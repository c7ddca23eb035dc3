/**
 * The embedded storage: one SQLite file (better-sqlite3) in the data folder. WAL journal with
 * synchronous=FULL: a change is on disk when its transaction returns, so the server can ACK it;
 * a `kill -9` loses nothing acknowledged. Schema versions are kept in `user_version`.
 * better-sqlite3 is synchronous: each call runs at once and resolves (the Storage interface is
 * asynchronous for PostgreSQL's sake). A `transaction` is BEGIN IMMEDIATE … COMMIT around an
 * async callback; while it is open, calls from outside it queue behind it (serial-lock.ts).
 * Writes take the database's write lock at their start (BEGIN IMMEDIATE) and number themselves
 * from the log's highest seq, so the admin CLI can write while a server runs; `server_meta`
 * holds the access version every access change bumps, which running servers watch.
 */
import type { AuditAction } from '../../shared/audit-actions.ts';
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ActiveLoan } from '../../shared/rights/rights.ts';
import { handoverOf, keysOfRow, loanOf, poolFactsOf, poolMoveOf, proposalOf, userOf, type HandoverRow, type LoanRow, type PoolMoveRow, type ProposalRow, type UserRow } from './storage-rows.ts';
import { SerialLock } from './serial-lock.ts';
import type { AuditEvent, FeedEntry, Storage, StoredCard, StoredPolicy } from './storage.ts';

type AuditRow = Omit<AuditEvent, 'cardId' | 'cards'> & { card_id: string | null; cards: string };

/** The storage's operations, run synchronously on the one connection. */
type SyncOps = { [K in Exclude<keyof Storage, 'transaction'>]: (...args: Parameters<Storage[K]>) => Awaited<ReturnType<Storage[K]>> };

const SCHEMA_V1 = `
  CREATE TABLE IF NOT EXISTS users (name TEXT PRIMARY KEY, role TEXT NOT NULL, created_at INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS tokens (hash TEXT PRIMARY KEY, user TEXT NOT NULL REFERENCES users(name), created_at INTEGER NOT NULL, revoked_at INTEGER);
  CREATE TABLE IF NOT EXISTS cards (id TEXT PRIMARY KEY, owner TEXT NOT NULL, state BLOB NOT NULL, seq INTEGER NOT NULL, updated_at INTEGER NOT NULL);
  CREATE INDEX IF NOT EXISTS cards_by_seq ON cards(seq);
  CREATE INDEX IF NOT EXISTS cards_by_owner_seq ON cards(owner, seq);
  CREATE TABLE IF NOT EXISTS changes (seq INTEGER PRIMARY KEY, card_id TEXT NOT NULL, user TEXT NOT NULL, at INTEGER NOT NULL, bytes INTEGER NOT NULL);
`;

/** v4: custody (teams, disabled users, access entries in the log, loans, proposals, handovers, audit). */
const SCHEMA_V4 = `
  CREATE TABLE teams (name TEXT PRIMARY KEY, created_at INTEGER NOT NULL);
  ALTER TABLE users ADD COLUMN team TEXT REFERENCES teams(name);
  ALTER TABLE users ADD COLUMN disabled_at INTEGER;
  ALTER TABLE tokens ADD COLUMN revoked_reason TEXT;
  ALTER TABLE changes ADD COLUMN kind TEXT NOT NULL DEFAULT 'card';
  ALTER TABLE changes ADD COLUMN reader TEXT;
  CREATE INDEX changes_by_reader ON changes(reader, seq) WHERE reader IS NOT NULL;
  CREATE TABLE card_keys (key TEXT NOT NULL, card_id TEXT NOT NULL, PRIMARY KEY (key, card_id));
  CREATE INDEX card_keys_by_card ON card_keys(card_id);
  CREATE TABLE loans (id INTEGER PRIMARY KEY, card_id TEXT NOT NULL, borrower TEXT NOT NULL, reason TEXT NOT NULL,
    requested_at INTEGER NOT NULL, wanted_until INTEGER NOT NULL, status TEXT NOT NULL, write INTEGER NOT NULL,
    approver TEXT, decided_at INTEGER, decision_reason TEXT, until INTEGER, ended_at INTEGER);
  CREATE INDEX loans_by_borrower ON loans(borrower, status);
  CREATE INDEX loans_by_card ON loans(card_id, status);
  CREATE TABLE proposals (id INTEGER PRIMARY KEY, card_id TEXT NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL, reason TEXT NOT NULL,
    by TEXT NOT NULL, at INTEGER NOT NULL, status TEXT NOT NULL, decider TEXT, decided_at INTEGER, decision_reason TEXT);
  CREATE INDEX proposals_by_card ON proposals(card_id, status);
  CREATE TABLE handovers (id INTEGER PRIMARY KEY, from_user TEXT NOT NULL, to_user TEXT NOT NULL, reason TEXT NOT NULL, kind TEXT NOT NULL,
    until INTEGER, by TEXT NOT NULL, at INTEGER NOT NULL, card_ids TEXT NOT NULL, returned_at INTEGER);
  CREATE TABLE audit (id INTEGER PRIMARY KEY, at INTEGER NOT NULL, user TEXT NOT NULL, token TEXT NOT NULL, action TEXT NOT NULL, card_id TEXT, detail TEXT NOT NULL);
  CREATE INDEX audit_by_card ON audit(card_id, id) WHERE card_id IS NOT NULL;
  CREATE INDEX audit_by_user ON audit(user, id);
  CREATE TRIGGER audit_append_only_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit is append-only'); END;
  CREATE TRIGGER audit_append_only_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit is append-only'); END;
  INSERT OR IGNORE INTO server_meta (key, value) VALUES ('access_version', '0');
`;

/** v6: the company policy (one row per version) and the customer pool (moves, locks). */
const SCHEMA_V6 = `
  CREATE TABLE policy_versions (version INTEGER PRIMARY KEY, at INTEGER NOT NULL, by TEXT NOT NULL, policy TEXT NOT NULL);
  CREATE TABLE pool_moves (id INTEGER PRIMARY KEY, card_id TEXT NOT NULL, kind TEXT NOT NULL, user TEXT NOT NULL, team TEXT NOT NULL, at INTEGER NOT NULL, reason TEXT NOT NULL);
  CREATE INDEX pool_moves_by_card ON pool_moves(card_id, id);
  CREATE INDEX pool_moves_by_user ON pool_moves(user, kind, at);
  CREATE TABLE pool_locks (card_id TEXT PRIMARY KEY, by TEXT NOT NULL, at INTEGER NOT NULL);
`;

export function openSqliteStorage(dataDir: string): Storage {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(join(dataDir, 'cards.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // Reads through a memory map (up to 256 MiB of the file): a cold sync reads every card's state,
  // which through SQLite's 2 MB page cache was a system call and a copy per page. Writes still
  // go through the WAL as before.
  db.pragma('mmap_size = 268435456');
  const version = () => db.pragma('user_version', { simple: true }) as number;
  if (version() < 1) {
    db.exec(SCHEMA_V1);
    db.pragma('user_version = 1');
  }
  if (version() < 2) {
    // v2: each card's index row (JSON) and its row version, sent with the state (card-row.ts).
    db.exec('ALTER TABLE cards ADD COLUMN row TEXT; ALTER TABLE cards ADD COLUMN row_version INTEGER;');
    db.pragma('user_version = 2');
  }
  if (version() < 3) {
    // v3: the database's own id, sent with AUTH_OK: devices tie their cursor to it, so a
    // restored or reset database (sequence numbers start again) is noticed.
    db.exec('CREATE TABLE IF NOT EXISTS server_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
    db.prepare('INSERT OR IGNORE INTO server_meta (key, value) VALUES (?, ?)').run('database_id', randomUUID());
    db.pragma('user_version = 3');
  }
  if (version() < 4) {
    db.transaction(() => {
      db.exec(SCHEMA_V4);
      const insertKey = db.prepare('INSERT OR IGNORE INTO card_keys (key, card_id) VALUES (?, ?)');
      for (const card of db.prepare<[], { id: string; row: string | null }>('SELECT id, row FROM cards').iterate()) {
        for (const key of keysOfRow(card.row ?? '')) insertKey.run(key, card.id);
      }
      db.pragma('user_version = 4');
    })();
  }
  if (version() < 5) {
    // v5: which user's device each Yjs client id belongs to (client-ids.ts).
    db.exec('CREATE TABLE client_ids (client INTEGER PRIMARY KEY, user TEXT NOT NULL, device TEXT NOT NULL, first_seen INTEGER NOT NULL)');
    db.pragma('user_version = 5');
  }
  if (version() < 6) {
    // v6: the company policy's versions, the customer pool's moves and locks (shared/policy/).
    db.exec(SCHEMA_V6);
    db.pragma('user_version = 6');
  }
  if (version() < 7) {
    // v7: one audit entry for a run of many cards (a take-out): the cards it released, space-separated.
    db.exec("ALTER TABLE audit ADD COLUMN cards TEXT NOT NULL DEFAULT ''; CREATE INDEX audit_runs ON audit(id) WHERE cards <> '';");
    db.pragma('user_version = 7');
  }
  const databaseId = (db.prepare('SELECT value FROM server_meta WHERE key = ?').get('database_id') as { value: string }).value;

  const q = {
    clientOwners: db.prepare<[string], { client: number; user: string }>('SELECT client, user FROM client_ids WHERE client IN (SELECT value FROM json_each(?))'),
    claimClient: db.prepare('INSERT OR IGNORE INTO client_ids (client, user, device, first_seen) VALUES (?, ?, ?, ?)'),
    addTeam: db.prepare('INSERT INTO teams (name, created_at) VALUES (?, ?)'),
    listTeams: db.prepare<[], { name: string; members: number }>('SELECT t.name, (SELECT COUNT(*) FROM users u WHERE u.team = t.name) AS members FROM teams t ORDER BY t.name'),
    teamExists: db.prepare<[string], { name: string }>('SELECT name FROM teams WHERE name = ?'),
    addUser: db.prepare('INSERT INTO users (name, role, created_at, team) VALUES (?, ?, ?, ?)'),
    getUser: db.prepare<[string], UserRow>('SELECT name, role, team, disabled_at FROM users WHERE name = ?'),
    listUsers: db.prepare<[], UserRow & { tokens: number }>(
      'SELECT u.name, u.role, u.team, u.disabled_at, (SELECT COUNT(*) FROM tokens t WHERE t.user = u.name AND t.revoked_at IS NULL) AS tokens FROM users u ORDER BY u.name',
    ),
    teamMembers: db.prepare<[string], { name: string }>('SELECT name FROM users WHERE team = ? ORDER BY name'),
    setTeam: db.prepare('UPDATE users SET team = ? WHERE name = ?'),
    disableUser: db.prepare('UPDATE users SET disabled_at = ? WHERE name = ? AND disabled_at IS NULL'),
    revokeAllTokens: db.prepare("UPDATE tokens SET revoked_at = ?, revoked_reason = 'user-disabled' WHERE user = ? AND revoked_at IS NULL"),
    addToken: db.prepare('INSERT INTO tokens (hash, user, created_at) VALUES (?, ?, ?)'),
    revokeToken: db.prepare("UPDATE tokens SET revoked_at = ?, revoked_reason = 'revoked' WHERE hash = ? AND revoked_at IS NULL"),
    tokenKnown: db.prepare<[string], { hash: string }>('SELECT hash FROM tokens WHERE hash = ?'),
    tokenRow: db.prepare<[string], UserRow & { revoked_at: number | null; revoked_reason: string | null }>(
      'SELECT u.name, u.role, u.team, u.disabled_at, t.revoked_at, t.revoked_reason FROM tokens t JOIN users u ON u.name = t.user WHERE t.hash = ?',
    ),
    getCard: db.prepare<[string], { id: string; owner: string; state: Buffer; seq: number }>('SELECT id, owner, state, seq FROM cards WHERE id = ?'),
    // What a save compares (not the state: a write never needs the stored bytes here).
    cardHead: db.prepare<[string], { owner: string; seq: number; row: string | null }>('SELECT owner, seq, row FROM cards WHERE id = ?'),
    cardOwnersAll: db.prepare<[], { id: string; owner: string }>('SELECT id, owner FROM cards ORDER BY id'),
    cardOwnersOf: db.prepare<[string], { id: string; owner: string }>('SELECT id, owner FROM cards WHERE owner = ? ORDER BY id'),
    cardsByKey: db.prepare<[string], { card_id: string }>('SELECT card_id FROM card_keys WHERE key = ? ORDER BY card_id LIMIT 20'),
    maxSeq: db.prepare<[], { seq: number | null }>('SELECT MAX(seq) AS seq FROM changes'),
    upsertCard: db.prepare(
      'INSERT INTO cards (id, owner, state, seq, updated_at, row, row_version) VALUES (@id, @owner, @state, @seq, @at, @row, @rowVersion) ON CONFLICT(id) DO UPDATE SET state = excluded.state, seq = excluded.seq, updated_at = excluded.updated_at, row = excluded.row, row_version = excluded.row_version',
    ),
    setOwner: db.prepare('UPDATE cards SET owner = ? WHERE id = ?'),
    deleteKeys: db.prepare('DELETE FROM card_keys WHERE card_id = ?'),
    insertKey: db.prepare('INSERT OR IGNORE INTO card_keys (key, card_id) VALUES (?, ?)'),
    withoutRow: db.prepare<[number, number], { id: string; state: Buffer; seq: number }>('SELECT id, state, seq FROM cards WHERE row IS NULL OR row_version IS NOT ? LIMIT ?'),
    setRow: db.prepare('UPDATE cards SET row = ?, row_version = ? WHERE id = ?'),
    rowOf: db.prepare<[string], { row: string | null }>('SELECT row FROM cards WHERE id = ?'),
    allRows: db.prepare<[], { row: string | null }>('SELECT row FROM cards'),
    poolFacts: db.prepare<[], { id: string; owner: string; name: unknown; lastContact: unknown; createdAt: unknown; abcOverride: unknown; orders: unknown; claimedAt: unknown; warnedAt: unknown }>(
      `SELECT id, owner, json_extract(j, '$.name') AS name, json_extract(j, '$.lastContact') AS lastContact, json_extract(j, '$.createdAt') AS createdAt,
         json_extract(j, '$.abcOverride') AS abcOverride, json_extract(j, '$.orders') AS orders,
         (SELECT m.at FROM pool_moves m WHERE m.card_id = s.id AND m.user = s.owner AND m.kind = 'claim' ORDER BY m.id DESC LIMIT 1) AS claimedAt,
         (SELECT m.at FROM pool_moves m WHERE m.card_id = s.id AND m.user = s.owner AND m.kind = 'warn' ORDER BY m.id DESC LIMIT 1) AS warnedAt
       FROM (SELECT id, owner, CASE WHEN json_valid(row) THEN row END AS j FROM cards) s`,
    ),
    moveOwner: db.prepare('UPDATE cards SET owner = ? WHERE id = ? AND owner = ?'),
    logChange: db.prepare("INSERT INTO changes (seq, card_id, user, at, bytes, kind) VALUES (?, ?, ?, ?, ?, 'card')"),
    logAccess: db.prepare('INSERT INTO changes (seq, card_id, user, at, bytes, kind, reader) VALUES (?, ?, ?, ?, 0, ?, ?)'),
    // Rows as their UTF-8 bytes: they go to the wire as they are (protocol.ts OutgoingDocEntry).
    feedCards: db.prepare<{ cursor: number; all: number; owners: string; ids: string; limit: number }, { id: string; owner: string; seq: number; state: Buffer; row: Buffer | null }>(
      `SELECT id, owner, seq, state, CAST(row AS BLOB) AS row FROM cards WHERE seq > @cursor
         AND (@all = 1 OR owner IN (SELECT value FROM json_each(@owners)) OR id IN (SELECT value FROM json_each(@ids)))
       ORDER BY seq LIMIT @limit`,
    ),
    countCards: db.prepare<{ cursor: number; all: number; owners: string; ids: string }, { n: number }>(
      `SELECT COUNT(*) AS n FROM cards WHERE seq > @cursor
         AND (@all = 1 OR owner IN (SELECT value FROM json_each(@owners)) OR id IN (SELECT value FROM json_each(@ids)))`,
    ),
    feedAccess: db.prepare<[string, number, number], { log_seq: number; kind: string; id: string; owner: string; seq: number; state: Buffer; row: Buffer | null }>(
      'SELECT l.seq AS log_seq, l.kind, c.id, c.owner, c.seq, c.state, CAST(c.row AS BLOB) AS row FROM changes l JOIN cards c ON c.id = l.card_id WHERE l.reader = ? AND l.seq > ? ORDER BY l.seq LIMIT ?',
    ),
    countAccess: db.prepare<[string, number], { n: number }>('SELECT COUNT(*) AS n FROM changes WHERE reader = ? AND seq > ?'),
    getMeta: db.prepare<[string], { value: string }>('SELECT value FROM server_meta WHERE key = ?'),
    bumpAccess: db.prepare("UPDATE server_meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'access_version'"),
    activeLoansAll: db.prepare<[number], LoanRow>("SELECT * FROM loans WHERE status = 'active' AND until > ?"),
    activeLoansOf: db.prepare<[string, number], LoanRow>("SELECT * FROM loans WHERE borrower = ? AND status = 'active' AND until > ?"),
    activeLoansOn: db.prepare<[string, number], LoanRow>("SELECT * FROM loans WHERE card_id = ? AND status = 'active' AND until > ?"),
    addLoan: db.prepare(
      'INSERT INTO loans (card_id, borrower, reason, requested_at, wanted_until, status, write, approver, decided_at, decision_reason, until, ended_at) VALUES (@cardId, @borrower, @reason, @requestedAt, @wantedUntil, @status, @write, @approver, @decidedAt, @decisionReason, @until, @endedAt)',
    ),
    getLoan: db.prepare<[number], LoanRow>('SELECT * FROM loans WHERE id = ?'),
    updateLoan: db.prepare(
      'UPDATE loans SET status = @status, write = @write, approver = @approver, decided_at = @decidedAt, decision_reason = @decisionReason, until = @until, ended_at = @endedAt WHERE id = @id',
    ),
    listLoans: db.prepare<{ borrower: string | null; ids: string | null; statuses: string | null }, LoanRow>(
      `SELECT * FROM loans WHERE (@borrower IS NULL OR borrower = @borrower)
         AND (@ids IS NULL OR card_id IN (SELECT value FROM json_each(@ids)))
         AND (@statuses IS NULL OR status IN (SELECT value FROM json_each(@statuses)))
       ORDER BY status = 'open' DESC, id DESC LIMIT 1000`,
    ),
    dueLoans: db.prepare<[number], LoanRow>("SELECT * FROM loans WHERE status = 'active' AND until <= ? ORDER BY id"),
    addProposal: db.prepare(
      'INSERT INTO proposals (card_id, field, value, reason, by, at, status, decider, decided_at, decision_reason) VALUES (@cardId, @field, @value, @reason, @by, @at, @status, @decider, @decidedAt, @decisionReason)',
    ),
    getProposal: db.prepare<[number], ProposalRow>('SELECT * FROM proposals WHERE id = ?'),
    updateProposal: db.prepare('UPDATE proposals SET status = @status, decider = @decider, decided_at = @decidedAt, decision_reason = @decisionReason WHERE id = @id'),
    listProposals: db.prepare<{ by: string | null; ids: string | null; statuses: string | null }, ProposalRow>(
      `SELECT * FROM proposals WHERE (@by IS NULL OR by = @by)
         AND (@ids IS NULL OR card_id IN (SELECT value FROM json_each(@ids)))
         AND (@statuses IS NULL OR status IN (SELECT value FROM json_each(@statuses)))
       ORDER BY status = 'open' DESC, id DESC LIMIT 1000`,
    ),
    addHandover: db.prepare(
      'INSERT INTO handovers (from_user, to_user, reason, kind, until, by, at, card_ids, returned_at) VALUES (@from, @to, @reason, @kind, @until, @by, @at, @cardIds, @returnedAt)',
    ),
    updateHandover: db.prepare('UPDATE handovers SET returned_at = @returnedAt, card_ids = @cardIds WHERE id = @id'),
    dueCovers: db.prepare<[number], HandoverRow>("SELECT * FROM handovers WHERE kind = 'cover' AND returned_at IS NULL AND until <= ? ORDER BY id"),
    listHandovers: db.prepare<{ user: string | null }, HandoverRow>('SELECT * FROM handovers WHERE (@user IS NULL OR from_user = @user OR to_user = @user) ORDER BY id DESC LIMIT 500'),
    policy: db.prepare<[], StoredPolicy>('SELECT version, at, by, policy FROM policy_versions ORDER BY version DESC LIMIT 1'),
    addPolicy: db.prepare('INSERT INTO policy_versions (version, at, by, policy) VALUES (@version, @at, @by, @policy)'),
    policyHistory: db.prepare<[number], StoredPolicy>('SELECT version, at, by, policy FROM policy_versions ORDER BY version DESC LIMIT ?'),
    addPoolMove: db.prepare('INSERT INTO pool_moves (card_id, kind, user, team, at, reason) VALUES (@cardId, @kind, @user, @team, @at, @reason)'),
    poolMoves: db.prepare<{ ids: string | null; user: string | null; kind: string | null; since: number | null }, PoolMoveRow>(
      `SELECT * FROM pool_moves WHERE (@ids IS NULL OR card_id IN (SELECT value FROM json_each(@ids)))
         AND (@user IS NULL OR user = @user) AND (@kind IS NULL OR kind = @kind) AND (@since IS NULL OR at >= @since)
       ORDER BY id DESC`,
    ),
    lock: db.prepare('INSERT INTO pool_locks (card_id, by, at) VALUES (?, ?, ?) ON CONFLICT(card_id) DO UPDATE SET by = excluded.by, at = excluded.at'),
    unlock: db.prepare('DELETE FROM pool_locks WHERE card_id = ?'),
    locks: db.prepare<[], { card_id: string; by: string; at: number }>('SELECT card_id, by, at FROM pool_locks'),
    audit: db.prepare('INSERT INTO audit (at, user, token, action, card_id, detail, cards) VALUES (@at, @user, @token, @action, @cardId, @detail, @cards)'),
    // The card's own entries, and the runs that name it (their partial index: only runs are read).
    auditOfCard: db.prepare<{ id: string; limit: number }, AuditRow>(
      `SELECT * FROM (SELECT * FROM (SELECT id, at, user, token, action, card_id, detail, cards FROM audit WHERE card_id = @id ORDER BY id DESC LIMIT @limit)
         UNION ALL
         SELECT * FROM (SELECT id, at, user, token, action, @id AS card_id, detail, '' AS cards FROM audit WHERE cards <> '' AND instr(' ' || cards || ' ', ' ' || @id || ' ') > 0 ORDER BY id DESC LIMIT @limit))
       ORDER BY id DESC LIMIT @limit`,
    ),
    auditOfUser: db.prepare<[string, number], AuditRow>('SELECT id, at, user, token, action, card_id, detail, cards FROM audit WHERE user = ? ORDER BY id DESC LIMIT ?'),
  };

  const nextSeq = () => (q.maxSeq.get()?.seq ?? 0) + 1;
  const toBytes = (buffer: Buffer) => new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  const toBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  /** Whether two rows give the same lookup keys (the same text gives the same keys without parsing). */
  const sameKeys = (before: string, after: string): boolean => {
    if (before === after) return true;
    const a = keysOfRow(before);
    const b = keysOfRow(after);
    return a.length === b.length && a.every((key, i) => key === b[i]);
  };
  const setKeys = (id: string, row: string) => {
    q.deleteKeys.run(id);
    for (const key of keysOfRow(row)) q.insertKey.run(key, id);
  };
  /** Writes take the write lock first, so two processes never number two changes alike. */
  const transaction = <T>(fn: () => T): T => (db.inTransaction ? fn() : db.transaction(fn).immediate());
  const scopeParams = (scope: { all: boolean; owners: string[]; cardIds: string[] }) => ({
    all: scope.all ? 1 : 0,
    owners: JSON.stringify(scope.owners),
    ids: JSON.stringify(scope.cardIds),
  });
  const auditOf = (row: AuditRow): AuditEvent => ({ id: row.id, at: row.at, user: row.user, token: row.token, action: row.action as AuditAction, cardId: row.card_id, detail: row.detail, ...(row.cards ? { cards: row.cards.split(' ') } : {}) });

  const ops: SyncOps = {
    addTeam(name) {
      q.addTeam.run(name, Date.now());
    },
    listTeams: () => q.listTeams.all(),
    teamExists: (name) => q.teamExists.get(name) !== undefined,
    addUser(name, role, team = null) {
      q.addUser.run(name, role, Date.now(), team);
    },
    listUsers: () => q.listUsers.all().map((row) => ({ ...userOf(row), tokens: row.tokens })),
    getUser(name) {
      const row = q.getUser.get(name);
      return row ? userOf(row) : undefined;
    },
    teamMembers: (team) => q.teamMembers.all(team).map((row) => row.name),
    setUserTeam(name, team) {
      q.setTeam.run(team, name);
    },
    disableUser(name) {
      transaction(() => {
        const at = Date.now();
        q.disableUser.run(at, name);
        q.revokeAllTokens.run(at, name);
      });
    },
    addToken(hash, user) {
      q.addToken.run(hash, user, Date.now());
    },
    addInvitation(hash, user, expiresAt) {
      db.prepare('INSERT INTO server_meta (key, value) VALUES (?, ?)').run(`invitation:${hash}`, JSON.stringify({ user, expiresAt }));
    },
    takeInvitation(hash, now) {
      return transaction(() => {
        const row = db.prepare<[string], { value: string }>('SELECT value FROM server_meta WHERE key = ?').get(`invitation:${hash}`);
        if (!row) return undefined;
        db.prepare('DELETE FROM server_meta WHERE key = ?').run(`invitation:${hash}`);
        const invitation = JSON.parse(row.value) as { user: string; expiresAt: number };
        return invitation.expiresAt > now ? invitation.user : undefined;
      });
    },
    revokeToken(hash) {
      if (!q.tokenKnown.get(hash)) return false;
      q.revokeToken.run(Date.now(), hash);
      return true;
    },
    tokenStatus(hash) {
      const row = q.tokenRow.get(hash);
      if (!row) return undefined;
      if (row.disabled_at !== null || row.revoked_reason === 'user-disabled') return { state: 'disabled', user: row.name };
      if (row.revoked_at !== null) return undefined;
      return { state: 'valid', user: userOf(row), tokenHash: hash };
    },
    clientOwners(clients) {
      return new Map(q.clientOwners.all(JSON.stringify(clients)).map((row) => [row.client, row.user]));
    },
    claimClients(claims) {
      const now = Date.now();
      const write = () =>
        transaction(() => {
          for (const { clients, user, device } of claims) for (const client of clients) q.claimClient.run(client, user, device, now);
        });
      if (db.inTransaction) return write();
      // Without its own disk flush: a claim only has to be on disk before the change written under
      // the id, and that change's commit (synchronous=FULL) flushes the WAL, earlier frames included.
      // A crash in between loses both or neither.
      db.pragma('synchronous = NORMAL');
      try {
        write();
      } finally {
        db.pragma('synchronous = FULL');
      }
    },
    getCard(id): StoredCard | undefined {
      const row = q.getCard.get(id);
      return row ? { id: row.id, owner: row.owner, state: toBytes(row.state), seq: row.seq } : undefined;
    },
    cardOwners: (owner) => (owner === undefined ? q.cardOwnersAll.all() : q.cardOwnersOf.all(owner)),
    cardsByKey({ email, domain }) {
      const key = email ? `email:${email.toLowerCase()}` : domain ? `domain:${domain.toLowerCase()}` : '';
      return key ? q.cardsByKey.all(key).map((row) => row.card_id) : [];
    },
    saveCard(id, state, by, bytes, row, rowVersion, expected) {
      return transaction(() => {
        const existing = q.cardHead.get(id);
        if (expected ? existing?.seq !== expected.seq || existing.owner !== expected.owner : existing !== undefined) return undefined;
        const seq = nextSeq();
        const at = Date.now();
        q.upsertCard.run({ id, owner: existing?.owner ?? by, state: toBuffer(state), seq, at, row, rowVersion });
        q.logChange.run(seq, id, by, at, bytes);
        // Most writes (a note, a visit) leave the card's emails and domains as they were.
        if (!existing || !sameKeys(existing.row ?? '', row)) setKeys(id, row);
        return seq;
      });
    },
    saveCards(saves) {
      return transaction(() => saves.map((s) => ops.saveCard(s.id, s.state, s.by, s.updateBytes, s.row, s.rowVersion, s.expected)));
    },
    setOwner(id, owner) {
      q.setOwner.run(owner, id);
    },
    importCards(cards) {
      transaction(() => {
        const at = Date.now();
        let seq = nextSeq();
        for (const card of cards) {
          q.upsertCard.run({ id: card.id, owner: card.owner, state: toBuffer(card.state), seq, at, row: card.row ?? null, rowVersion: card.rowVersion ?? null });
          q.logChange.run(seq, card.id, card.owner, at, card.state.byteLength);
          if (card.row) setKeys(card.id, card.row);
          seq++;
        }
      });
    },
    cardsWithoutRow: (version, limit) => q.withoutRow.all(version, limit).map((row) => ({ id: row.id, state: toBytes(row.state), seq: row.seq })),
    setRow(id, row, version, atSeq) {
      transaction(() => {
        if (atSeq !== undefined && q.getCard.get(id)?.seq !== atSeq) return;
        q.setRow.run(row, version, id);
        setKeys(id, row);
      });
    },
    rowOf: (id) => q.rowOf.get(id)?.row ?? undefined,
    allRows: () => q.allRows.all().map((row) => row.row ?? ''),
    logAccess(entries, by) {
      if (entries.length === 0) return;
      transaction(() => {
        const at = Date.now();
        let seq = nextSeq();
        for (const entry of entries) q.logAccess.run(seq++, entry.cardId, by, at, entry.kind, entry.reader);
      });
    },
    feed(cursor, scope, reader, limit): FeedEntry[] {
      // One read transaction: both queries see the same snapshot of the log.
      const { cards, access } = db.transaction(() => ({ cards: q.feedCards.all({ cursor, ...scopeParams(scope), limit }), access: q.feedAccess.all(reader, cursor, limit) }))();
      const entries: FeedEntry[] = [
        ...cards.map((row): FeedEntry => ({ kind: 'put', logSeq: row.seq, id: row.id, owner: row.owner, seq: row.seq, state: toBytes(row.state), row: row.row ? toBytes(row.row) : '' })),
        ...access.map((row): FeedEntry =>
          row.kind === 'grant'
            ? { kind: 'put', logSeq: row.log_seq, id: row.id, owner: row.owner, seq: row.seq, state: toBytes(row.state), row: row.row ? toBytes(row.row) : '' }
            : { kind: 'revoke', logSeq: row.log_seq, id: row.id, owner: row.owner },
        ),
      ];
      entries.sort((a, b) => a.logSeq - b.logSeq);
      return entries.slice(0, limit);
    },
    countFeed(cursor, scope, reader) {
      return (q.countCards.get({ cursor, ...scopeParams(scope) })?.n ?? 0) + (q.countAccess.get(reader, cursor)?.n ?? 0);
    },
    maxSeq: () => q.maxSeq.get()?.seq ?? 0,
    accessVersion: () => Number(q.getMeta.get('access_version')?.value ?? 0),
    bumpAccessVersion() {
      q.bumpAccess.run();
    },
    activeLoans({ borrower, cardId }, now): ActiveLoan[] {
      const rows = borrower !== undefined ? q.activeLoansOf.all(borrower, now) : cardId !== undefined ? q.activeLoansOn.all(cardId, now) : q.activeLoansAll.all(now);
      return rows.map((row) => ({ cardId: row.card_id, borrower: row.borrower, until: row.until ?? 0, write: row.write === 1 }));
    },
    addLoan(loan) {
      return Number(q.addLoan.run({ ...loan, write: loan.write ? 1 : 0 }).lastInsertRowid);
    },
    getLoan(id) {
      const row = q.getLoan.get(id);
      return row ? loanOf(row) : undefined;
    },
    updateLoan(loan) {
      q.updateLoan.run({ ...loan, write: loan.write ? 1 : 0 });
    },
    listLoans({ borrower, cardIds, status }) {
      return q.listLoans
        .all({ borrower: borrower ?? null, ids: cardIds ? JSON.stringify(cardIds) : null, statuses: status ? JSON.stringify(status) : null })
        .map(loanOf);
    },
    dueLoans: (now) => q.dueLoans.all(now).map(loanOf),
    addProposal(proposal) {
      return Number(q.addProposal.run(proposal).lastInsertRowid);
    },
    getProposal(id) {
      const row = q.getProposal.get(id);
      return row ? proposalOf(row) : undefined;
    },
    updateProposal(proposal) {
      q.updateProposal.run(proposal);
    },
    listProposals({ by, cardIds, status }) {
      return q.listProposals.all({ by: by ?? null, ids: cardIds ? JSON.stringify(cardIds) : null, statuses: status ? JSON.stringify(status) : null }).map(proposalOf);
    },
    addHandover(handover) {
      return Number(q.addHandover.run({ ...handover, cardIds: JSON.stringify(handover.cardIds) }).lastInsertRowid);
    },
    updateHandover(handover) {
      q.updateHandover.run({ id: handover.id, returnedAt: handover.returnedAt, cardIds: JSON.stringify(handover.cardIds) });
    },
    dueCovers: (now) => q.dueCovers.all(now).map(handoverOf),
    listHandovers: ({ user }) => q.listHandovers.all({ user: user ?? null }).map(handoverOf),
    audit(events) {
      if (events.length === 0) return;
      transaction(() => {
        for (const event of events) q.audit.run({ ...event, cards: event.cards?.join(' ') ?? '' });
      });
    },
    poolFacts: () => q.poolFacts.all().map(poolFactsOf),
    moveOwners(moves) {
      return transaction(() => moves.filter((move) => q.moveOwner.run(move.to, move.id, move.from).changes > 0).map((move) => move.id));
    },
    policy: () => q.policy.get(),
    savePolicy(policy, after) {
      return transaction(() => {
        if ((q.policy.get()?.version ?? 0) !== after) return false;
        q.addPolicy.run(policy);
        return true;
      });
    },
    policyHistory: (limit) => q.policyHistory.all(limit),
    addPoolMoves(moves) {
      transaction(() => {
        for (const move of moves) q.addPoolMove.run(move);
      });
    },
    poolMoves: ({ cardIds, user, kind, since }) =>
      q.poolMoves.all({ ids: cardIds ? JSON.stringify(cardIds) : null, user: user ?? null, kind: kind ?? null, since: since ?? null }).map(poolMoveOf),
    setPoolLock(cardId, by, at) {
      if (by === null) q.unlock.run(cardId);
      else q.lock.run(cardId, by, at);
    },
    poolLocks: () => new Map(q.locks.all().map((row) => [row.card_id, { by: row.by, at: row.at }])),
    auditOf({ cardId, user, limit = 500 }) {
      const rows = cardId !== undefined ? q.auditOfCard.all({ id: cardId, limit }) : user !== undefined ? q.auditOfUser.all(user, limit) : [];
      return rows.map(auditOf);
    },
    databaseId: () => databaseId,
    close: () => db.close(),
  };

  const lock = new SerialLock();
  /** Runs an operation now, or after the open transaction when there is one. */
  const outside = <A extends unknown[], R>(op: (...args: A) => R) => (...args: A): Promise<R> => {
    if (lock.busy) return lock.run(() => op(...args));
    try {
      return Promise.resolve(op(...args));
    } catch (error) {
      return Promise.reject(error);
    }
  };
  const inside = <A extends unknown[], R>(op: (...args: A) => R) => (...args: A): Promise<R> => {
    try {
      return Promise.resolve(op(...args));
    } catch (error) {
      return Promise.reject(error);
    }
  };
  const wrap = (run: typeof outside): Omit<Storage, 'transaction'> => {
    const out: Record<string, unknown> = {};
    for (const [name, op] of Object.entries(ops)) out[name] = run(op as (...args: unknown[]) => unknown);
    return out as unknown as Omit<Storage, 'transaction'>;
  };
  const tx: Storage = { ...wrap(inside), transaction: (fn) => fn(tx) };
  return {
    ...wrap(outside),
    close: () => lock.run(() => void db.close()),
    transaction: (fn) =>
      lock.run(async () => {
        db.exec('BEGIN IMMEDIATE');
        try {
          const value = await fn(tx);
          db.exec('COMMIT');
          return value;
        } catch (error) {
          if (db.inTransaction) db.exec('ROLLBACK');
          throw error;
        }
      }),
  };
}
