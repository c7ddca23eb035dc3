/**
 * The PostgreSQL storage (the `pg` package): the store of several server instances and of the
 * admin CLI beside them (`--postgres <url>`). Same tables as the SQLite file; the schema is
 * versioned (postgres-schema.ts) and brought up to date at start.
 *
 * The log stays gap-free with several writers: every transaction that numbers log entries (a
 * card change, an import, access changes) first locks the one row of `log_counter` and takes
 * its seqs from it, then commits. A second writer waits on that row until the first commits, so
 * seqs commit in their order, and a reader that sees the counter at N sees every entry up to N
 * (DECISIONS.md, "One counter row numbers the log"). `transaction` takes the same lock at its
 * start: it is the write lock of custody's access changes, as BEGIN IMMEDIATE is in SQLite.
 * Writes that number nothing (tokens, audit, loans' records) do not take it.
 * Connections fail over nothing: a query that fails rejects, and its caller refuses the change.
 */
import type { AuditAction } from '../../shared/audit-actions.ts';
import pg from 'pg';
import type { ActiveLoan } from '../../shared/rights/rights.ts';
import { migratePostgres } from './postgres-schema.ts';
import { handoverOf, keysOfRow, loanOf, poolFactsOf, poolMoveOf, proposalOf, userOf, type HandoverRow, type LoanRow, type PoolMoveRow, type ProposalRow, type UserRow } from './storage-rows.ts';
import type { AuditEvent, FeedEntry, Storage, StoredCard, StoredPolicy } from './storage.ts';

/** A pool or one client inside a transaction: both run queries. */
interface Exec {
  query<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
}

/** BIGINT (epoch ms, seqs, ids) comes back as a JS number: every value here is far below 2^53. */
const types = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === pg.types.builtins.INT8 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

const toBytes = (buffer: Buffer) => new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
const toBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

const USER_COLUMNS = 'name, role, team, disabled_at';
const AUDIT_COLUMNS = 'id, at, "user", token, action, card_id, detail, cards';
const SCOPE = '($2::boolean OR owner = ANY($3::text[]) OR id = ANY($4::text[]))';

type AuditRow = Omit<AuditEvent, 'cardId' | 'cards'> & { card_id: string | null; cards: string };
const auditOf = (row: AuditRow): AuditEvent => ({ id: row.id, at: row.at, user: row.user, token: row.token, action: row.action as AuditAction, cardId: row.card_id, detail: row.detail, ...(row.cards ? { cards: row.cards.split(' ') } : {}) });

export interface PostgresOptions {
  /** Connections in the pool (each instance holds its own). */
  max?: number;
}

