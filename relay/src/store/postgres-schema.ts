// The PostgreSQL schema as an ordered list of migrations, applied at open
// under an advisory lock, so several relays starting at once migrate once.
// The same table as SQLite's (./schema.ts), plus the quota totals.
import type { PoolClient } from 'pg';

/** Advisory lock keys (two int4s): 'psst' and what the lock guards. */
export const LOCK_NAMESPACE = 0x70737374;
export const LOCK_MIGRATE = 1;
export const LOCK_SWEEP = 2;
export const LOCK_QUOTA = 3;
/** Per-client and per-network quota locks use the single-bigint key space (apart from the two-int4 one above). */

/** Rows of secret_totals: each connection adds to the row of its backend pid, so concurrent writes rarely wait on one row. */
export const TOTAL_SLOTS = 64;

/** Each entry runs once, inside a transaction, in order. Never edit a released entry: append a new one. */
export const PG_MIGRATIONS: readonly string[] = [
  // 1: secrets and their tombstones in one table (the envelope is NULL once erased), and the totals the
  // quotas are checked against: every statement that starts or ends an active secret updates them in the
  // same statement, so they are the database's numbers whatever relay wrote.
  `CREATE TABLE secrets (
     id                  text PRIMARY KEY,
     envelope            bytea,
     access_verifier     bytea NOT NULL,
     passphrase_verifier bytea,
     manage_verifier     bytea NOT NULL,
     kdf_log2n           integer,
     kdf_r               integer,
     kdf_p               integer,
     kdf_salt            bytea,
     views_left          integer NOT NULL CHECK (views_left >= 0),
     failed_attempts     integer NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
     state               text NOT NULL CHECK (state IN ('active', 'read', 'expired', 'deleted', 'burned')),
     created_at          bigint NOT NULL,
     expires_at          bigint NOT NULL,
     read_at             bigint,
     ended_at            bigint,
     envelope_bytes      integer NOT NULL CHECK (envelope_bytes >= 0),
     CHECK ((state = 'active') = (envelope IS NOT NULL)),
     CHECK ((kdf_log2n IS NULL) = (kdf_salt IS NULL))
   );
   -- Envelopes of a few KB stay in the row instead of TOAST (measured faster), so an erased one lives in
   -- one dead tuple that VACUUM prunes, not in a second table as well.
   ALTER TABLE secrets ALTER COLUMN envelope SET STORAGE MAIN;
   CREATE INDEX secrets_expires_at ON secrets (expires_at);
   CREATE TABLE secret_totals (
     slot           integer PRIMARY KEY,
     active_secrets bigint NOT NULL DEFAULT 0,
     stored_bytes   bigint NOT NULL DEFAULT 0
   );
   INSERT INTO secret_totals (slot) SELECT generate_series(0, ${TOTAL_SLOTS - 1});`,
  // 2: the tombstone bound and per-client quotas, as in SQLite's migration 2: the tombstones counted in
  // secret_totals, each secret's keyed client and network hashes, their usage, and the HMAC keys (here, so
  // that every relay on the database hashes alike).
  `ALTER TABLE secret_totals ADD COLUMN tombstones bigint NOT NULL DEFAULT 0;
   UPDATE secret_totals SET tombstones = (SELECT count(*) FROM secrets WHERE state <> 'active') WHERE slot = 0;
   ALTER TABLE secrets ADD COLUMN client_hash bytea, ADD COLUMN network_hash bytea;
   CREATE TABLE client_usage (
     hash    bytea PRIMARY KEY,
     key_id  integer NOT NULL,
     secrets bigint NOT NULL,
     bytes   bigint NOT NULL
   );
   CREATE TABLE client_hash_keys (
     id         integer PRIMARY KEY,
     key        bytea NOT NULL,
     created_at bigint NOT NULL
   );`,
];

export const PG_SCHEMA_VERSION = PG_MIGRATIONS.length;

/**
 * Brings the database to PG_SCHEMA_VERSION on one connection, holding the migration lock; a database
 * from a newer relay is refused.
 */
export async function migratePostgres(client: PoolClient): Promise<void> {
  await client.query('SELECT pg_advisory_lock($1, $2)', [LOCK_NAMESPACE, LOCK_MIGRATE]);
  try {
    await client.query('CREATE TABLE IF NOT EXISTS psst_schema (version integer NOT NULL)');
    const found = await client.query<{ version: number }>('SELECT version FROM psst_schema');
    if (found.rows.length === 0) await client.query('INSERT INTO psst_schema (version) VALUES (0)');
    const version = found.rows[0]?.version ?? 0;
    if (version > PG_SCHEMA_VERSION) {
      throw new Error(`database schema version ${version} is newer than this relay understands (${PG_SCHEMA_VERSION})`);
    }
    for (let next = version; next < PG_SCHEMA_VERSION; next++) {
      await client.query('BEGIN');
      try {
        await client.query(PG_MIGRATIONS[next]!);
        await client.query('UPDATE psst_schema SET version = $1', [next + 1]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1, $2)', [LOCK_NAMESPACE, LOCK_MIGRATE]);
  }
}
