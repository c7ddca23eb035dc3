/**
 * The PostgreSQL schema, as numbered migrations: `schema_migrations` records the ones applied,
 * and `migratePostgres` applies the rest at start, in one transaction, under an advisory lock
 * (several instances starting at once migrate once). A migration is never edited once shipped;
 * a change is a new one. The tables mirror the SQLite file's (storage-sqlite.ts), plus
 * `log_counter`, the one row whose lock numbers the log (storage-postgres.ts).
 */
import type pg from 'pg';

/** Any number the project's other advisory locks will not take. */
const MIGRATION_LOCK = 0x0c0ffee14;

export const MIGRATIONS: readonly { version: number; sql: string }[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE server_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      INSERT INTO server_meta (key, value) VALUES ('database_id', gen_random_uuid()::text), ('access_version', '0');
      CREATE TABLE log_counter (id INT PRIMARY KEY CHECK (id = 1), seq BIGINT NOT NULL);
      INSERT INTO log_counter (id, seq) VALUES (1, 0);
      CREATE TABLE teams (name TEXT PRIMARY KEY, created_at BIGINT NOT NULL);
      CREATE TABLE users (name TEXT PRIMARY KEY, role TEXT NOT NULL, created_at BIGINT NOT NULL, team TEXT REFERENCES teams(name), disabled_at BIGINT);
      CREATE TABLE tokens (hash TEXT PRIMARY KEY, "user" TEXT NOT NULL REFERENCES users(name), created_at BIGINT NOT NULL, revoked_at BIGINT, revoked_reason TEXT);
      CREATE TABLE cards (id TEXT PRIMARY KEY, owner TEXT NOT NULL, state BYTEA NOT NULL, seq BIGINT NOT NULL, updated_at BIGINT NOT NULL, "row" TEXT, row_version INT);
      CREATE INDEX cards_by_seq ON cards (seq);
      CREATE INDEX cards_by_owner_seq ON cards (owner, seq);
      CREATE TABLE changes (seq BIGINT PRIMARY KEY, card_id TEXT NOT NULL, "user" TEXT NOT NULL, at BIGINT NOT NULL, bytes INT NOT NULL, kind TEXT NOT NULL DEFAULT 'card', reader TEXT);
      CREATE INDEX changes_by_reader ON changes (reader, seq) WHERE reader IS NOT NULL;
      CREATE TABLE card_keys (key TEXT NOT NULL, card_id TEXT NOT NULL, PRIMARY KEY (key, card_id));
      CREATE INDEX card_keys_by_card ON card_keys (card_id);
      CREATE TABLE loans (id BIGSERIAL PRIMARY KEY, card_id TEXT NOT NULL, borrower TEXT NOT NULL, reason TEXT NOT NULL,
        requested_at BIGINT NOT NULL, wanted_until BIGINT NOT NULL, status TEXT NOT NULL, "write" BOOLEAN NOT NULL,
        approver TEXT, decided_at BIGINT, decision_reason TEXT, until BIGINT, ended_at BIGINT);
      CREATE INDEX loans_by_borrower ON loans (borrower, status);
      CREATE INDEX loans_by_card ON loans (card_id, status);
      CREATE TABLE proposals (id BIGSERIAL PRIMARY KEY, card_id TEXT NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL, reason TEXT NOT NULL,
        "by" TEXT NOT NULL, at BIGINT NOT NULL, status TEXT NOT NULL, decider TEXT, decided_at BIGINT, decision_reason TEXT);
      CREATE INDEX proposals_by_card ON proposals (card_id, status);
      CREATE TABLE handovers (id BIGSERIAL PRIMARY KEY, from_user TEXT NOT NULL, to_user TEXT NOT NULL, reason TEXT NOT NULL, kind TEXT NOT NULL,
        until BIGINT, "by" TEXT NOT NULL, at BIGINT NOT NULL, card_ids TEXT NOT NULL, returned_at BIGINT);
      CREATE TABLE audit (id BIGSERIAL PRIMARY KEY, at BIGINT NOT NULL, "user" TEXT NOT NULL, token TEXT NOT NULL, action TEXT NOT NULL, card_id TEXT, detail TEXT NOT NULL);
      CREATE INDEX audit_by_card ON audit (card_id, id) WHERE card_id IS NOT NULL;
      CREATE INDEX audit_by_user ON audit ("user", id);
      CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'the audit is append-only'; END $$;
      CREATE TRIGGER audit_append_only_rows BEFORE UPDATE OR DELETE ON audit FOR EACH ROW EXECUTE FUNCTION audit_append_only();
      CREATE TRIGGER audit_append_only_truncate BEFORE TRUNCATE ON audit FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
    `,
  },
  {
    // Which user's device each Yjs client id belongs to (client-ids.ts).
    version: 2,
    sql: `CREATE TABLE client_ids (client BIGINT PRIMARY KEY, "user" TEXT NOT NULL, device TEXT NOT NULL, first_seen BIGINT NOT NULL);`,
  },
  {
    // The company policy's versions and the customer pool's moves and locks (shared/policy/).
    version: 3,
    sql: `
      CREATE TABLE policy_versions (version INT PRIMARY KEY, at BIGINT NOT NULL, "by" TEXT NOT NULL, policy TEXT NOT NULL);
      CREATE TABLE pool_moves (id BIGSERIAL PRIMARY KEY, card_id TEXT NOT NULL, kind TEXT NOT NULL, "user" TEXT NOT NULL, team TEXT NOT NULL, at BIGINT NOT NULL, reason TEXT NOT NULL);
      CREATE INDEX pool_moves_by_card ON pool_moves (card_id, id);
      CREATE INDEX pool_moves_by_user ON pool_moves ("user", kind, at);
      CREATE TABLE pool_locks (card_id TEXT PRIMARY KEY, "by" TEXT NOT NULL, at BIGINT NOT NULL);
    `,
  },
  {
    // One audit entry for a run of many cards (a take-out): the cards it released, space-separated.
    version: 4,
    sql: `
      ALTER TABLE audit ADD COLUMN cards TEXT NOT NULL DEFAULT '';
      CREATE INDEX audit_runs ON audit (id) WHERE cards <> '';
    `,
  },
];

/** Applies the migrations this database lacks; refuses a database newer than this code. */
export async function migratePostgres(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INT PRIMARY KEY, applied_at BIGINT NOT NULL)');
    const applied = new Set((await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((row) => row.version));
    const newest = Math.max(0, ...applied);
    const known = Math.max(...MIGRATIONS.map((m) => m.version));
    if (newest > known) throw new Error(`The database's schema (version ${newest}) is newer than this server's (${known}): upgrade the server`);
    for (const migration of MIGRATIONS) {
      if (applied.has(migration.version)) continue;
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [migration.version, Date.now()]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
