// What only the PostgreSQL store has: several relays (here, several stores) on
// one database, migrations that race, the durability check, the sweep lock,
// an outage and recovery, and how far an erased envelope can be erased. The
// behaviour both stores share is in store.contract.test.ts.
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_PASSPHRASE_ATTEMPTS } from '@psst/protocol/limits';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type PostgresCluster, startPostgres } from '../../../test-support/postgres.js';
import { LOCK_NAMESPACE, LOCK_SWEEP, PG_SCHEMA_VERSION } from './postgres-schema.js';
import { openPostgresStore } from './postgres-store.js';
import { HOUR, newSecret, postgresOptions, recordingObserver, T0 } from './test-fixtures.js';
import { type PostgresStoreOptions, StorageUnavailableError, type Store } from './types.js';

let cluster: PostgresCluster;
const opened: Store[] = [];

beforeAll(async () => {
  cluster = await startPostgres({ wal_recycle: 'off' });
}, 60_000);
afterAll(() => cluster?.remove());
afterEach(async () => {
  await Promise.all(opened.splice(0).map((store) => store.close()));
});

async function open(url: string, overrides: Partial<PostgresStoreOptions> = {}): Promise<Store> {
  const store = await openPostgresStore(postgresOptions(url, overrides));
  opened.push(store);
  return store;
}

async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

