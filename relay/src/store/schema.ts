// The database schema as an ordered list of migrations, applied at open and
// tracked by `PRAGMA user_version` (version n = the first n migrations applied).
import type { Database } from 'better-sqlite3';

/** Each entry runs once, inside a transaction, in order. Never edit a released entry: append a new one. */
export const MIGRATIONS: readonly string[] = [
  // 1: secrets and their tombstones in one table. The envelope is NULL once
  // erased; the row (id, hashes, state, times) stays as the tombstone.
  `CREATE TABLE secrets (
     id                  TEXT PRIMARY KEY NOT NULL,
     envelope            BLOB,
     access_verifier     BLOB NOT NULL,
     passphrase_verifier BLOB,
     manage_verifier     BLOB NOT NULL,
     kdf_log2n           INTEGER,
     kdf_r               INTEGER,
     kdf_p               INTEGER,
     kdf_salt            BLOB,
     views_left          INTEGER NOT NULL CHECK (views_left >= 0),
     failed_attempts     INTEGER NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
     state               TEXT NOT NULL CHECK (state IN ('active', 'read', 'expired', 'deleted', 'burned')),
     created_at          INTEGER NOT NULL,
     expires_at          INTEGER NOT NULL,
     read_at             INTEGER,
     ended_at            INTEGER,
     envelope_bytes      INTEGER NOT NULL CHECK (envelope_bytes >= 0),
     CHECK ((state = 'active') = (envelope IS NOT NULL)),
     CHECK ((kdf_log2n IS NULL) = (kdf_salt IS NULL))
   ) STRICT;
   CREATE INDEX secrets_expires_at ON secrets (expires_at);`,
  // 2: per-client quotas. A secret keeps the keyed hashes of its client and network (never the address);
  // client_usage counts, per hash, the secrets not yet purged and the bytes of the active ones, kept in step
  // in the same transaction as every write; client_hash_keys holds the current and previous HMAC keys.
  `ALTER TABLE secrets ADD COLUMN client_hash BLOB;
   ALTER TABLE secrets ADD COLUMN network_hash BLOB;
   CREATE TABLE client_usage (
     hash    BLOB PRIMARY KEY NOT NULL,
     key_id  INTEGER NOT NULL,
     secrets INTEGER NOT NULL,
     bytes   INTEGER NOT NULL
   ) STRICT, WITHOUT ROWID;
   CREATE TABLE client_hash_keys (
     id         INTEGER PRIMARY KEY NOT NULL,
     key        BLOB NOT NULL,
     created_at INTEGER NOT NULL
   ) STRICT;`,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Brings the file to SCHEMA_VERSION. A file from a newer relay is refused
 * rather than guessed at. Returns the version found before migrating.
 */
export function migrate(db: Database): number {
  const found = db.pragma('user_version', { simple: true }) as number;
  if (found > SCHEMA_VERSION) {
    throw new Error(`database schema version ${found} is newer than this relay understands (${SCHEMA_VERSION})`);
  }
  for (let version = found; version < SCHEMA_VERSION; version++) {
    const apply = db.transaction(() => {
      db.exec(MIGRATIONS[version]!);
      // user_version cannot be bound as a parameter; `version + 1` is an integer we computed.
      db.pragma(`user_version = ${version + 1}`);
    });
    apply.immediate();
  }
  return found;
}