export async function openPostgresStorage(url: string, options: PostgresOptions = {}): Promise<Storage> {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10, types, connectionTimeoutMillis: 10_000 });
  // An idle connection that breaks (the server restarted) must not end the process.
  pool.on('error', (error) => console.error('sync-server: a PostgreSQL connection failed', error.message));
  try {
    await migratePostgres(pool);
  } catch (error) {
    await pool.end();
    throw error;
  }
  const databaseId = (await pool.query<{ value: string }>("SELECT value FROM server_meta WHERE key = 'database_id'")).rows[0]!.value;

  /** Runs `fn` in a transaction on one client; with `lock`, holding the log's counter row from the start. */
  const inTransaction = async <T>(lock: boolean, fn: (client: Exec) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      if (lock) await client.query('SELECT seq FROM log_counter WHERE id = 1 FOR UPDATE');
      const value = await fn(client);
      await client.query('COMMIT');
      return value;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch {
        broken = true;
      }
      throw error;
    } finally {
      client.release(broken);
    }
  };

  /** The operations on `db`: the pool (each write its own transaction) or a transaction's client. */
  const operations = (db: Exec, inside: boolean): Omit<Storage, 'transaction' | 'close' | 'databaseId'> => {
    /** Runs `fn` as part of the open transaction, or in one of its own. */
    const writing = <T>(lock: boolean, fn: (client: Exec) => Promise<T>): Promise<T> => (inside ? fn(db) : inTransaction(lock, fn));
    /** Takes `n` seqs from the counter (its row is locked by the transaction): the first of them. */
    const takeSeqs = async (client: Exec, n: number): Promise<number> => {
      const top = (await client.query<{ seq: number }>('UPDATE log_counter SET seq = seq + $1 WHERE id = 1 RETURNING seq', [n])).rows[0]!.seq;
      return top - n + 1;
    };
    const setKeys = async (client: Exec, ids: string[], rows: string[]) => {
      await client.query('DELETE FROM card_keys WHERE card_id = ANY($1::text[])', [ids]);
      const keys: string[] = [];
      const cards: string[] = [];
      ids.forEach((id, i) => {
        for (const key of keysOfRow(rows[i]!)) {
          keys.push(key);
          cards.push(id);
        }
      });
      if (keys.length > 0) await client.query('INSERT INTO card_keys (key, card_id) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING', [keys, cards]);
    };
    const scopeValues = (scope: { all: boolean; owners: string[]; cardIds: string[] }) => [scope.all, scope.owners, scope.cardIds];

    return {
      async addTeam(name) {
        await db.query('INSERT INTO teams (name, created_at) VALUES ($1, $2)', [name, Date.now()]);
      },
      async listTeams() {
        return (await db.query<{ name: string; members: number }>('SELECT t.name, (SELECT COUNT(*) FROM users u WHERE u.team = t.name) AS members FROM teams t ORDER BY t.name')).rows;
      },
      async teamExists(name) {
        return (await db.query('SELECT 1 FROM teams WHERE name = $1', [name])).rowCount === 1;
      },
      async addUser(name, role, team = null) {
        await db.query('INSERT INTO users (name, role, created_at, team) VALUES ($1, $2, $3, $4)', [name, role, Date.now(), team]);
      },
      async listUsers() {
        const rows = (
          await db.query<UserRow & { tokens: number }>(
            `SELECT ${USER_COLUMNS}, (SELECT COUNT(*) FROM tokens t WHERE t."user" = u.name AND t.revoked_at IS NULL) AS tokens FROM users u ORDER BY u.name`,
          )
        ).rows;
        return rows.map((row) => ({ ...userOf(row), tokens: row.tokens }));
      },
      async getUser(name) {
        const row = (await db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE name = $1`, [name])).rows[0];
        return row ? userOf(row) : undefined;
      },
      async teamMembers(team) {
        return (await db.query<{ name: string }>('SELECT name FROM users WHERE team = $1 ORDER BY name', [team])).rows.map((row) => row.name);
      },
      async setUserTeam(name, team) {
        await db.query('UPDATE users SET team = $1 WHERE name = $2', [team, name]);
      },
      disableUser(name) {
        return writing(false, async (client) => {
          const at = Date.now();
          await client.query('UPDATE users SET disabled_at = $1 WHERE name = $2 AND disabled_at IS NULL', [at, name]);
          await client.query(`UPDATE tokens SET revoked_at = $1, revoked_reason = 'user-disabled' WHERE "user" = $2 AND revoked_at IS NULL`, [at, name]);
        });
      },
      async addToken(hash, user) {
        await db.query('INSERT INTO tokens (hash, "user", created_at) VALUES ($1, $2, $3)', [hash, user, Date.now()]);
      },
      async addInvitation(hash, user, expiresAt) {
        await db.query('INSERT INTO server_meta (key, value) VALUES ($1, $2)', [`invitation:${hash}`, JSON.stringify({ user, expiresAt })]);
      },
      async takeInvitation(hash, now) {
        // One statement takes it: of two instances redeeming the same code at once, one gets it.
        const row = (await db.query<{ value: string }>('DELETE FROM server_meta WHERE key = $1 RETURNING value', [`invitation:${hash}`])).rows[0];
        if (!row) return undefined;
        const invitation = JSON.parse(row.value) as { user: string; expiresAt: number };
        return invitation.expiresAt > now ? invitation.user : undefined;
      },
      async revokeToken(hash) {
        if ((await db.query('SELECT 1 FROM tokens WHERE hash = $1', [hash])).rowCount !== 1) return false;
        await db.query(`UPDATE tokens SET revoked_at = $1, revoked_reason = 'revoked' WHERE hash = $2 AND revoked_at IS NULL`, [Date.now(), hash]);
        return true;
      },
      async clientOwners(clients) {
        if (clients.length === 0) return new Map();
        const rows = (await db.query<{ client: string; user: string }>('SELECT client, "user" FROM client_ids WHERE client = ANY($1::bigint[])', [clients])).rows;
        return new Map(rows.map((row) => [Number(row.client), row.user]));
      },
      async claimClients(claims) {
        const rows = claims.flatMap(({ clients, user, device }) => clients.map((client) => ({ client, user, device })));
        if (rows.length === 0) return;
        // One statement for every claim of the batch; an id claimed twice in it goes to the first (ordinality).
        await db.query(
          `INSERT INTO client_ids (client, "user", device, first_seen)
             SELECT DISTINCT ON (c) c, u, d, $4 FROM unnest($1::bigint[], $2::text[], $3::text[]) WITH ORDINALITY AS t(c, u, d, n) ORDER BY c, n
           ON CONFLICT (client) DO NOTHING`,
          [rows.map((row) => row.client), rows.map((row) => row.user), rows.map((row) => row.device), Date.now()],
        );
      },
      async tokenStatus(hash) {
        const row = (
          await db.query<UserRow & { revoked_at: number | null; revoked_reason: string | null }>(
            'SELECT u.name, u.role, u.team, u.disabled_at, t.revoked_at, t.revoked_reason FROM tokens t JOIN users u ON u.name = t."user" WHERE t.hash = $1',
            [hash],
          )
        ).rows[0];
        if (!row) return undefined;
        if (row.disabled_at !== null || row.revoked_reason === 'user-disabled') return { state: 'disabled', user: row.name };
        if (row.revoked_at !== null) return undefined;
        return { state: 'valid', user: userOf(row), tokenHash: hash };
      },
      async getCard(id): Promise<StoredCard | undefined> {
        const row = (await db.query<{ id: string; owner: string; state: Buffer; seq: number }>('SELECT id, owner, state, seq FROM cards WHERE id = $1', [id])).rows[0];
        return row ? { id: row.id, owner: row.owner, state: toBytes(row.state), seq: row.seq } : undefined;
      },
      async cardOwners(owner) {
        const result =
          owner === undefined
            ? await db.query<{ id: string; owner: string }>('SELECT id, owner FROM cards ORDER BY id')
            : await db.query<{ id: string; owner: string }>('SELECT id, owner FROM cards WHERE owner = $1 ORDER BY id', [owner]);
        return result.rows;
      },
      async cardsByKey({ email, domain }) {
        const key = email ? `email:${email.toLowerCase()}` : domain ? `domain:${domain.toLowerCase()}` : '';
        if (!key) return [];
        return (await db.query<{ card_id: string }>('SELECT card_id FROM card_keys WHERE key = $1 ORDER BY card_id LIMIT 20', [key])).rows.map((row) => row.card_id);
      },
      saveCard(id, state, by, bytes, row, rowVersion, expected) {
        return writing(true, async (client) => {
          // Under the counter's lock: the card as committed by every earlier writer.
          const existing = (await client.query<{ seq: number; owner: string }>('SELECT seq, owner FROM cards WHERE id = $1', [id])).rows[0];
          if (expected ? existing?.seq !== expected.seq || existing.owner !== expected.owner : existing !== undefined) return undefined;
          const seq = await takeSeqs(client, 1);
          const at = Date.now();
          await client.query(
            `INSERT INTO cards (id, owner, state, seq, updated_at, "row", row_version) VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (id) DO UPDATE SET state = excluded.state, seq = excluded.seq, updated_at = excluded.updated_at, "row" = excluded."row", row_version = excluded.row_version`,
            [id, existing?.owner ?? by, toBuffer(state), seq, at, row, rowVersion],
          );
          await client.query(`INSERT INTO changes (seq, card_id, "user", at, bytes, kind) VALUES ($1, $2, $3, $4, $5, 'card')`, [seq, id, by, at, bytes]);
          await setKeys(client, [id], [row]);
          return seq;
        });
      },
      saveCards(saves) {
        if (saves.length === 0) return Promise.resolve([]);
        return writing(true, async (client) => {
          // Under the counter's lock: the cards as committed by every earlier writer, in one read.
          const ids = saves.map((s) => s.id);
          if (new Set(ids).size !== ids.length) throw new Error('saveCards: one change per card');
          const found = (await client.query<{ id: string; seq: number; owner: string }>('SELECT id, seq, owner FROM cards WHERE id = ANY($1::text[])', [ids])).rows;
          const existing = new Map(found.map((row) => [row.id, row]));
          const fits = saves.map((s) => {
            const now = existing.get(s.id);
            return s.expected ? now?.seq === s.expected.seq && now.owner === s.expected.owner : now === undefined;
          });
          const kept = saves.filter((_, i) => fits[i]);
          if (kept.length === 0) return saves.map(() => undefined);
          const first = await takeSeqs(client, kept.length);
          const seqs = kept.map((_, i) => first + i);
          const at = Date.now();
          await client.query(
            `INSERT INTO cards (id, owner, state, seq, updated_at, "row", row_version)
             SELECT id, owner, state, seq, $5, "row", row_version FROM unnest($1::text[], $2::text[], $3::bytea[], $4::bigint[], $6::text[], $7::int[]) AS t(id, owner, state, seq, "row", row_version)
             ON CONFLICT (id) DO UPDATE SET state = excluded.state, seq = excluded.seq, updated_at = excluded.updated_at, "row" = excluded."row", row_version = excluded.row_version`,
            [kept.map((s) => s.id), kept.map((s) => existing.get(s.id)?.owner ?? s.by), kept.map((s) => toBuffer(s.state)), seqs, at, kept.map((s) => s.row), kept.map((s) => s.rowVersion)],
          );
          await client.query(
            `INSERT INTO changes (seq, card_id, "user", at, bytes, kind) SELECT seq, card_id, "user", $4, bytes, 'card' FROM unnest($1::bigint[], $2::text[], $3::text[], $5::int[]) AS t(seq, card_id, "user", bytes)`,
            [seqs, kept.map((s) => s.id), kept.map((s) => s.by), at, kept.map((s) => s.updateBytes)],
          );
          await setKeys(client, kept.map((s) => s.id), kept.map((s) => s.row));
          let k = 0;
          return fits.map((fit) => (fit ? seqs[k++] : undefined));
        });
      },
      async setOwner(id, owner) {
        await db.query('UPDATE cards SET owner = $1 WHERE id = $2', [owner, id]);
      },
      importCards(cards) {
        if (cards.length === 0) return Promise.resolve();
        return writing(true, async (client) => {
          const at = Date.now();
          const first = await takeSeqs(client, cards.length);
          const seqs = cards.map((_, i) => first + i);
          await client.query(
            `INSERT INTO cards (id, owner, state, seq, updated_at, "row", row_version)
             SELECT id, owner, state, seq, $5, "row", row_version FROM unnest($1::text[], $2::text[], $3::bytea[], $4::bigint[], $6::text[], $7::int[]) AS t(id, owner, state, seq, "row", row_version)
             ON CONFLICT (id) DO UPDATE SET state = excluded.state, seq = excluded.seq, updated_at = excluded.updated_at, "row" = excluded."row", row_version = excluded.row_version`,
            [cards.map((c) => c.id), cards.map((c) => c.owner), cards.map((c) => toBuffer(c.state)), seqs, at, cards.map((c) => c.row ?? null), cards.map((c) => c.rowVersion ?? null)],
          );
          await client.query(
            `INSERT INTO changes (seq, card_id, "user", at, bytes, kind) SELECT seq, card_id, "user", $4, bytes, 'card' FROM unnest($1::bigint[], $2::text[], $3::text[], $5::int[]) AS t(seq, card_id, "user", bytes)`,
            [seqs, cards.map((c) => c.id), cards.map((c) => c.owner), at, cards.map((c) => c.state.byteLength)],
          );
          const withRows = cards.filter((c) => c.row);
          if (withRows.length > 0) await setKeys(client, withRows.map((c) => c.id), withRows.map((c) => c.row!));
        });
      },
      async cardsWithoutRow(version, limit) {
        const rows = (await db.query<{ id: string; state: Buffer; seq: number }>('SELECT id, state, seq FROM cards WHERE "row" IS NULL OR row_version IS DISTINCT FROM $1 LIMIT $2', [version, limit])).rows;
        return rows.map((row) => ({ id: row.id, state: toBytes(row.state), seq: row.seq }));
      },
      setRow(id, row, version, atSeq) {
        return writing(false, async (client) => {
          // A writer that changed the card meanwhile holds its row until it commits; then the seq no longer matches.
          const updated = await client.query('UPDATE cards SET "row" = $1, row_version = $2 WHERE id = $3 AND ($4::bigint IS NULL OR seq = $4)', [row, version, id, atSeq ?? null]);
          if (updated.rowCount === 1) await setKeys(client, [id], [row]);
        });
      },
      async rowOf(id) {
        return (await db.query<{ row: string | null }>('SELECT "row" FROM cards WHERE id = $1', [id])).rows[0]?.row ?? undefined;
      },
      async allRows() {
        return (await db.query<{ row: string | null }>('SELECT "row" FROM cards')).rows.map((row) => row.row ?? '');
      },
      logAccess(entries, by) {
        if (entries.length === 0) return Promise.resolve();
        return writing(true, async (client) => {
          const first = await takeSeqs(client, entries.length);
          await client.query(
            `INSERT INTO changes (seq, card_id, "user", at, bytes, kind, reader) SELECT seq, card_id, $3, $4, 0, kind, reader FROM unnest($1::bigint[], $2::text[], $5::text[], $6::text[]) AS t(seq, card_id, kind, reader)`,
            [entries.map((_, i) => first + i), entries.map((e) => e.cardId), by, Date.now(), entries.map((e) => e.kind), entries.map((e) => e.reader)],
          );
        });
      },
      async feed(cursor, scope, reader, limit): Promise<FeedEntry[]> {
        // One statement, so one snapshot: the cards and the access entries of the same prefix of the log.
        const rows = (
          await db.query<{ kind: string; log_seq: number; id: string; owner: string; seq: number; state: Buffer | null; row: string | null }>(
            `SELECT * FROM (
               (SELECT 'card' AS kind, seq AS log_seq, id, owner, seq, state, "row" FROM cards WHERE seq > $1 AND ${SCOPE} ORDER BY seq LIMIT $6)
               UNION ALL
               (SELECT l.kind, l.seq, c.id, c.owner, c.seq, CASE WHEN l.kind = 'grant' THEN c.state END, CASE WHEN l.kind = 'grant' THEN c."row" END
                  FROM changes l JOIN cards c ON c.id = l.card_id WHERE l.reader = $5 AND l.seq > $1 ORDER BY l.seq LIMIT $6)
             ) f ORDER BY log_seq LIMIT $6`,
            [cursor, ...scopeValues(scope), reader, limit],
          )
        ).rows;
        return rows.map((row): FeedEntry =>
          row.kind === 'revoke'
            ? { kind: 'revoke', logSeq: row.log_seq, id: row.id, owner: row.owner }
            : { kind: 'put', logSeq: row.log_seq, id: row.id, owner: row.owner, seq: row.seq, state: toBytes(row.state!), row: row.row ?? '' },
        );
      },
      async countFeed(cursor, scope, reader) {
        const row = (
          await db.query<{ n: number }>(
            `SELECT (SELECT COUNT(*) FROM cards WHERE seq > $1 AND ${SCOPE}) + (SELECT COUNT(*) FROM changes WHERE reader = $5 AND seq > $1) AS n`,
            [cursor, ...scopeValues(scope), reader],
          )
        ).rows[0];
        return Number(row?.n ?? 0);
      },
      async maxSeq() {
        return (await db.query<{ seq: number }>('SELECT seq FROM log_counter WHERE id = 1')).rows[0]!.seq;
      },
      async accessVersion() {
        return Number((await db.query<{ value: string }>("SELECT value FROM server_meta WHERE key = 'access_version'")).rows[0]?.value ?? 0);
      },
      async bumpAccessVersion() {
        await db.query("UPDATE server_meta SET value = (value::bigint + 1)::text WHERE key = 'access_version'");
      },
      async activeLoans({ borrower, cardId }, now): Promise<ActiveLoan[]> {
        const result =
          borrower !== undefined
            ? await db.query<LoanRow>("SELECT * FROM loans WHERE borrower = $1 AND status = 'active' AND until > $2", [borrower, now])
            : cardId !== undefined
              ? await db.query<LoanRow>("SELECT * FROM loans WHERE card_id = $1 AND status = 'active' AND until > $2", [cardId, now])
              : await db.query<LoanRow>("SELECT * FROM loans WHERE status = 'active' AND until > $1", [now]);
        return result.rows.map((row) => ({ cardId: row.card_id, borrower: row.borrower, until: row.until ?? 0, write: row.write === true }));
      },
      async addLoan(loan) {
        const result = await db.query<{ id: number }>(
          `INSERT INTO loans (card_id, borrower, reason, requested_at, wanted_until, status, "write", approver, decided_at, decision_reason, until, ended_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
          [loan.cardId, loan.borrower, loan.reason, loan.requestedAt, loan.wantedUntil, loan.status, loan.write, loan.approver, loan.decidedAt, loan.decisionReason, loan.until, loan.endedAt],
        );
        return result.rows[0]!.id;
      },
      async getLoan(id) {
        const row = (await db.query<LoanRow>('SELECT * FROM loans WHERE id = $1', [id])).rows[0];
        return row ? loanOf(row) : undefined;
      },
      async updateLoan(loan) {
        await db.query('UPDATE loans SET status = $1, "write" = $2, approver = $3, decided_at = $4, decision_reason = $5, until = $6, ended_at = $7 WHERE id = $8', [
          loan.status, loan.write, loan.approver, loan.decidedAt, loan.decisionReason, loan.until, loan.endedAt, loan.id,
        ]);
      },
      async listLoans({ borrower, cardIds, status }) {
        const rows = (
          await db.query<LoanRow>(
            `SELECT * FROM loans WHERE ($1::text IS NULL OR borrower = $1) AND ($2::text[] IS NULL OR card_id = ANY($2)) AND ($3::text[] IS NULL OR status = ANY($3))
             ORDER BY id DESC LIMIT 1000`,
            [borrower ?? null, cardIds ?? null, status ?? null],
          )
        ).rows;
        return rows.map(loanOf);
      },
      async dueLoans(now) {
        return (await db.query<LoanRow>("SELECT * FROM loans WHERE status = 'active' AND until <= $1 ORDER BY id", [now])).rows.map(loanOf);
      },
      async addProposal(p) {
        const result = await db.query<{ id: number }>(
          `INSERT INTO proposals (card_id, field, value, reason, "by", at, status, decider, decided_at, decision_reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
          [p.cardId, p.field, p.value, p.reason, p.by, p.at, p.status, p.decider, p.decidedAt, p.decisionReason],
        );
        return result.rows[0]!.id;
      },
      async getProposal(id) {
        const row = (await db.query<ProposalRow>('SELECT * FROM proposals WHERE id = $1', [id])).rows[0];
        return row ? proposalOf(row) : undefined;
      },
      async updateProposal(p) {
        await db.query('UPDATE proposals SET status = $1, decider = $2, decided_at = $3, decision_reason = $4 WHERE id = $5', [p.status, p.decider, p.decidedAt, p.decisionReason, p.id]);
      },
      async listProposals({ by, cardIds, status }) {
        const rows = (
          await db.query<ProposalRow>(
            `SELECT * FROM proposals WHERE ($1::text IS NULL OR "by" = $1) AND ($2::text[] IS NULL OR card_id = ANY($2)) AND ($3::text[] IS NULL OR status = ANY($3))
             ORDER BY status = 'open' DESC, id DESC LIMIT 1000`,
            [by ?? null, cardIds ?? null, status ?? null],
          )
        ).rows;
        return rows.map(proposalOf);
      },
      async addHandover(h) {
        const result = await db.query<{ id: number }>(
          'INSERT INTO handovers (from_user, to_user, reason, kind, until, "by", at, card_ids, returned_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id',
          [h.from, h.to, h.reason, h.kind, h.until, h.by, h.at, JSON.stringify(h.cardIds), h.returnedAt],
        );
        return result.rows[0]!.id;
      },
      async updateHandover(h) {
        await db.query('UPDATE handovers SET returned_at = $1, card_ids = $2 WHERE id = $3', [h.returnedAt, JSON.stringify(h.cardIds), h.id]);
      },
      async dueCovers(now) {
        return (await db.query<HandoverRow>("SELECT * FROM handovers WHERE kind = 'cover' AND returned_at IS NULL AND until <= $1 ORDER BY id", [now])).rows.map(handoverOf);
      },
      async listHandovers({ user }) {
        const rows = (await db.query<HandoverRow>('SELECT * FROM handovers WHERE ($1::text IS NULL OR from_user = $1 OR to_user = $1) ORDER BY id DESC LIMIT 500', [user ?? null])).rows;
        return rows.map(handoverOf);
      },
      async poolFacts() {
        // Rows are the server's own JSON (card-row.ts); anything else counts as no row. `OFFSET 0`
        // keeps the subquery whole: pulled up, its cast ran once per column read (five parses of
        // every row, DECISIONS.md "The pool sweep on PostgreSQL"). The owner's newest claim and
        // warning come as one row per card (grouped here; a correlated `ORDER BY id DESC LIMIT 1`
        // was planned as a walk down the primary key per card), not the whole table to Node.
        const rows = (
          await db.query<{ id: string; owner: string; name: unknown; lastContact: unknown; createdAt: unknown; abcOverride: unknown; orders: unknown; claimedAt: unknown; warnedAt: unknown }>(
            `SELECT s.id, s.owner, j->>'name' AS name, j->'lastContact' AS "lastContact", j->'createdAt' AS "createdAt", j->>'abcOverride' AS "abcOverride", (j->'orders')::text AS orders,
               claim.at AS "claimedAt", warn.at AS "warnedAt"
             FROM (SELECT id, owner, CASE WHEN "row" LIKE '{%}' THEN "row"::jsonb END AS j FROM cards OFFSET 0) s
             LEFT JOIN (SELECT card_id, "user", MAX(id) FILTER (WHERE kind = 'claim') AS claim, MAX(id) FILTER (WHERE kind = 'warn') AS warn
                        FROM pool_moves WHERE kind IN ('claim', 'warn') GROUP BY card_id, "user") l ON l.card_id = s.id AND l."user" = s.owner
             LEFT JOIN pool_moves claim ON claim.id = l.claim
             LEFT JOIN pool_moves warn ON warn.id = l.warn`,
          )
        ).rows;
        return rows.map(poolFactsOf);
      },
      async moveOwners(moves) {
        if (moves.length === 0) return [];
        return writing(false, async (client) =>
          (
            await client.query<{ id: string }>(
              'UPDATE cards c SET owner = m.next FROM unnest($1::text[], $2::text[], $3::text[]) AS m(id, prev, next) WHERE c.id = m.id AND c.owner = m.prev RETURNING c.id',
              [moves.map((m) => m.id), moves.map((m) => m.from), moves.map((m) => m.to)],
            )
          ).rows.map((row) => row.id),
        );
      },
      async policy() {
        return (await db.query<StoredPolicy>('SELECT version, at, "by", policy FROM policy_versions ORDER BY version DESC LIMIT 1')).rows[0];
      },
      savePolicy: (policy, after) =>
        writing(false, async (tx) => {
          // The table's lock makes two admins' saves take turns: the second sees the first's version.
          await tx.query('LOCK TABLE policy_versions IN EXCLUSIVE MODE');
          const newest = (await tx.query<{ version: number }>('SELECT MAX(version) AS version FROM policy_versions')).rows[0]?.version ?? 0;
          if (newest !== after) return false;
          await tx.query('INSERT INTO policy_versions (version, at, "by", policy) VALUES ($1, $2, $3, $4)', [policy.version, policy.at, policy.by, policy.policy]);
          return true;
        }),
      async policyHistory(limit) {
        return (await db.query<StoredPolicy>('SELECT version, at, "by", policy FROM policy_versions ORDER BY version DESC LIMIT $1', [limit])).rows;
      },
      async addPoolMoves(moves) {
        if (moves.length === 0) return;
        await db.query(
          `INSERT INTO pool_moves (card_id, kind, "user", team, at, reason) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[])`,
          [moves.map((m) => m.cardId), moves.map((m) => m.kind), moves.map((m) => m.user), moves.map((m) => m.team), moves.map((m) => m.at), moves.map((m) => m.reason)],
        );
      },
      async poolMoves({ cardIds, user, kind, since }) {
        const rows = (
          await db.query<PoolMoveRow>(
            `SELECT * FROM pool_moves WHERE ($1::text[] IS NULL OR card_id = ANY($1)) AND ($2::text IS NULL OR "user" = $2) AND ($3::text IS NULL OR kind = $3) AND ($4::bigint IS NULL OR at >= $4)
             ORDER BY id DESC`,
            [cardIds ?? null, user ?? null, kind ?? null, since ?? null],
          )
        ).rows;
        return rows.map(poolMoveOf);
      },
      async setPoolLock(cardId, by, at) {
        if (by === null) await db.query('DELETE FROM pool_locks WHERE card_id = $1', [cardId]);
        else await db.query('INSERT INTO pool_locks (card_id, "by", at) VALUES ($1, $2, $3) ON CONFLICT (card_id) DO UPDATE SET "by" = EXCLUDED."by", at = EXCLUDED.at', [cardId, by, at]);
      },
      async poolLocks() {
        return new Map((await db.query<{ card_id: string; by: string; at: number }>('SELECT card_id, "by", at FROM pool_locks')).rows.map((row) => [row.card_id, { by: row.by, at: row.at }]));
      },
      async audit(events) {
        if (events.length === 0) return;
        await db.query(
          `INSERT INTO audit (at, "user", token, action, card_id, detail, cards) SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])`,
          [events.map((e) => e.at), events.map((e) => e.user), events.map((e) => e.token), events.map((e) => e.action), events.map((e) => e.cardId), events.map((e) => e.detail), events.map((e) => e.cards?.join(' ') ?? '')],
        );
      },
      async auditOf({ cardId, user, limit = 500 }) {
        const result =
          cardId !== undefined
            ? // The card's own entries, and the runs that name it (their partial index: only runs are read).
              await db.query<AuditRow>(
                `(SELECT ${AUDIT_COLUMNS} FROM audit WHERE card_id = $1 ORDER BY id DESC LIMIT $2)
                 UNION ALL
                 (SELECT id, at, "user", token, action, $1 AS card_id, detail, '' AS cards FROM audit WHERE cards <> '' AND strpos(' ' || cards || ' ', ' ' || $1 || ' ') > 0 ORDER BY id DESC LIMIT $2)
                 ORDER BY id DESC LIMIT $2`,
                [cardId, limit],
              )
            : user !== undefined
              ? await db.query<AuditRow>(`SELECT ${AUDIT_COLUMNS} FROM audit WHERE "user" = $1 ORDER BY id DESC LIMIT $2`, [user, limit])
              : undefined;
        return result ? result.rows.map(auditOf) : [];
      },
    };
  };

  let closed: Promise<void> | undefined;
  const shared = { databaseId: async () => databaseId, close: () => (closed ??= pool.end()) };
  return {
    ...operations(pool, false),
    ...shared,
    transaction: (fn) =>
      inTransaction(true, (client) => {
        const tx: Storage = { ...operations(client, true), ...shared, transaction: (inner) => inner(tx) };
        return fn(tx);
      }),
  };
}
