// Helpers shared by the store's tests: temp files, secrets, a recording
// observer, and a fixture that gives each test a fresh database on either
// store (a real SQLite file, or a database in a real PostgreSQL cluster).
// Not used by the relay itself.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { POSTGRES_AVAILABLE, type PostgresCluster, startPostgres } from '../../../test-support/postgres.js';
import { openPostgresStore } from './postgres-store.js';
import { openStore } from './sqlite-store.js';
import type { CommonStoreOptions, NewSecret, PostgresStoreOptions, Store, StoreObserver, StoreOptions } from './types.js';

export const T0 = Date.UTC(2026, 0, 1);
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export function makeTempDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'psst-store-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A 22-char b64u id, like the relay's. */
export function newId(): string {
  return randomBytes(16).toString('base64url');
}

export function newSecret(overrides: Partial<NewSecret> = {}): NewSecret {
  return {
    id: newId(),
    envelope: randomBytes(1_100),
    accessVerifier: randomBytes(32),
    passphraseVerifier: null,
    manageVerifier: randomBytes(32),
    kdf: null,
    views: 1,
    createdAt: T0,
    expiresAt: T0 + HOUR,
    ...overrides,
  };
}

export interface RecordedEvent {
  type: 'commit' | 'dbError' | 'resolved';
  value: number | string;
}

export function recordingObserver(): StoreObserver & { events: RecordedEvent[]; batchSizes(): number[] } {
  const events: RecordedEvent[] = [];
  return {
    events,
    commit: (batchSize) => events.push({ type: 'commit', value: batchSize }),
    dbError: (operation) => events.push({ type: 'dbError', value: operation }),
    batchSizes: () => events.filter((e) => e.type === 'commit').map((e) => e.value as number),
  };
}

export function storeOptions(path: string, overrides: Partial<StoreOptions> = {}): StoreOptions {
  return {
    path,
    maxActiveSecrets: 100_000,
    maxStoreBytes: 1024 * 1024 * 1024,
    tombstoneRetentionMs: DAY,
    groupCommit: { maxBatch: 64, maxWaitMs: 0 },
    synchronous: 'FULL',
    ...overrides,
  };
}

export function openTestStore(path: string, overrides: Partial<StoreOptions> = {}): Store {
  return openStore(storeOptions(path, overrides));
}

export type StoreKind = Store['kind'];

/** Every store the shared suites run on: PostgreSQL too wherever it is installed, and always in CI. */
export const STORE_KINDS: readonly StoreKind[] = POSTGRES_AVAILABLE ? ['sqlite', 'postgres'] : ['sqlite'];

export function postgresOptions(url: string, overrides: Partial<PostgresStoreOptions> = {}): PostgresStoreOptions {
  const { path: _path, groupCommit: _groupCommit, synchronous: _synchronous, ...common } = storeOptions('', {});
  return { ...common, url, poolMax: 8, queryTimeoutMs: 5_000, allowAsyncCommit: false, ...overrides };
}

export interface StoreFixture {
  kind: StoreKind;
  /** Opens (or reopens) the store on this test's database; closed after the test. */
  open(overrides?: Partial<CommonStoreOptions>): Promise<Store>;
  /** SQL straight on the database (not through the store), for checks. */
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
  /** The SQLite file, or the PostgreSQL URL. */
  location: string;
  cluster?: PostgresCluster;
}

/**
 * A fresh database for each test of the describe block: a SQLite file in a temp folder, or a new database
 * in one PostgreSQL cluster started for the block. Stores opened through it are closed after each test.
 */
export function useStoreFixture(kind: StoreKind): { readonly current: StoreFixture } {
  let cluster: PostgresCluster | undefined;
  let temp: ReturnType<typeof makeTempDir> | undefined;
  let fixture: StoreFixture | undefined;
  const opened: Store[] = [];
  beforeAll(async () => {
    if (kind === 'postgres') cluster = await startPostgres();
  }, 60_000);
  afterAll(() => cluster?.remove());
  beforeEach(() => {
    if (kind === 'sqlite') {
      temp = makeTempDir();
      const path = join(temp.dir, 'psst.db');
      fixture = {
        kind,
        location: path,
        async open(overrides = {}) {
          const store = openStore(storeOptions(path, overrides));
          opened.push(store);
          return store;
        },
        async query<T>(sql: string, params: unknown[] = []) {
          const db = new Database(path, { readonly: true });
          try {
            return db.prepare(sql).all(...params) as T[];
          } finally {
            db.close();
          }
        },
      };
      return;
    }
    const url = (cluster as PostgresCluster).createDatabase();
    fixture = {
      kind,
      location: url,
      cluster,
      async open(overrides = {}) {
        const store = await openPostgresStore(postgresOptions(url, overrides));
        opened.push(store);
        return store;
      },
      async query<T>(sql: string, params: unknown[] = []) {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        // The same SQL for both: `?` placeholders become $1, $2, …
        let n = 0;
        try {
          return (
            await client.query(
              sql.replace(/\?/g, () => `$${++n}`),
              params,
            )
          ).rows as T[];
        } finally {
          await client.end();
        }
      },
      ...(cluster ? { cluster } : {}),
    };
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
    temp?.remove();
    temp = undefined;
  });
  return {
    get current() {
      if (!fixture) throw new Error('useStoreFixture: the fixture exists only inside the tests of its describe block');
      return fixture;
    },
  };
}
