// Quotas: active secrets, stored bytes, and a full disk (max_page_count) all
// answer storage_full without losing or corrupting anything.
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
  it('refuses the secret over maxActiveSecrets and accepts again once a sweep expires some', async () => {
    store = openTestStore(path, { maxActiveSecrets: 3 });
    for (let i = 0; i < 3; i++) expect(await store.create(newSecret({ expiresAt: T0 + HOUR }))).toEqual({ kind: 'created' });
    expect(store.ready()).toBe(false);
    expect(await store.create(newSecret())).toEqual({ kind: 'storage_full' });
    // Expired but not yet swept still occupies the quota.
    expect(await store.create(newSecret({ createdAt: T0 + HOUR }))).toEqual({ kind: 'storage_full' });
    expect(await store.sweep(T0 + HOUR)).toEqual({ expired: 3, purged: 0 });
    expect(store.ready()).toBe(true);
    expect(await store.create(newSecret({ createdAt: T0 + HOUR, expiresAt: T0 + 2 * HOUR }))).toEqual({ kind: 'created' });
    expect(store.stats()).toEqual({ activeSecrets: 1, storedBytes: 1_100 });
  });

  it('refuses an envelope that would pass maxStoreBytes, and frees the bytes of a read secret at once', async () => {
    store = openTestStore(path, { maxStoreBytes: 10_000 });
    const big = newSecret({ envelope: randomBytes(6_000) });
    expect(await store.create(big)).toEqual({ kind: 'created' });
    expect(await store.create(newSecret({ envelope: randomBytes(4_001) }))).toEqual({ kind: 'storage_full' });
    expect(await store.create(newSecret({ envelope: randomBytes(4_000) }))).toEqual({ kind: 'created' });
    expect(store.stats()).toEqual({ activeSecrets: 2, storedBytes: 10_000 });
    expect(store.ready()).toBe(false);
    await store.reveal(big.id, T0 + 1);
    expect(store.stats()).toEqual({ activeSecrets: 1, storedBytes: 4_000 });
    expect(await store.create(newSecret({ envelope: randomBytes(6_000) }))).toEqual({ kind: 'created' });
  });

  it('sees every create of a batch in order: the one over the quota fails, the ones before it succeed', async () => {
    const observer = recordingObserver();
    store = openTestStore(path, { maxActiveSecrets: 5, observer });
    const results = await Promise.all(Array.from({ length: 8 }, () => store!.create(newSecret())));
    expect(results.map((r) => r.kind)).toEqual([...Array(5).fill('created'), ...Array(3).fill('storage_full')]);
    expect(observer.batchSizes()).toEqual([8]);
    expect(countActiveRows()).toEqual({ n: 5, bytes: 5 * 1_100 });
  });

  it('answers storage_full when the file hits max_page_count, keeps reading, and stays intact', async () => {
    const observer = recordingObserver();
    // 4 KiB pages: the file may not pass 96 pages (384 KiB).
    store = openTestStore(path, { maxPageCount: 96, observer });
    const created: string[] = [];
    let full = 0;
    for (let round = 0; round < 20 && full === 0; round++) {
      const batch = Array.from({ length: 8 }, () => newSecret({ envelope: randomBytes(8_000), expiresAt: T0 + HOUR }));
      const results = await Promise.all(batch.map((s) => store!.create(s)));
      results.forEach((result, index) => {
        if (result.kind === 'created') created.push(batch[index]!.id);
        else if (result.kind === 'storage_full') full++;
        else throw new Error(`unexpected ${result.kind}`);
      });
    }
    expect(full).toBeGreaterThan(0);
    expect(created.length).toBeGreaterThan(10);
    expect(store.ready()).toBe(false);
    expect(observer.events).toContainEqual({ type: 'dbError', value: 'create' });
    // The counters match the rows: the failed creates left nothing behind.
    expect(store.stats()).toEqual({ activeSecrets: created.length, storedBytes: created.length * 8_000 });
    expect(countActiveRows()).toEqual({ n: created.length, bytes: created.length * 8_000 });
    // Reads and reveals keep working on a full file.
    expect(store.get(created[0]!, T0 + 1)?.state).toBe('active');
    expect((await store.reveal(created[0]!, T0 + 1)).kind).toBe('revealed');
    expect(await store.delete(created[1]!, T0 + 1)).toEqual({ kind: 'deleted' });

    // A sweep that frees space lets creation resume.
    expect((await store.sweep(T0 + HOUR)).expired).toBe(created.length - 2);
    expect(await store.create(newSecret({ envelope: randomBytes(8_000), createdAt: T0 + HOUR, expiresAt: T0 + 2 * HOUR }))).toEqual({
      kind: 'created',
    });
    expect(store.ready()).toBe(true);
    await store.close();
    store = undefined;
    const db = new Database(path, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });
});