describe('opening', () => {
  it('migrates once when several relays start at the same time', async () => {
    const url = cluster.createDatabase();
    const stores = await Promise.all(Array.from({ length: 4 }, () => open(url)));
    expect(stores).toHaveLength(4);
    expect(cluster.psql(url.split('/').pop()!, 'SELECT version FROM psst_schema').trim()).toBe(String(PG_SCHEMA_VERSION));
    expect(cluster.psql(url.split('/').pop()!, 'SELECT count(*) FROM secret_totals').trim()).toBe('64');
  });

  it('refuses a database written by a newer schema', async () => {
    const url = cluster.createDatabase();
    await (await open(url)).close();
    cluster.psql(url.split('/').pop()!, `UPDATE psst_schema SET version = ${PG_SCHEMA_VERSION + 1}`);
    await expect(open(url)).rejects.toThrow(/newer than this relay understands/);
  });

  it('refuses to start when synchronous_commit is off, unless told it is a benchmark', async () => {
    const url = cluster.createDatabase();
    const name = url.split('/').pop()!;
    cluster.psql('postgres', `ALTER DATABASE ${name} SET synchronous_commit = off`);
    await expect(open(url)).rejects.toThrow(/synchronous_commit = off.*PSST_DATABASE_ALLOW_ASYNC_COMMIT/);
    const store = await open(url, { allowAsyncCommit: true });
    expect(await store.create(newSecret())).toEqual({ kind: 'created' });
  });

  it('refuses writes once synchronous_commit is turned off after the start (seen by the sweep), and takes them again once it is back on', async () => {
    const events: string[] = [];
    const store = await open(cluster.createDatabase(), { poolMax: 1, onAvailability: (up, reason) => events.push(`${up}:${reason}`) });
    const kept = newSecret();
    await store.create(kept);
    /** Sweeps until the pooled connection has taken the reloaded setting (a backend reads it between commands). */
    const sweepUntil = async (readiness: string) => {
      for (let i = 0; i < 50 && (await store.ready()) !== readiness; i++) {
        await store.sweep(T0 + 1);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(await store.ready()).toBe(readiness);
    };
    cluster.psql('postgres', 'ALTER SYSTEM SET synchronous_commit = off');
    cluster.psql('postgres', 'SELECT pg_reload_conf()');
    try {
      await sweepUntil('storage_unavailable');
      await expect(store.create(newSecret())).rejects.toBeInstanceOf(StorageUnavailableError);
      await expect(store.reveal(kept.id, T0 + 1)).rejects.toBeInstanceOf(StorageUnavailableError);
    } finally {
      cluster.psql('postgres', 'ALTER SYSTEM RESET synchronous_commit');
      cluster.psql('postgres', 'SELECT pg_reload_conf()');
    }
    await sweepUntil('ready');
    expect((await store.reveal(kept.id, T0 + 1)).kind).toBe('revealed');
    expect(events).toEqual(['false:synchronous_commit_off', 'true:synchronous_commit_on']);
  });
});

describe('synchronous_commit off and an outage together', () => {
  it('does not report the database as up when it answers again while synchronous_commit is still off', async () => {
    const events: string[] = [];
    const store = await open(cluster.createDatabase(), {
      poolMax: 1,
      queryTimeoutMs: 2_000,
      onAvailability: (up, reason) => events.push(`${up}:${reason}`),
    });
    const kept = newSecret();
    await store.create(kept);
    cluster.psql('postgres', 'ALTER SYSTEM SET synchronous_commit = off');
    cluster.psql('postgres', 'SELECT pg_reload_conf()');
    try {
      for (let i = 0; i < 50 && (await store.ready()) !== 'storage_unavailable'; i++) {
        await store.sweep(T0 + 1);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      cluster.stop();
      try {
        await expect(store.get(kept.id, T0 + 1)).rejects.toBeInstanceOf(StorageUnavailableError);
      } finally {
        cluster.start();
      }
      // It answers again, but writes are still refused: not up.
      expect(await store.get(kept.id, T0 + 1)).toMatchObject({ state: 'active' });
      expect(await store.ready()).toBe('storage_unavailable');
      await expect(store.reveal(kept.id, T0 + 1)).rejects.toBeInstanceOf(StorageUnavailableError);
      expect(events).toEqual(['false:synchronous_commit_off']);
    } finally {
      cluster.psql('postgres', 'ALTER SYSTEM RESET synchronous_commit');
      cluster.psql('postgres', 'SELECT pg_reload_conf()');
    }
    for (let i = 0; i < 50 && (await store.ready()) !== 'ready'; i++) {
      await store.sweep(T0 + 1);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect((await store.reveal(kept.id, T0 + 1)).kind).toBe('revealed');
    expect(events).toEqual(['false:synchronous_commit_off', 'true:synchronous_commit_on']);
  });
});

describe('several relays on one database', () => {
  it('gives exactly `views` envelopes when 50 reveals race across two relays', async () => {
    const url = cluster.createDatabase();
    const [a, b] = [await open(url), await open(url)];
    for (const views of [1, 3]) {
      for (let round = 0; round < 5; round++) {
        const secret = newSecret({ views });
        await a!.create(secret);
        const results = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? a! : b!).reveal(secret.id, T0 + 1)));
        const revealed = results.filter((r) => r.kind === 'revealed');
        expect(revealed).toHaveLength(views);
        expect(revealed.map((r) => r.viewsLeft).sort()).toEqual(Array.from({ length: views }, (_, i) => i));
      }
    }
    expect(await a!.stats()).toEqual({ activeSecrets: 0, storedBytes: 0 });
  });

  it('burns at exactly the fifth wrong passphrase when the attempts are split across two relays', async () => {
    const url = cluster.createDatabase();
    const [a, b] = [await open(url), await open(url)];
    const secret = newSecret({ passphraseVerifier: randomBytes(32) });
    await b!.create(secret);
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? a! : b!).recordWrongPassphrase(secret.id, T0 + 1)));
    expect(results.filter((r) => r.kind === 'counted')).toHaveLength(MAX_PASSPHRASE_ATTEMPTS - 1);
    expect(results.filter((r) => r.kind === 'burned')).toHaveLength(1);
    expect(await a!.get(secret.id, T0 + 2)).toMatchObject({ state: 'burned', failedAttempts: MAX_PASSPHRASE_ATTEMPTS });
  });

  it('enforces the quotas on the database totals, not per relay', async () => {
    const url = cluster.createDatabase();
    const a = await open(url, { maxActiveSecrets: 10 });
    const b = await open(url, { maxActiveSecrets: 10 });
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).create(newSecret())));
    expect(results.filter((r) => r.kind === 'created')).toHaveLength(10);
    expect(await a.ready()).toBe('storage_full');
    expect(await b.ready()).toBe('storage_full');
    expect(await b.stats()).toEqual({ activeSecrets: 10, storedBytes: 11_000 });
  });

  it('lets one relay sweep at a time; the others skip while it holds the lock', async () => {
    const url = cluster.createDatabase();
    const store = await open(url);
    await store.create(newSecret({ expiresAt: T0 + HOUR }));
    await withClient(url, async (other) => {
      await other.query('SELECT pg_advisory_lock($1, $2)', [LOCK_NAMESPACE, LOCK_SWEEP]);
      expect(await store.sweep(T0 + HOUR)).toEqual({ expired: 0, purged: 0, skipped: true });
      await other.query('SELECT pg_advisory_unlock($1, $2)', [LOCK_NAMESPACE, LOCK_SWEEP]);
    });
    expect(await store.sweep(T0 + HOUR)).toEqual({ expired: 1, purged: 0 });
  });

  it('sweeps with a pool of one connection (the sweep needs no second one)', async () => {
    const store = await open(cluster.createDatabase(), { poolMax: 1, queryTimeoutMs: 1_000 });
    await store.create(newSecret({ expiresAt: T0 + HOUR }));
    expect(await store.sweep(T0 + HOUR)).toEqual({ expired: 1, purged: 0 });
  });
});

