// The PostgreSQL store's statements. Each write is one statement that both
// checks and changes (so it is atomic under READ COMMITTED across any number
// of relays) and keeps secret_totals in step in the same statement. They are
// sent as named prepared statements: planned once per connection.

import { TOTAL_SLOTS } from './postgres-schema.js';
import { META_COLUMNS } from './rows.js';

/** The totals row this connection writes to. */
const SLOT = `pg_backend_pid() % ${TOTAL_SLOTS}`;

/**
 * Subtracts what `upd` (rows leaving 'active', with envelope_bytes, client_hash and network_hash) held from
 * this connection's totals row, counts their tombstones, and gives their bytes back to their client and network.
 * Usage rows are always locked in the order of their hash (here, in the create and in the purge), so that two
 * statements never wait on each other's rows in a circle.
 */
const FREE = (condition: string) => `freed AS (
    UPDATE secret_totals t
       SET active_secrets = t.active_secrets - (SELECT count(*) FROM upd WHERE ${condition}),
           stored_bytes = t.stored_bytes - (SELECT coalesce(sum(envelope_bytes), 0) FROM upd WHERE ${condition}),
           tombstones = t.tombstones + (SELECT count(*) FROM upd WHERE ${condition})
     WHERE t.slot = ${SLOT} AND EXISTS (SELECT 1 FROM upd WHERE ${condition})
  ), ended AS (
    SELECT h, sum(b) AS bytes
      FROM (SELECT client_hash AS h, envelope_bytes AS b FROM upd WHERE ${condition}
            UNION ALL SELECT network_hash, envelope_bytes FROM upd WHERE ${condition}) AS e
     WHERE h IS NOT NULL GROUP BY h
  ), held AS (
    SELECT u.hash FROM client_usage u JOIN ended ON u.hash = ended.h ORDER BY u.hash FOR UPDATE OF u
  ), unused AS (
    UPDATE client_usage u SET bytes = greatest(u.bytes - ended.bytes, 0) FROM ended, held WHERE u.hash = ended.h AND held.hash = u.hash
  )`;

export const GET = { name: 'psst_get', text: `SELECT ${META_COLUMNS} FROM secrets WHERE id = $1` };

/** What a write that matched nothing needs to answer not_found or gone. */
export const STATUS = { name: 'psst_status', text: 'SELECT state, expires_at, ended_at FROM secrets WHERE id = $1' };

/**
 * $1..$13 the secret; $14/$15/$16 the most active secrets, bytes and tombstones the totals may hold before this
 * one; $17/$18 the client's hash under the current and the previous key, $19/$20 its network's, $21 the current
 * key's id; $22..$25 the most secrets and bytes the client, then the network, may hold before this one.
 * Answers created (0 or 1) and the totals and usage it saw.
 */
