// The relay's Store on a real SQLite file (better-sqlite3): WAL with
// synchronous=FULL, secure_delete, migrations at open, quotas mirrored in
// memory, and every write through the group committer (./group-commit.ts).
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { minEnvelopeBytes } from '@psst/protocol/limits';
import Database from 'better-sqlite3';
import { type HashKeys, newHashKey, quotaLimits, toHashKeys } from './client-usage.js';
import { createGroupCommitter, type WriteOp } from './group-commit.js';
import { type Counters, type KeyRing, prepareOperations } from './operations.js';
import { hasRoom, isPurgeable, toRecord } from './rows.js';
import { migrate } from './schema.js';
import { derivedMaxPageCount, PAGE_SIZE, reservePages } from './sqlite-bound.js';
import type { CreateResult, Readiness, Store, StoreOptions, SweepResult } from './types.js';

/** How long a connection waits for a lock held by another process (a backup tool, the sqlite3 shell). */
const BUSY_TIMEOUT_MS = 5_000;
/** The WAL is truncated back to this size after a checkpoint resets it. */
const JOURNAL_SIZE_LIMIT_BYTES = 4 * 1024 * 1024;
/**
 * A COMMIT that leaves at least this many pages in the WAL copies them into the database file and fsyncs it
 * before it returns, holding up the event loop. SQLite's default of 1000 pages made that a 5-10 ms stall about
 * ten times a second at 4k creates/s, and those stalls were the relay's p99. Measured with `pnpm bench`
 * (full-group, 32 connections, both engines, one session): p99 at half the maximum throughput 9-11 ms with
 * 1000, 4.5-6 ms with 100 or 250, 34-38 ms with 4000; 250 kept the throughput of 1000 within the noise.
 */
const WAL_AUTOCHECKPOINT_PAGES = 250;
/** Free pages handed back to the file system per sweep (auto_vacuum=INCREMENTAL), so one sweep stays short. */
const VACUUM_PAGES_PER_SWEEP = 4_096;

function sqliteCode(error: unknown): string | undefined {
  return error instanceof Database.SqliteError ? error.code : undefined;
}

function configure(db: Database.Database, options: StoreOptions, maxPageCount: number): void {
  // auto_vacuum only takes effect on a file without tables, i.e. before the first migration.
  db.pragma('auto_vacuum = INCREMENTAL');
  const mode = db.pragma('journal_mode = WAL', { simple: true });
  if (mode !== 'wal') throw new Error(`could not switch ${options.path} to WAL (journal_mode is ${String(mode)})`);
  db.pragma(`synchronous = ${options.synchronous === 'NORMAL' ? 'NORMAL' : 'FULL'}`);
  db.pragma('secure_delete = ON');
  db.pragma('foreign_keys = ON');
  // Savepoint and statement journals hold old page images (ciphertext): keep them off the disk.
  db.pragma('temp_store = MEMORY');
  db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
  db.pragma(`journal_size_limit = ${JOURNAL_SIZE_LIMIT_BYTES}`);
  db.pragma(`max_page_count = ${Math.floor(maxPageCount)}`);
}

/** The newest two hashing keys, the first one made if the file has none yet. */
function loadKeys(db: Database.Database): HashKeys {
  const read = () =>
    toHashKeys(db.prepare<[], { id: number; key: Buffer; created_at: number }>('SELECT id, key, created_at FROM client_hash_keys').all());
  const found = read();
  if (found) return found;
  const first = newHashKey(1, Date.now());
  db.prepare('INSERT INTO client_hash_keys (id, key, created_at) VALUES (?, ?, ?)').run(first.id, first.key, first.createdAt);
  return read() as HashKeys;
}

