import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from './schema.js';
import { makeTempDir, newSecret, openTestStore, T0 } from './test-fixtures.js';
import type { Store } from './types.js';

let temp: ReturnType<typeof makeTempDir>;
let path: string;
let store: Store | undefined;

beforeEach(() => {
  temp = makeTempDir();
  path = join(temp.dir, 'nested', 'psst.db');
});

afterEach(async () => {
  await store?.close();
  store = undefined;
  temp.remove();
});

describe('opening', () => {
  it('creates the folder and file, migrates an empty file and sets the pragmas', async () => {
    store = openTestStore(path);
    await store.close();
    store = undefined;
    const db = new Database(path, { readonly: true });
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('auto_vacuum', { simple: true })).toBe(2);
      const columns = (db.pragma('table_info(secrets)') as { name: string }[]).map((c) => c.name);
      expect(columns).toEqual(
        expect.arrayContaining([
          'id',
          'envelope',
          'access_verifier',
          'manage_verifier',
          'kdf_salt',
          'views_left',
          'state',
          'envelope_bytes',
        ]),
      );
      const indexes = (db.pragma('index_list(secrets)') as { name: string }[]).map((i) => i.name);
      expect(indexes).toContain('secrets_expires_at');
    } finally {
      db.close();
    }
  });

  it('checkpoints the WAL every 250 pages, so no COMMIT copies thousands of pages back on the event loop', async () => {
    store = openTestStore(path);
    // 3 000 envelopes of 2 KiB, 32 per transaction: about 6 000 WAL frames in all.
    for (let i = 0; i < 3_000; i += 32) {
      await Promise.all(Array.from({ length: 32 }, () => store?.create(newSecret({ envelope: randomBytes(2_048) }))));
    }
    // The WAL file only grows while no checkpoint has reset it: 250 pages plus one batch of frames, far from
    // the 1 000 pages (4 MiB) that SQLite's default lets pile up.
    const walBytes = statSync(`${path}-wal`).size;
    expect(walBytes).toBeGreaterThan(0);
    expect(walBytes).toBeLessThan(2 * 1024 * 1024);
  });

  it('refuses a file written by a newer schema', async () => {
    store = openTestStore(path);
    await store.close();
    store = undefined;
    const db = new Database(path);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => openTestStore(path)).toThrow(/newer than this relay understands/);
  });
});

// The engine-neutral behaviour is in store.contract.test.ts; what follows is SQLite's own.
describe('the reveal race under group commit', () => {
  it('gives exactly one reveal when each request is its own commit (maxBatch 1)', async () => {
    store = openTestStore(path, { groupCommit: { maxBatch: 1, maxWaitMs: 0 } });
    const secret = newSecret({ views: 1 });
    await store.create(secret);
    const results = await Promise.all(Array.from({ length: 50 }, () => store!.reveal(secret.id, T0 + 1)));
    expect(results.filter((r) => r.kind === 'revealed')).toHaveLength(1);
  });
});
