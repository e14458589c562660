import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_PASSPHRASE_ATTEMPTS } from '@psst/protocol/limits';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from './schema.js';
import { DAY, HOUR, makeTempDir, newSecret, openTestStore, T0 } from './test-fixtures.js';
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

  it('reopens a migrated file without migrating again and keeps its secrets and counters', async () => {
    store = openTestStore(path);
    const kept = newSecret({ views: 2, expiresAt: T0 + DAY });
    const readOut = newSecret();
    expect(await store.create(kept)).toEqual({ kind: 'created' });
    expect(await store.create(readOut)).toEqual({ kind: 'created' });
    expect((await store.reveal(readOut.id, T0 + 1)).kind).toBe('revealed');
    await store.close();

    store = openTestStore(path);
    expect(store.stats()).toEqual({ activeSecrets: 1, storedBytes: kept.envelope.byteLength });
    expect(store.get(kept.id, T0 + 2)).toMatchObject({ state: 'active', viewsLeft: 2 });
    expect(store.get(readOut.id, T0 + 2)).toMatchObject({ state: 'read', readAt: T0 + 1, endedAt: T0 + 1 });
    const revealed = await store.reveal(kept.id, T0 + 3);
    expect(revealed).toMatchObject({ kind: 'revealed', viewsLeft: 1 });
    if (revealed.kind === 'revealed') expect(Buffer.from(revealed.envelope).equals(Buffer.from(kept.envelope))).toBe(true);
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

describe('secrets', () => {
  it('stores everything but the envelope in the record, kdf included', async () => {
    store = openTestStore(path);
    const salt = new Uint8Array(16).fill(7);
    const secret = newSecret({ passphraseVerifier: new Uint8Array(32).fill(1), kdf: { log2n: 17, r: 8, p: 1, salt }, views: 3 });
    await store.create(secret);
    const record = store.get(secret.id, T0);
    expect(record).toEqual({
      id: secret.id,
      state: 'active',
      accessVerifier: Buffer.from(secret.accessVerifier),
      passphraseVerifier: Buffer.from(secret.passphraseVerifier!),
      manageVerifier: Buffer.from(secret.manageVerifier),
      kdf: { log2n: 17, r: 8, p: 1, salt: Buffer.from(salt) },
      viewsLeft: 3,
      failedAttempts: 0,
      createdAt: T0,
      expiresAt: T0 + HOUR,
      readAt: null,
      endedAt: null,
      envelopeBytes: 1_100,
    });
    expect(store.get('AAAAAAAAAAAAAAAAAAAAAA', T0)).toBeUndefined();
  });

  it('answers duplicate_id for an id already taken, even by a tombstone', async () => {
    store = openTestStore(path);
    const first = newSecret();
    await store.create(first);
    await store.delete(first.id, T0);
    expect(await store.create(newSecret({ id: first.id }))).toEqual({ kind: 'duplicate_id' });
    expect(store.stats().activeSecrets).toBe(0);
  });

  it('counts views and erases the envelope with the last one', async () => {
    store = openTestStore(path);
    const secret = newSecret({ views: 2 });
    await store.create(secret);
    expect(await store.reveal(secret.id, T0 + 10)).toMatchObject({ kind: 'revealed', viewsLeft: 1 });
    expect(store.stats()).toEqual({ activeSecrets: 1, storedBytes: 1_100 });
    expect(await store.reveal(secret.id, T0 + 20)).toMatchObject({ kind: 'revealed', viewsLeft: 0 });
    expect(await store.reveal(secret.id, T0 + 30)).toEqual({ kind: 'gone', reason: 'read', at: T0 + 20 });
    expect(store.get(secret.id, T0 + 30)).toMatchObject({ state: 'read', viewsLeft: 0, readAt: T0 + 20, endedAt: T0 + 20 });
    expect(store.stats()).toEqual({ activeSecrets: 0, storedBytes: 0 });
    const db = new Database(path, { readonly: true });
    expect(db.prepare('SELECT envelope FROM secrets WHERE id = ?').pluck().get(secret.id)).toBeNull();
    db.close();
  });

  it('counts wrong passphrases and burns the secret on the fifth', async () => {
    store = openTestStore(path);
    const secret = newSecret({ passphraseVerifier: new Uint8Array(32) });
    await store.create(secret);
    for (let attempt = 1; attempt < MAX_PASSPHRASE_ATTEMPTS; attempt++) {
      expect(await store.recordWrongPassphrase(secret.id, T0 + attempt)).toEqual({
        kind: 'counted',
        attemptsLeft: MAX_PASSPHRASE_ATTEMPTS - attempt,
      });
    }
    expect(store.get(secret.id, T0)).toMatchObject({ state: 'active', failedAttempts: MAX_PASSPHRASE_ATTEMPTS - 1 });
    expect(await store.recordWrongPassphrase(secret.id, T0 + 100)).toEqual({ kind: 'burned', at: T0 + 100 });
    expect(await store.reveal(secret.id, T0 + 101)).toEqual({ kind: 'gone', reason: 'burned', at: T0 + 100 });
    expect(await store.recordWrongPassphrase(secret.id, T0 + 102)).toEqual({ kind: 'gone', reason: 'burned', at: T0 + 100 });
    expect(store.get(secret.id, T0 + 102)).toMatchObject({ state: 'burned', failedAttempts: MAX_PASSPHRASE_ATTEMPTS });
    expect(store.stats().activeSecrets).toBe(0);
  });

  it('deletes: erases the envelope and leaves a deleted tombstone', async () => {
    store = openTestStore(path);
    const secret = newSecret({ views: 5 });
    await store.create(secret);
    expect(await store.delete(secret.id, T0 + 5)).toEqual({ kind: 'deleted' });
    expect(await store.delete(secret.id, T0 + 6)).toEqual({ kind: 'gone', reason: 'deleted', at: T0 + 5 });
    expect(await store.reveal(secret.id, T0 + 7)).toEqual({ kind: 'gone', reason: 'deleted', at: T0 + 5 });
    expect(store.get(secret.id, T0 + 7)).toMatchObject({ state: 'deleted', viewsLeft: 5, endedAt: T0 + 5 });
    expect(await store.delete('AAAAAAAAAAAAAAAAAAAAAA', T0)).toEqual({ kind: 'not_found' });
    expect(store.stats()).toEqual({ activeSecrets: 0, storedBytes: 0 });
  });
});

describe('expiry and tombstones', () => {
  it('treats a secret as expired from expiresAt on, before any sweep', async () => {
    store = openTestStore(path);
    const secret = newSecret({ expiresAt: T0 + HOUR });
    await store.create(secret);
    expect(store.get(secret.id, T0 + HOUR - 1)).toMatchObject({ state: 'active', endedAt: null });
    expect(store.get(secret.id, T0 + HOUR)).toMatchObject({ state: 'expired', endedAt: T0 + HOUR });
    expect(await store.reveal(secret.id, T0 + HOUR + 5)).toEqual({ kind: 'gone', reason: 'expired', at: T0 + HOUR });
    expect(await store.recordWrongPassphrase(secret.id, T0 + HOUR + 6)).toEqual({ kind: 'gone', reason: 'expired', at: T0 + HOUR });
    expect(await store.delete(secret.id, T0 + HOUR + 7)).toEqual({ kind: 'gone', reason: 'expired', at: T0 + HOUR });
    expect(store.get(secret.id, T0 + HOUR + 7)).toMatchObject({ state: 'expired', failedAttempts: 0, viewsLeft: 1 });
    // The sweeper erases it and counts it, whatever was tried in between.
    expect(store.stats()).toEqual({ activeSecrets: 1, storedBytes: 1_100 });
    expect(await store.sweep(T0 + HOUR + 8)).toEqual({ expired: 1, purged: 0 });
    expect(store.stats()).toEqual({ activeSecrets: 0, storedBytes: 0 });
  });

  it('sweeps due secrets, then purges tombstones once the retention has passed', async () => {
    store = openTestStore(path, { tombstoneRetentionMs: DAY });
    const early = newSecret({ expiresAt: T0 + HOUR });
    const late = newSecret({ expiresAt: T0 + 2 * HOUR });
    const read = newSecret({ expiresAt: T0 + HOUR });
    for (const s of [early, late, read]) await store.create(s);
    await store.reveal(read.id, T0 + 1);

    expect(await store.sweep(T0 + HOUR)).toEqual({ expired: 1, purged: 0 });
    expect(store.stats()).toEqual({ activeSecrets: 1, storedBytes: 1_100 });
    expect(store.get(early.id, T0 + HOUR)).toMatchObject({ state: 'expired', endedAt: T0 + HOUR });
    expect(store.get(late.id, T0 + HOUR)).toMatchObject({ state: 'active' });

    // Past the retention a tombstone reads as unknown even before it is purged.
    expect(store.get(early.id, T0 + HOUR + DAY)).toBeUndefined();
    expect(await store.reveal(read.id, T0 + HOUR + DAY)).toEqual({ kind: 'not_found' });
    expect(await store.sweep(T0 + HOUR + DAY)).toEqual({ expired: 1, purged: 2 });
    expect(await store.sweep(T0 + 2 * HOUR + DAY)).toEqual({ expired: 0, purged: 1 });
    const db = new Database(path, { readonly: true });
    expect(db.prepare('SELECT count(*) FROM secrets').pluck().get()).toBe(0);
    db.close();
  });

  it('keeps unexpired secrets across a restart and expires the rest', async () => {
    store = openTestStore(path);
    const short = newSecret({ expiresAt: T0 + HOUR });
    const long = newSecret({ expiresAt: T0 + 5 * HOUR });
    await store.create(short);
    await store.create(long);
    await store.close();
    store = openTestStore(path);
    const now = T0 + 2 * HOUR;
    expect(store.get(short.id, now)?.state).toBe('expired');
    expect(store.get(long.id, now)?.state).toBe('active');
    expect(await store.sweep(now)).toEqual({ expired: 1, purged: 0 });
    expect(await store.reveal(long.id, now)).toMatchObject({ kind: 'revealed', viewsLeft: 0 });
  });
});

describe('the reveal race', () => {
  for (const views of [1, 3]) {
    it(`gives exactly ${views} of 50 concurrent reveals of a views=${views} secret`, async () => {
      store = openTestStore(path);
      const secret = newSecret({ views });
      await store.create(secret);
      const results = await Promise.all(Array.from({ length: 50 }, () => store!.reveal(secret.id, T0 + 1)));
      expect(results.filter((r) => r.kind === 'revealed')).toHaveLength(views);
      expect(results.filter((r) => r.kind === 'gone')).toHaveLength(50 - views);
      expect(store.get(secret.id, T0 + 1)).toMatchObject({ state: 'read', viewsLeft: 0 });
    });
  }

  it('gives exactly one reveal when each request is its own commit (maxBatch 1)', async () => {
    store = openTestStore(path, { groupCommit: { maxBatch: 1, maxWaitMs: 0 } });
    const secret = newSecret({ views: 1 });
    await store.create(secret);
    const results = await Promise.all(Array.from({ length: 50 }, () => store!.reveal(secret.id, T0 + 1)));
    expect(results.filter((r) => r.kind === 'revealed')).toHaveLength(1);
  });
});
