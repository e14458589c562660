// The PostgreSQL store's statements. Each write is one statement that both
// checks and changes (so it is atomic under READ COMMITTED across any number
// of relays) and keeps secret_totals in step in the same statement. They are
// sent as named prepared statements: planned once per connection.

import { TOTAL_SLOTS } from './postgres-schema.js';
import { META_COLUMNS } from './rows.js';

/** The totals row this connection writes to. */
const SLOT = `pg_backend_pid() % ${TOTAL_SLOTS}`;

/** Subtracts what `upd` (rows leaving 'active', with envelope_bytes) held from this connection's totals row. */
const FREE = (condition: string) => `freed AS (
    UPDATE secret_totals t
       SET active_secrets = t.active_secrets - (SELECT count(*) FROM upd WHERE ${condition}),
           stored_bytes = t.stored_bytes - (SELECT coalesce(sum(envelope_bytes), 0) FROM upd WHERE ${condition})
     WHERE t.slot = ${SLOT} AND EXISTS (SELECT 1 FROM upd WHERE ${condition})
  )`;

export const GET = { name: 'psst_get', text: `SELECT ${META_COLUMNS} FROM secrets WHERE id = $1` };

/** What a write that matched nothing needs to answer not_found or gone. */
export const STATUS = { name: 'psst_status', text: 'SELECT state, expires_at, ended_at FROM secrets WHERE id = $1' };

/**
 * $1..$13 the secret, $14/$15 the most active secrets and bytes the totals may hold before this one.
 * Answers created (0 or 1) and the totals it saw.
 */
export const CREATE = {
  name: 'psst_create',
  text: `WITH totals AS (
    SELECT coalesce(sum(active_secrets), 0)::bigint AS n, coalesce(sum(stored_bytes), 0)::bigint AS bytes FROM secret_totals
  ), ins AS (
    INSERT INTO secrets (id, envelope, access_verifier, passphrase_verifier, manage_verifier,
      kdf_log2n, kdf_r, kdf_p, kdf_salt, views_left, failed_attempts, state, created_at, expires_at, envelope_bytes)
    SELECT $1::text, $2::bytea, $3::bytea, $4::bytea, $5::bytea, $6::integer, $7::integer, $8::integer, $9::bytea,
      $10::integer, 0, 'active', $11::bigint, $12::bigint, $13::integer
      FROM totals WHERE totals.n < $14::bigint AND totals.bytes + $13::integer <= $15::bigint
    RETURNING envelope_bytes
  ), counted AS (
    UPDATE secret_totals t SET active_secrets = t.active_secrets + 1, stored_bytes = t.stored_bytes + ins.envelope_bytes
      FROM ins WHERE t.slot = ${SLOT}
  )
  SELECT (SELECT count(*) FROM ins)::integer AS created, n AS active, bytes FROM totals`,
};

/** The reveal statement; `authorized` adds the access verifier ($3) and no-passphrase conditions. */
function revealStatement(name: string, authorized: boolean) {
  return {
    name,
    text: `WITH cur AS (
    SELECT id, envelope, created_at FROM secrets
     WHERE id = $1 AND state = 'active' AND expires_at > $2::bigint AND views_left > 0
       ${authorized ? 'AND access_verifier = $3::bytea AND passphrase_verifier IS NULL' : ''}
     FOR UPDATE
  ), upd AS (
    UPDATE secrets s
       SET views_left = s.views_left - 1,
           read_at = $2::bigint,
           state = CASE WHEN s.views_left = 1 THEN 'read' ELSE 'active' END,
           ended_at = CASE WHEN s.views_left = 1 THEN $2::bigint END,
           envelope = CASE WHEN s.views_left = 1 THEN NULL ELSE s.envelope END
      FROM cur WHERE s.id = cur.id
    RETURNING s.views_left, s.envelope_bytes, cur.envelope, cur.created_at
  ), ${FREE('views_left = 0')}
  SELECT views_left, envelope, created_at FROM upd`,
  };
}

/**
 * $1 id, $2 now. The row is locked first and its envelope taken from the lock (RETURNING would show the
 * new row, whose envelope the last view has just set to NULL); a reveal that waited on the lock sees the
 * count the other one left, so no race hands out more than `views`.
 */
export const REVEAL = revealStatement('psst_reveal', false);

/** $1 id, $2 now, $3 SHA-256 of the access token: the same, only for a secret without passphrase whose verifier matches. */
export const REVEAL_IF_AUTHORIZED = revealStatement('psst_reveal_if_authorized', true);

/** $1 id, $2 now, $3 MAX_PASSPHRASE_ATTEMPTS: counted, and burned (envelope erased) on the last allowed one. */
export const WRONG_PASSPHRASE = {
  name: 'psst_wrong_passphrase',
  text: `WITH upd AS (
    UPDATE secrets
       SET failed_attempts = failed_attempts + 1,
           state = CASE WHEN failed_attempts + 1 >= $3::integer THEN 'burned' ELSE state END,
           ended_at = CASE WHEN failed_attempts + 1 >= $3::integer THEN $2::bigint ELSE ended_at END,
           envelope = CASE WHEN failed_attempts + 1 >= $3::integer THEN NULL ELSE envelope END
     WHERE id = $1 AND state = 'active' AND expires_at > $2::bigint
    RETURNING failed_attempts, state, envelope_bytes
  ), ${FREE("state = 'burned'")}
  SELECT failed_attempts, state FROM upd`,
};

/** $1 id, $2 now. */
export const DELETE = {
  name: 'psst_delete',
  text: `WITH upd AS (
    UPDATE secrets SET state = 'deleted', envelope = NULL, ended_at = $2::bigint
     WHERE id = $1 AND state = 'active' AND expires_at > $2::bigint
    RETURNING envelope_bytes
  ), ${FREE('true')}
  SELECT count(*)::integer AS deleted FROM upd`,
};

/** $1 now, $2 batch size: expires due secrets (rows another relay holds are left for the next batch). */
export const EXPIRE_DUE = {
  name: 'psst_expire_due',
  text: `WITH due AS (
    SELECT id FROM secrets WHERE state = 'active' AND expires_at <= $1::bigint
     ORDER BY expires_at LIMIT $2::integer FOR UPDATE SKIP LOCKED
  ), upd AS (
    UPDATE secrets s SET state = 'expired', envelope = NULL, ended_at = s.expires_at
      FROM due WHERE s.id = due.id
    RETURNING s.envelope_bytes
  ), ${FREE('true')}
  SELECT count(*)::integer AS expired FROM upd`,
};

/** $1 the newest expires_at whose tombstone may go. */
export const PURGE = { name: 'psst_purge', text: "DELETE FROM secrets WHERE expires_at <= $1::bigint AND state <> 'active'" };

export const STATS = {
  name: 'psst_stats',
  text: 'SELECT coalesce(sum(active_secrets), 0)::bigint AS active, coalesce(sum(stored_bytes), 0)::bigint AS bytes FROM secret_totals',
};

export const SYNCHRONOUS_COMMIT = { name: 'psst_synchronous_commit', text: "SELECT current_setting('synchronous_commit') AS value" };