describe('metrics', () => {
  it('observes one commit per committed write, none for reads, and one for a create near the quota (its own transaction)', async () => {
    const observer = recordingObserver();
    const commits = () => observer.batchSizes();
    const store = await open(cluster.createDatabase(), { observer, maxActiveSecrets: 3 });
    const secret = newSecret();
    await store.create(secret);
    expect(commits()).toEqual([1]);
    await store.get(secret.id, T0 + 1);
    await store.stats();
    await store.ready();
    expect(commits()).toEqual([1]);
    await store.reveal(secret.id, T0 + 1);
    // The second reveal matches nothing, then reads the row to say why: still one statement that commits.
    await store.reveal(secret.id, T0 + 2);
    expect(commits()).toEqual([1, 1, 1]);
    observer.events.length = 0;
    // Within QUOTA_SLACK of maxActiveSecrets (every create, at 3): BEGIN, the quota lock, the insert and COMMIT, one transaction.
    expect(await store.create(newSecret())).toEqual({ kind: 'created' });
    expect(commits()).toEqual([1]);
    // A sweep with nothing due: one expiring statement and one purge.
    observer.events.length = 0;
    await store.sweep(T0 + 3);
    expect(commits()).toEqual([1, 1]);
  });
});

describe('an outage', () => {
  it('answers storage_unavailable while the database is down and recovers by itself, keeping every acknowledged write', async () => {
    const url = cluster.createDatabase();
    const events: string[] = [];
    const store = await open(url, {
      queryTimeoutMs: 2_000,
      onAvailability: (up, reason) => events.push(`${up ? 'up' : 'down'}:${reason}`),
    });
    const kept = newSecret({ views: 2 });
    const read = newSecret();
    await store.create(kept);
    await store.create(read);
    expect((await store.reveal(read.id, T0 + 1)).kind).toBe('revealed');

    cluster.stop();
    try {
      await expect(store.create(newSecret())).rejects.toBeInstanceOf(StorageUnavailableError);
      await expect(store.reveal(kept.id, T0 + 2)).rejects.toBeInstanceOf(StorageUnavailableError);
      await expect(store.get(kept.id, T0 + 2)).rejects.toBeInstanceOf(StorageUnavailableError);
      expect(await store.ready()).toBe('storage_unavailable');
      await expect(store.sweep(T0 + 2)).rejects.toBeInstanceOf(StorageUnavailableError);
    } finally {
      cluster.start();
    }
    expect(await store.ready()).toBe('ready');
    expect(await store.get(kept.id, T0 + 3)).toMatchObject({ state: 'active', viewsLeft: 2 });
    expect(await store.reveal(read.id, T0 + 3)).toEqual({ kind: 'gone', reason: 'read', at: T0 + 1 });
    expect(await store.reveal(kept.id, T0 + 3)).toMatchObject({ kind: 'revealed', viewsLeft: 1 });
    expect(events[0]).toMatch(/^down:/);
    expect(events.at(-1)).toBe('up:answered');
  });
});

const CHUNK = 32;

