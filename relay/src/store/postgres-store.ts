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
import {
  type ClientHashes,
  countsClients,
  createClientHasher,
  type HashKeys,
  isRotationDue,
  newHashKey,
  overQuota,
  quotaLimits,
  toHashKeys,
  type Usage,
} from './client-usage.js';
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
/** The same for one client's or one network's quota, whose own creates are few at a time. */
const CLIENT_SLACK_SECRETS = 8;
const CLIENT_SLACK_BYTES = 4 * 1024 * 1024;
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

/** What the create statement saw: the totals and the client's and network's usage. */
interface SeenByCreate {
  created: number;
  active: number;
  bytes: number;
  tombstones: number;
  client_secrets: number;
  client_bytes: number;
  network_secrets: number;
  network_bytes: number;
}

/** An advisory lock key (the single-bigint space) for one client's or network's hash. */
const lockKey = (hash: Buffer) => hash.readBigInt64BE(0).toString();

export async function openPostgresStore(options: PostgresStoreOptions): Promise<Store> {
  const quotas = quotaLimits(options);
  const hashOf = createClientHasher();
  const counting = countsClients(quotas);
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

  let keys: HashKeys;
  /** The newest two hashing keys, the first one made if the database has none (relays starting together make one). */
  async function loadKeys(client?: pg.PoolClient): Promise<HashKeys> {
    const read = async () =>
      toHashKeys((await (client ?? pool).query<{ id: number; key: Buffer; created_at: number }>(SQL.HASH_KEYS)).rows);
    const found = await read();
    if (found) return found;
    const first = newHashKey(1, Date.now());
    await (client ?? pool).query({ ...SQL.ADD_HASH_KEY, values: [first.id, first.key, first.createdAt] });
    return (await read()) as HashKeys;
  }

  try {
    const client = await pool.connect();
    try {
      await migratePostgres(client);
      keys = await loadKeys(client);
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

  /**
   * The create statement's limits after the secret's values: the exact ones, or `slack` below them (the
   * lock-free path, far from every quota).
   */
  function limitValues(hashes: ClientHashes | null, exact: boolean): unknown[] {
    const less = (limit: number, slack: number) => (exact ? limit : limit - slack);
    return [
      less(options.maxActiveSecrets, QUOTA_SLACK_SECRETS),
      less(options.maxStoreBytes, QUOTA_SLACK_BYTES),
      less(quotas.maxTombstones, QUOTA_SLACK_SECRETS),
      hashes?.client ?? null,
      hashes?.previousClient ?? null,
      hashes?.network ?? null,
      hashes?.previousNetwork ?? null,
      hashes?.keyId ?? 0,
      less(quotas.clientMaxSecrets, CLIENT_SLACK_SECRETS),
      less(quotas.clientMaxBytes, CLIENT_SLACK_BYTES),
      less(quotas.networkMaxSecrets, CLIENT_SLACK_SECRETS),
      less(quotas.networkMaxBytes, CLIENT_SLACK_BYTES),
    ];
  }

  /** Why a create that the statement did not insert is refused at the exact limits, or null: near a limit, not over it. */
  function refusal(seen: SeenByCreate, bytes: number): CreateResult | null {
    if (seen.active >= options.maxActiveSecrets) return { kind: 'storage_full', limit: 'secrets' };
    if (seen.bytes + bytes > options.maxStoreBytes) return { kind: 'storage_full', limit: 'bytes' };
    if (seen.tombstones >= quotas.maxTombstones) return { kind: 'storage_full', limit: 'tombstones' };
    const usage: Usage = {
      clientSecrets: seen.client_secrets,
      clientBytes: seen.client_bytes,
      networkSecrets: seen.network_secrets,
      networkBytes: seen.network_bytes,
    };
    return overQuota(usage, bytes, quotas);
  }

  /**
   * Near a quota: the exact check under the locks of the quotas it is near (the store's LOCK_QUOTA, then the
   * network's, then the client's: always in this order, so two creates never wait on each other in a circle).
   */
  async function createLocked(values: unknown[], hashes: ClientHashes | null, seen: SeenByCreate, bytes: number): Promise<SeenByCreate> {
    const client = await connect('create');
    let failed: Error | undefined;
    const nearStore =
      seen.active >= options.maxActiveSecrets - QUOTA_SLACK_SECRETS ||
      seen.bytes + bytes > options.maxStoreBytes - QUOTA_SLACK_BYTES ||
      seen.tombstones >= quotas.maxTombstones - QUOTA_SLACK_SECRETS;
    const nearNetwork =
      seen.network_secrets >= quotas.networkMaxSecrets - CLIENT_SLACK_SECRETS ||
      seen.network_bytes + bytes > quotas.networkMaxBytes - CLIENT_SLACK_BYTES;
    const nearClient =
      seen.client_secrets >= quotas.clientMaxSecrets - CLIENT_SLACK_SECRETS ||
      seen.client_bytes + bytes > quotas.clientMaxBytes - CLIENT_SLACK_BYTES;
    try {
      await run('create', { name: 'psst_begin', text: 'BEGIN' }, [], client);
      if (nearStore) {
        await run(
          'create',
          { name: 'psst_quota_lock', text: 'SELECT pg_advisory_xact_lock($1, $2)' },
          [LOCK_NAMESPACE, LOCK_QUOTA],
          client,
        );
      }
      for (const hash of [nearNetwork ? hashes?.network : undefined, nearClient ? hashes?.client : undefined]) {
        if (hash)
          await run('create', { name: 'psst_client_lock', text: 'SELECT pg_advisory_xact_lock($1::bigint)' }, [lockKey(hash)], client);
      }
      const { rows } = await run<SeenByCreate>('create', SQL.CREATE, [...values, ...limitValues(hashes, true)], client);
      await run('create', { name: 'psst_commit', text: 'COMMIT' }, [], client);
      return rows[0] as SeenByCreate;
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

  async function readTotals(operation: string): Promise<StoreStats & { tombstones: number }> {
    const { rows } = await run<{ active: number; bytes: number; tombstones: number }>(operation, SQL.STATS, []);
    return { activeSecrets: rows[0]?.active ?? 0, storedBytes: rows[0]?.bytes ?? 0, tombstones: rows[0]?.tombstones ?? 0 };
  }

  async function readStats(operation: string): Promise<StoreStats> {
    const { activeSecrets, storedBytes } = await readTotals(operation);
    return { activeSecrets, storedBytes };
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
    const purged = (await run<{ purged: number }>('sweep', SQL.PURGE, [now - options.tombstoneRetentionMs], client)).rows[0]?.purged ?? 0;
    committed(started);
    if (isRotationDue(keys, now, quotas.keyRotationMs)) {
      const next = newHashKey(keys.current.id + 1, now);
      await run('sweep', SQL.ADD_HASH_KEY, [next.id, next.key, next.createdAt], client);
      await run('sweep', SQL.DROP_OLD_HASH_KEYS, [keys.current.id], client);
      keys = await loadKeys(client);
    }
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
      const hashes = counting && secret.client ? hashOf(keys, secret.client) : null;
      try {
        const { rows } = await run<SeenByCreate>('create', SQL.CREATE, [...values, ...limitValues(hashes, false)]);
        const seen = rows[0] as SeenByCreate;
        if (seen.created === 1) {
          committed(started);
          return { kind: 'created' };
        }
        const refused = refusal(seen, bytes);
        if (refused) return refused;
        const locked = await createLocked(values, hashes, seen, bytes);
        committed(started);
        return locked.created === 1 ? { kind: 'created' } : (refusal(locked, bytes) ?? { kind: 'storage_full', limit: 'secrets' });
      } catch (error) {
        const cause = error instanceof StorageUnavailableError ? error.cause : error;
        if (sqlState(cause) === '23505') return { kind: 'duplicate_id' };
        if (sqlState(cause) === '53100') return { kind: 'storage_full', limit: 'file' };
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
        // Another relay may have rotated the hashing keys: each relay's sweep picks the new ones up.
        keys = await loadKeys(client);
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
      let totals: StoreStats & { tombstones: number };
      try {
        totals = await readTotals('ready');
      } catch {
        return 'storage_unavailable';
      }
      return hasRoom(totals, options) && totals.tombstones < quotas.maxTombstones ? 'ready' : 'storage_full';
    },

    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
