// SQLite's own quota cases: creates of one group commit see each other in order, and a full disk
// (max_page_count) answers storage_full without losing or corrupting anything. The quotas every store
// shares are in store.contract.test.ts.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HOUR, makeTempDir, newSecret, openTestStore, recordingObserver, T0 } from './test-fixtures.js';
import type { Store } from './types.js';

let temp: ReturnType<typeof makeTempDir>;
let path: string;
let store: Store | undefined;

beforeEach(() => {
  temp = makeTempDir();
  path = join(temp.dir, 'psst.db');
});

afterEach(async () => {
  await store?.close();
  store = undefined;
  temp.remove();
});

function countActiveRows(): { n: number; bytes: number } {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare("SELECT count(*) AS n, total(envelope_bytes) AS bytes FROM secrets WHERE state = 'active'").get() as {
      n: number;
      bytes: number;
    };
  } finally {
    db.close();
  }
}

describe('quotas', () => {
  it('sees every create of a batch in order: the one over the quota fails, the ones before it succeed', async () => {
    const observer = recordingObserver();
    store = openTestStore(path, { maxActiveSecrets: 5, observer });
    const results = await Promise.all(Array.from({ length: 8 }, () => store!.create(newSecret())));
    expect(results.map((r) => r.kind)).toEqual([...Array(5).fill('created'), ...Array(3).fill('storage_full')]);
    expect(observer.batchSizes()).toEqual([8]);
    expect(countActiveRows()).toEqual({ n: 5, bytes: 5 * 1_100 });
  });

  it('answers storage_full short of max_page_count, keeps reading, and stays intact', async () => {
    // 4 KiB pages: the file may not pass 96 pages (384 KiB); creates stop 24 pages short (the reserve).
    store = openTestStore(path, { maxPageCount: 96 });
    const created: string[] = [];
    let full = 0;
    for (let round = 0; round < 20 && full === 0; round++) {
      const batch = Array.from({ length: 8 }, () => newSecret({ envelope: randomBytes(8_000), expiresAt: T0 + HOUR }));
      const results = await Promise.all(batch.map((s) => store!.create(s)));
      results.forEach((result, index) => {
        if (result.kind === 'created') created.push(batch[index]!.id);
        else if (result.kind === 'storage_full' && result.limit === 'file') full++;
        else throw new Error(`unexpected ${result.kind}`);
      });
    }
    expect(full).toBeGreaterThan(0);
    expect(created.length).toBeGreaterThan(2);
    expect(await store.ready()).toBe('storage_full');
    // The counters match the rows: the failed creates left nothing behind.
    expect(await store.stats()).toEqual({ activeSecrets: created.length, storedBytes: created.length * 8_000 });
    expect(countActiveRows()).toEqual({ n: created.length, bytes: created.length * 8_000 });
    // Reads and reveals keep working on a full file.
    expect((await store.get(created[0]!, T0 + 1))?.state).toBe('active');
    expect((await store.reveal(created[0]!, T0 + 1)).kind).toBe('revealed');
    expect(await store.delete(created[1]!, T0 + 1)).toEqual({ kind: 'deleted' });

    // A sweep that frees space lets creation resume.
    expect((await store.sweep(T0 + HOUR)).expired).toBe(created.length - 2);
    expect(await store.create(newSecret({ envelope: randomBytes(8_000), createdAt: T0 + HOUR, expiresAt: T0 + 2 * HOUR }))).toEqual({
      kind: 'created',
    });
    expect(await store.ready()).toBe('ready');
    await store.close();
    store = undefined;
    const db = new Database(path, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });
});