/** How many of the envelope's 32-byte slices (stride 32) appear in the files. */
function survivingChunks(files: string[], envelope: Buffer): number {
  const image = Buffer.concat(files.map((file) => readFileSync(file)));
  let found = 0;
  for (let offset = 0; offset + CHUNK <= envelope.length; offset += CHUNK) {
    if (image.indexOf(envelope.subarray(offset, offset + CHUNK)) !== -1) found++;
  }
  return found;
}

describe('erasure, as far as PostgreSQL allows', () => {
  // The cluster runs with wal_recycle=off, as ops/README.md recommends.
  it('erases the envelope from every row version with the sweep, and from the WAL files once their segments are removed', async () => {
    const url = cluster.createDatabase();
    const name = url.split('/').pop()!;
    const store = await open(url);
    const neighbours = () =>
      Promise.all(Array.from({ length: 10 }, () => store.create(newSecret({ envelope: randomBytes(700), expiresAt: T0 + 5 * HOUR }))));
    await neighbours();
    const envelope = randomBytes(2_048);
    const secret = newSecret({ envelope, views: 2 });
    await store.create(secret);
    await neighbours();
    const heap = join(cluster.dataDir, cluster.psql(name, "SELECT pg_relation_filepath('secrets')").trim());
    const walFiles = () =>
      readdirSync(join(cluster.dataDir, 'pg_wal'))
        .filter((f) => /^[0-9A-F]{24}$/.test(f))
        .map((f) => join(cluster.dataDir, 'pg_wal', f));
    // Row versions, live or dead, whose data holds the envelope's first chunk (pageinspect reads the pages).
    cluster.psql(name, 'CREATE EXTENSION pageinspect');
    const versionsHolding = () =>
      cluster
        .psql(
          name,
          `SELECT count(*) FROM generate_series(0, (pg_relation_size('secrets') / 8192)::int - 1) AS b,
             LATERAL heap_page_items(get_raw_page('secrets', b)) AS items
           WHERE position('\\x${envelope.subarray(0, CHUNK).toString('hex')}'::bytea IN items.t_data) > 0`,
        )
        .trim();
    cluster.psql(name, 'CHECKPOINT');
    // The control: while the secret lives its bytes are in the table's file, so the searches below can fail.
    const live = survivingChunks([heap], envelope);
    expect(live).toBe(2_048 / CHUNK);

    await store.reveal(secret.id, T0 + 1);
    await store.reveal(secret.id, T0 + 2);
    cluster.psql(name, 'CHECKPOINT');
    const afterReveal = survivingChunks([heap], envelope);
    expect(cluster.psql(name, `SELECT count(*) FROM secrets WHERE id = '${secret.id}' AND envelope IS NOT NULL`).trim()).toBe('0');
    // Each view wrote a new row version; the old ones (with the envelope) are dead tuples until VACUUM.
    expect(Number(versionsHolding())).toBeGreaterThan(0);

    await store.sweep(T0 + 3);
    cluster.psql(name, 'CHECKPOINT');
    const afterSweep = survivingChunks([heap], envelope);
    expect(versionsHolding()).toBe('0');

    await Promise.all(Array.from({ length: 30 }, () => neighbours()));
    cluster.psql(name, 'CHECKPOINT');
    const afterRefill = survivingChunks([heap], envelope);
    const walBefore = survivingChunks(walFiles(), envelope);
    // Past the segment that holds the insert: with wal_recycle=off a checkpoint deletes it instead of reusing it.
    cluster.psql(name, 'SELECT pg_switch_wal()');
    cluster.psql(name, 'CHECKPOINT');
    cluster.psql(name, 'CHECKPOINT');
    const walAfter = survivingChunks(walFiles(), envelope);
    console.log(
      `erasure probe, 2048-byte envelope in 64 chunks: table file while live ${live}, after the last reveal ${afterReveal}, ` +
        `after the sweep's VACUUM ${afterSweep} (page free space), after 300 more creates ${afterRefill}; ` +
        `WAL ${walBefore}, after a segment switch and two checkpoints ${walAfter}`,
    );
    expect(walBefore).toBe(2_048 / CHUNK);
    expect(walAfter).toBe(0);
  });
});
