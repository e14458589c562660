// The relay's Store on PostgreSQL (pg, a bounded pool, named statements), for
// several relays on one database. Every guarantee is the database's: a write
// is one atomic statement answered after its COMMIT (synchronous_commit must
// be on), the quotas are checked against totals kept in the database, and one
// relay at a time sweeps (an advisory lock). When the database does not
// answer, operations throw StorageUnavailableError and the pool reconnects by
// itself once it is back.
import { performance } from 'node:perf_hooks';
import { MAX_PASSPHRASE_ATTEMPTS } from '@psst/protocol/limits';
import pg from 'pg';
import { LOCK_NAMESPACE, LOCK_QUOTA, LOCK_SWEEP, migratePostgres } from './postgres-schema.js';
import * as SQL from './postgres-sql.js';
import { hasRoom, isPurgeable, type SecretRow, toRecord, unchangeable } from './rows.js';
import {
  type CreateResult,
  type NewSecret,
  type PostgresStoreOptions,
  type Readiness,
  StorageUnavailableError,
  type Store,
  type StoreStats,
  type SweepResult,
} from './types.js';

/**
 * Creates far from the quotas run without a lock; within this many secrets (or bytes) of one they take
 * LOCK_QUOTA and check the exact totals, so the quotas hold unless more than this many creates are in
 * flight at once across every relay.
 */
const QUOTA_SLACK_SECRETS = 256;
const QUOTA_SLACK_BYTES = 32 * 1024 * 1024;
/** Secrets expired per statement by the sweeper, so no statement holds thousands of row locks. */
const SWEEP_BATCH = 1_000;
/** A statement aborted by a deadlock or a serialization failure changed nothing: it is sent again, this often. */
const RETRIES = 3;
const IDLE_TIMEOUT_MS = 30_000;

/** SQLSTATE classes that mean "the database is not there right now", not "this request is wrong". */
const UNAVAILABLE_CLASSES = new Set(['08', '53', '57', '58']);
/** Errors pg raises itself, without a SQLSTATE, when the connection is gone. */
const CONNECTION_MESSAGE = /connect|terminated|timeout|not queryable|closed|ended/i;

function sqlState(error: unknown): string | undefined {
  return error instanceof pg.DatabaseError && typeof error.code === 'string' ? error.code : undefined;
}

/** A reason for logs and metrics: a SQLSTATE or a system error code, never a message (it may quote values). */
function reasonOf(error: unknown): string {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' ? code : error instanceof Error ? error.name : 'unknown';
}

function isUnavailable(error: unknown): boolean {
  const state = sqlState(error);
  if (state !== undefined) return UNAVAILABLE_CLASSES.has(state.slice(0, 2)) || state === '25006';
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return (typeof code === 'string' && /^E[A-Z]+$/.test(code)) || CONNECTION_MESSAGE.test(error.message);
}

const retriable = (error: unknown) => sqlState(error) === '40001' || sqlState(error) === '40P01';