export const CREATE = {
  name: 'psst_create',
  text: `WITH totals AS (
    SELECT coalesce(sum(active_secrets), 0)::bigint AS n, coalesce(sum(stored_bytes), 0)::bigint AS bytes,
           coalesce(sum(tombstones), 0)::bigint AS tombstones FROM secret_totals
  ), usage AS (
    SELECT coalesce(sum(secrets) FILTER (WHERE hash IN ($17::bytea, $18::bytea)), 0)::bigint AS client_secrets,
           coalesce(sum(bytes) FILTER (WHERE hash IN ($17::bytea, $18::bytea)), 0)::bigint AS client_bytes,
           coalesce(sum(secrets) FILTER (WHERE hash IN ($19::bytea, $20::bytea)), 0)::bigint AS network_secrets,
           coalesce(sum(bytes) FILTER (WHERE hash IN ($19::bytea, $20::bytea)), 0)::bigint AS network_bytes
      FROM client_usage WHERE hash IN ($17::bytea, $18::bytea, $19::bytea, $20::bytea)
  ), ins AS (
    INSERT INTO secrets (id, envelope, access_verifier, passphrase_verifier, manage_verifier,
      kdf_log2n, kdf_r, kdf_p, kdf_salt, views_left, failed_attempts, state, created_at, expires_at, envelope_bytes,
      client_hash, network_hash)
    SELECT $1::text, $2::bytea, $3::bytea, $4::bytea, $5::bytea, $6::integer, $7::integer, $8::integer, $9::bytea,
      $10::integer, 0, 'active', $11::bigint, $12::bigint, $13::integer, $17::bytea, $19::bytea
      FROM totals, usage
     WHERE totals.n < $14::bigint AND totals.bytes + $13::integer <= $15::bigint AND totals.tombstones < $16::bigint
       AND usage.client_secrets < $22::bigint AND usage.client_bytes + $13::integer <= $23::bigint
       AND usage.network_secrets < $24::bigint AND usage.network_bytes + $13::integer <= $25::bigint
    RETURNING envelope_bytes, client_hash, network_hash
  ), counted AS (
    UPDATE secret_totals t SET active_secrets = t.active_secrets + 1, stored_bytes = t.stored_bytes + ins.envelope_bytes
      FROM ins WHERE t.slot = ${SLOT}
  ), used AS (
    INSERT INTO client_usage (hash, key_id, secrets, bytes)
    SELECT v.h, $21::integer, 1, ins.envelope_bytes FROM ins CROSS JOIN LATERAL (VALUES (ins.client_hash), (ins.network_hash)) AS v(h)
     WHERE v.h IS NOT NULL ORDER BY v.h
    ON CONFLICT (hash) DO UPDATE SET secrets = client_usage.secrets + 1, bytes = client_usage.bytes + excluded.bytes
  )
  SELECT (SELECT count(*) FROM ins)::integer AS created, n AS active, bytes, tombstones,
         client_secrets, client_bytes, network_secrets, network_bytes FROM totals, usage`,
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
    RETURNING s.views_left, s.envelope_bytes, s.client_hash, s.network_hash, cur.envelope, cur.created_at
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
    RETURNING failed_attempts, state, envelope_bytes, client_hash, network_hash
  ), ${FREE("state = 'burned'")}
  SELECT failed_attempts, state FROM upd`,
};

/** $1 id, $2 now. */
export const DELETE = {
  name: 'psst_delete',
  text: `WITH upd AS (
    UPDATE secrets SET state = 'deleted', envelope = NULL, ended_at = $2::bigint
     WHERE id = $1 AND state = 'active' AND expires_at > $2::bigint
    RETURNING envelope_bytes, client_hash, network_hash
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
    RETURNING s.envelope_bytes, s.client_hash, s.network_hash
  ), ${FREE('true')}
  SELECT count(*)::integer AS expired FROM upd`,
};

/**
 * $1 the newest expires_at whose tombstone may go: the tombstones leave the totals and their clients' and
 * networks' counts; a usage row whose count reaches zero goes too (a row a create just counted again stays).
 */
export const PURGE = {
  name: 'psst_purge',
  text: `WITH del AS (
    DELETE FROM secrets WHERE expires_at <= $1::bigint AND state <> 'active' RETURNING client_hash, network_hash
  ), tot AS (
    UPDATE secret_totals t SET tombstones = t.tombstones - (SELECT count(*) FROM del)
     WHERE t.slot = ${SLOT} AND EXISTS (SELECT 1 FROM del)
  ), x AS (
    SELECT h, count(*) AS n FROM (SELECT client_hash AS h FROM del UNION ALL SELECT network_hash FROM del) AS ended
     WHERE h IS NOT NULL GROUP BY h
  ), held AS (
    SELECT u.hash FROM client_usage u JOIN x ON u.hash = x.h ORDER BY u.hash FOR UPDATE OF u
  ), dec AS (
    UPDATE client_usage u SET secrets = u.secrets - x.n FROM x, held WHERE u.hash = x.h AND held.hash = u.hash AND u.secrets > x.n
  ), dropped AS (
    DELETE FROM client_usage u USING x, held WHERE u.hash = x.h AND held.hash = u.hash AND u.secrets <= x.n
  )
  SELECT count(*)::integer AS purged FROM del`,
};

/** The newest two HMAC keys of the client hashes. */
export const HASH_KEYS = { name: 'psst_hash_keys', text: 'SELECT id, key, created_at FROM client_hash_keys ORDER BY id DESC LIMIT 2' };

/** $1 id, $2 key, $3 created_at: a new key, unless another relay made this one first. */
export const ADD_HASH_KEY = {
  name: 'psst_add_hash_key',
  text: 'INSERT INTO client_hash_keys (id, key, created_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING',
};

/** $1 the previous key's id: older keys go, and the usage counted under them. */
export const DROP_OLD_HASH_KEYS = {
  name: 'psst_drop_old_hash_keys',
  text: `WITH k AS (DELETE FROM client_hash_keys WHERE id < $1::integer)
  DELETE FROM client_usage WHERE key_id < $1::integer`,
};

export const STATS = {
  name: 'psst_stats',
  text: `SELECT coalesce(sum(active_secrets), 0)::bigint AS active, coalesce(sum(stored_bytes), 0)::bigint AS bytes,
    coalesce(sum(tombstones), 0)::bigint AS tombstones FROM secret_totals`,
};

export const SYNCHRONOUS_COMMIT = { name: 'psst_synchronous_commit', text: "SELECT current_setting('synchronous_commit') AS value" };