export function openStore(options: StoreOptions): Store {
  mkdirSync(dirname(options.path), { recursive: true });
  const db = new Database(options.path, { timeout: BUSY_TIMEOUT_MS });
  const quotas = quotaLimits(options);
  const maxPageCount = options.maxPageCount ?? derivedMaxPageCount({ ...options, maxTombstones: quotas.maxTombstones });
  let ring: KeyRing;
  try {
    configure(db, options, maxPageCount);
    migrate(db);
    ring = { keys: loadKeys(db) };
  } catch (error) {
    db.close();
    throw error;
  }

  const totals = db
    .prepare(
      "SELECT total(state = 'active') AS n, total(CASE WHEN state = 'active' THEN envelope_bytes END) AS bytes, total(state <> 'active') AS tombstones FROM secrets",
    )
    .get() as { n: number; bytes: number; tombstones: number };
  const counters: Counters = { activeSecrets: totals.n, storedBytes: totals.bytes, tombstones: totals.tombstones };
  const createPageLimit = maxPageCount - reservePages(maxPageCount);
  const ops = prepareOperations(db, counters, { ...options, ...quotas, createPageLimit, pageSize: PAGE_SIZE }, ring);
  const committer = createGroupCommitter(
    db,
    options.groupCommit,
    {
      snapshot: () => ({ ...counters }),
      restore: (saved) => Object.assign(counters, saved),
    },
    options.observer,
  );
  const ping = db.prepare('SELECT 1').pluck();
  // Set when SQLite reports the disk (or max_page_count) full; cleared once a write shows room again.
  let diskFull = false;
  let closed = false;

  function write<T>(op: WriteOp<T>): Promise<T> {
    return committer.enqueue(op);
  }

  function checkpoint(): void {
    db.pragma('wal_checkpoint(TRUNCATE)');
  }

  function readiness(): Readiness {
    if (closed) return 'storage_unavailable';
    try {
      ping.get();
    } catch {
      options.observer?.dbError('ready');
      return 'storage_unavailable';
    }
    if (diskFull || counters.tombstones >= quotas.maxTombstones || !ops.fileHasRoom(minEnvelopeBytes(false))) return 'storage_full';
    return hasRoom(counters, options) ? 'ready' : 'storage_full';
  }

  return {
    kind: 'sqlite',

    // Reads are synchronous underneath (better-sqlite3); the contract is async for the PostgreSQL store's sake.
    async get(id, now) {
      try {
        const row = ops.get(id);
        if (row === undefined || isPurgeable(row, now, options.tombstoneRetentionMs)) return undefined;
        return toRecord(row, now);
      } catch (error) {
        options.observer?.dbError('get');
        throw error;
      }
    },

    create(secret) {
      return write<CreateResult>({
        name: 'create',
        apply: () => {
          const result = ops.create(secret);
          if (result.kind === 'created') diskFull = false;
          return result;
        },
        recover: (error) => {
          const code = sqliteCode(error);
          if (code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE') return { kind: 'duplicate_id' };
          if (code === 'SQLITE_FULL') {
            diskFull = true;
            options.observer?.dbError('create');
            return { kind: 'storage_full', limit: 'file' };
          }
          return undefined;
        },
      });
    },

    reveal: (id, now) => write({ name: 'reveal', apply: () => ops.reveal(id, now) }),
    revealIfAuthorized: (id, accessVerifier, now) =>
      write({ name: 'reveal', apply: () => ops.revealIfAuthorized(id, accessVerifier, now) }),
    recordWrongPassphrase: (id, now) => write({ name: 'wrong_passphrase', apply: () => ops.recordWrongPassphrase(id, now) }),
    delete: (id, now) => write({ name: 'delete', apply: () => ops.delete(id, now) }),

    sweep(now) {
      return write<SweepResult>({
        name: 'sweep',
        apply: () => {
          const result = ops.sweep(now);
          // Each step of this pragma frees one page and yields a row: db.pragma steps through all of them.
          db.pragma(`incremental_vacuum(${VACUUM_PAGES_PER_SWEEP})`);
          if (result.expired + result.purged > 0) diskFull = false;
          return result;
        },
        afterCommit() {
          // A rotation of the hashing keys, if the sweep made one, is in force from now on.
          ring.keys = loadKeys(db);
          // Erased pages may still sit in the WAL: copy it back and truncate it to zero.
          checkpoint();
        },
      });
    },

    stats: async () => ({ activeSecrets: counters.activeSecrets, storedBytes: counters.storedBytes }),
    ready: async () => readiness(),

    async close() {
      if (closed) return;
      committer.close();
      closed = true;
      try {
        checkpoint();
      } finally {
        db.close();
      }
    },
  };
}