/** int8 columns hold epoch milliseconds and byte counts: numbers, not strings. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

function secretValues(secret: NewSecret): unknown[] {
  return [
    secret.id,
    Buffer.from(secret.envelope.buffer, secret.envelope.byteOffset, secret.envelope.byteLength),
    Buffer.from(secret.accessVerifier),
    secret.passphraseVerifier === null ? null : Buffer.from(secret.passphraseVerifier),
    Buffer.from(secret.manageVerifier),
    secret.kdf?.log2n ?? null,
    secret.kdf?.r ?? null,
    secret.kdf?.p ?? null,
    secret.kdf ? Buffer.from(secret.kdf.salt) : null,
    secret.views,
    secret.createdAt,
    secret.expiresAt,
    secret.envelope.byteLength,
  ];
}

export async function openPostgresStore(options: PostgresStoreOptions): Promise<Store> {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolMax,
    idleTimeoutMillis: IDLE_TIMEOUT_MS,
    connectionTimeoutMillis: options.queryTimeoutMs,
    query_timeout: options.queryTimeoutMs,
    application_name: 'psst-relay',
    types,
  });
  let available = true;
  let durable = true;
  let closed = false;
  /** Up means writes are taken: the database answers and is durable. onAvailability hears each change of it. */
  let reportedUp = true;
  const report = (reason: string) => {
    const up = available && durable;
    if (up === reportedUp) return;
    reportedUp = up;
    options.onAvailability?.(up, reason);
  };
  const setAvailable = (up: boolean, reason: string) => {
    available = up;
    report(reason);
  };
  // An idle connection that the server closes (restart, failover) is reported here; the pool drops it.
  pool.on('error', (error) => setAvailable(false, reasonOf(error)));

  /** On `client` when the caller holds one: a second connection from a pool of one would never come. */
  async function checkDurability(client?: pg.PoolClient): Promise<void> {
    const { rows } = await (client ?? pool).query<{ value: string }>(SQL.SYNCHRONOUS_COMMIT);
    const on = rows[0]?.value !== 'off';
    durable = on || options.allowAsyncCommit;
    report(on ? 'synchronous_commit_on' : 'synchronous_commit_off');
  }

  try {
    const client = await pool.connect();
    try {
      await migratePostgres(client);
    } finally {
      client.release();
    }
    await checkDurability();
  } catch (error) {
    await pool.end();
    throw error;
  }
  if (!durable) {
    await pool.end();
    throw new Error(
      'the database connection has synchronous_commit = off: a database crash could undo acknowledged reveals. ' +
        'Turn it on (ALTER ROLE … SET synchronous_commit = on) or, for a benchmark only, set PSST_DATABASE_ALLOW_ASYNC_COMMIT=true',
    );
  }

  /** One statement on any pooled connection; what a missing database throws becomes StorageUnavailableError. */
  async function run<R extends pg.QueryResultRow>(
    operation: string,
    query: { name: string; text: string },
    values: unknown[],
    client?: pg.PoolClient,
  ): Promise<pg.QueryResult<R>> {
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await (client ?? pool).query<R>({ ...query, values });
        setAvailable(true, 'answered');
        return result;
      } catch (error) {
        if (retriable(error) && attempt < RETRIES && !client) continue;
        options.observer?.dbError(operation);
        if (closed || isUnavailable(error)) {
          setAvailable(false, reasonOf(error));
          throw new StorageUnavailableError('the database does not answer', { cause: error });
        }
        throw error;
      }
    }
  }

  /** One write committed (a statement in autocommit, or createLocked's transaction), `started` ago. */
  function committed(started: number): void {
    options.observer?.commit(1, (performance.now() - started) / 1000);
  }

  function writable(): void {
    if (closed || !durable) throw new StorageUnavailableError(closed ? 'the store is closed' : 'synchronous_commit is off');
  }

  /** A connection of its own, for a transaction or a session lock; none to be had is StorageUnavailableError. */
  async function connect(operation: string): Promise<pg.PoolClient> {
    try {
      return await pool.connect();
    } catch (error) {
      options.observer?.dbError(operation);
      setAvailable(false, reasonOf(error));
      throw new StorageUnavailableError('the database does not answer', { cause: error });
    }
  }

  /** Near a quota: the exact check under LOCK_QUOTA, one create at a time across every relay. */
  async function createLocked(values: unknown[]): Promise<number> {
    const client = await connect('create');
    let failed: Error | undefined;
    try {
      await run('create', { name: 'psst_begin', text: 'BEGIN' }, [], client);
      await run('create', { name: 'psst_quota_lock', text: 'SELECT pg_advisory_xact_lock($1, $2)' }, [LOCK_NAMESPACE, LOCK_QUOTA], client);
      const { rows } = await run<{ created: number }>(
        'create',
        SQL.CREATE,
        [...values, options.maxActiveSecrets, options.maxStoreBytes],
        client,
      );
      await run('create', { name: 'psst_commit', text: 'COMMIT' }, [], client);
      return rows[0]?.created ?? 0;
    } catch (error) {
      failed = error as Error;
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release(failed !== undefined && isUnavailable(failed.cause ?? failed) ? failed : undefined);
    }
  }

  /** The answer for a write that matched no active row: unknown, gone, or expired but not yet swept. */
  async function missed(operation: string, id: string, now: number) {
    const { rows } = await run<Pick<SecretRow, 'state' | 'expires_at' | 'ended_at'>>(operation, SQL.STATUS, [id]);
    const answer = unchangeable(rows[0], now, options.tombstoneRetentionMs);
    if (answer === null) throw new Error('a write found an active secret it could not change');
    return answer;
  }

  async function readStats(operation: string): Promise<StoreStats> {
    const { rows } = await run<{ active: number; bytes: number }>(operation, SQL.STATS, []);
    return { activeSecrets: rows[0]?.active ?? 0, storedBytes: rows[0]?.bytes ?? 0 };
  }

  async function sweepWith(client: pg.PoolClient, now: number): Promise<SweepResult> {
    let expired = 0;
    for (;;) {
      const started = performance.now();
      const { rows } = await run<{ expired: number }>('sweep', SQL.EXPIRE_DUE, [now, SWEEP_BATCH], client);
      committed(started);
      const batch = rows[0]?.expired ?? 0;
      expired += batch;
      if (batch < SWEEP_BATCH) break;
    }
    const started = performance.now();
    const purged = (await run('sweep', SQL.PURGE, [now - options.tombstoneRetentionMs], client)).rowCount ?? 0;
    committed(started);
    // Erased envelopes stay in dead tuples until VACUUM prunes them (PostgreSQL has no secure_delete).
    await client.query('VACUUM (SKIP_LOCKED) secrets');
    return { expired, purged };
  }

  return {
    kind: 'postgres',

    async get(id, now) {
      const { rows } = await run<SecretRow>('get', SQL.GET, [id]);
      const row = rows[0];
      if (row === undefined || isPurgeable(row, now, options.tombstoneRetentionMs)) return undefined;
      return toRecord(row, now);
    },

    async create(secret): Promise<CreateResult> {
      writable();
      const started = performance.now();
      const values = secretValues(secret);
      const bytes = secret.envelope.byteLength;
      try {
        const { rows } = await run<{ created: number; active: number; bytes: number }>('create', SQL.CREATE, [
          ...values,
          options.maxActiveSecrets - QUOTA_SLACK_SECRETS,
          options.maxStoreBytes - QUOTA_SLACK_BYTES,
        ]);
        const seen = rows[0];
        if (seen?.created === 1) {
          committed(started);
          return { kind: 'created' };
        }
        if (seen && (seen.active >= options.maxActiveSecrets || seen.bytes + bytes > options.maxStoreBytes))
          return { kind: 'storage_full' };
        const created = (await createLocked(values)) === 1;
        committed(started);
        return created ? { kind: 'created' } : { kind: 'storage_full' };
      } catch (error) {
        const cause = error instanceof StorageUnavailableError ? error.cause : error;
        if (sqlState(cause) === '23505') return { kind: 'duplicate_id' };
        if (sqlState(cause) === '53100') return { kind: 'storage_full' };
        throw error;
      }
    },

    async reveal(id, now) {
      writable();
      const started = performance.now();
      const { rows } = await run<{ views_left: number; envelope: Buffer }>('reveal', SQL.REVEAL, [id, now]);
      committed(started);
      const row = rows[0];
      if (row) return { kind: 'revealed', envelope: row.envelope, viewsLeft: row.views_left };
      return missed('reveal', id, now);
    },

    async revealIfAuthorized(id, accessVerifier, now) {
      writable();
      const started = performance.now();
      const verifier = Buffer.from(accessVerifier.buffer, accessVerifier.byteOffset, accessVerifier.byteLength);
      const { rows } = await run<{ views_left: number; envelope: Buffer; created_at: number }>('reveal', SQL.REVEAL_IF_AUTHORIZED, [
        id,
        now,
        verifier,
      ]);
      committed(started);
      const row = rows[0];
      if (!row) return { kind: 'no_match' };
      return { kind: 'revealed', envelope: row.envelope, viewsLeft: row.views_left, createdAt: row.created_at };
    },

    async recordWrongPassphrase(id, now) {
      writable();
      const started = performance.now();
      const { rows } = await run<{ failed_attempts: number; state: string }>('wrong_passphrase', SQL.WRONG_PASSPHRASE, [
        id,
        now,
        MAX_PASSPHRASE_ATTEMPTS,
      ]);
      committed(started);
      const row = rows[0];
      if (!row) return missed('wrong_passphrase', id, now);
      if (row.state === 'burned') return { kind: 'burned', at: now };
      return { kind: 'counted', attemptsLeft: MAX_PASSPHRASE_ATTEMPTS - row.failed_attempts };
    },

    async delete(id, now) {
      writable();
      const started = performance.now();
      const { rows } = await run<{ deleted: number }>('delete', SQL.DELETE, [id, now]);
      committed(started);
      if (rows[0]?.deleted === 1) return { kind: 'deleted' };
      return missed('delete', id, now);
    },

    async sweep(now) {
      if (closed) throw new StorageUnavailableError('the store is closed');
      const client = await connect('sweep');
      let broken: Error | undefined;
      try {
        await checkDurability(client);
        const lock = await run<{ ok: boolean }>(
          'sweep',
          { name: 'psst_sweep_lock', text: 'SELECT pg_try_advisory_lock($1, $2) AS ok' },
          [LOCK_NAMESPACE, LOCK_SWEEP],
          client,
        );
        if (!lock.rows[0]?.ok) return { expired: 0, purged: 0, skipped: true };
        try {
          return await sweepWith(client, now);
        } finally {
          await client.query('SELECT pg_advisory_unlock($1, $2)', [LOCK_NAMESPACE, LOCK_SWEEP]);
        }
      } catch (error) {
        broken = error as Error;
        throw error;
      } finally {
        // A connection that failed may still hold the session lock: it is closed, which releases it.
        client.release(broken);
      }
    },

    stats: () => readStats('ready'),

    async ready(): Promise<Readiness> {
      if (closed || !durable) return 'storage_unavailable';
      let stats: StoreStats;
      try {
        stats = await readStats('ready');
      } catch {
        return 'storage_unavailable';
      }
      return hasRoom(stats, options) ? 'ready' : 'storage_full';
    },

    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
