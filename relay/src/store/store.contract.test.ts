// The Store contract (./types.ts), held to the same behaviour on every store:
// a real SQLite file and a real PostgreSQL database. What only one store has
// (SQLite's pragmas and group commit, PostgreSQL's several relays) is tested
// beside it, in sqlite-store.test.ts and postgres-store.test.ts.
import { randomBytes } from 'node:crypto';
import { MAX_PASSPHRASE_ATTEMPTS } from '@psst/protocol/limits';
import { describe, expect, it } from 'vitest';
import { DAY, HOUR, newSecret, STORE_KINDS, T0, useStoreFixture } from './test-fixtures.js';

describe.each(STORE_KINDS)('the store contract (%s)', (kind) => {
  const db = useStoreFixture(kind);
  const envelopeOf = async (id: string) =>
    (await db.current.query<{ envelope: Uint8Array | null }>('SELECT envelope FROM secrets WHERE id = ?', [id]))[0]?.envelope;
  const countActiveRows = async () => {
    const rows = await db.current.query<{ n: number | string; bytes: number | string | null }>(
      "SELECT count(*) AS n, sum(envelope_bytes) AS bytes FROM secrets WHERE state = 'active'",
    );
    return { n: Number(rows[0]?.n ?? 0), bytes: Number(rows[0]?.bytes ?? 0) };
  };

  describe('opening', () => {
    it('reopens a migrated database without migrating again and keeps its secrets and totals', async () => {
      let store = await db.current.open();
      const kept = newSecret({ views: 2, expiresAt: T0 + DAY });
      const readOut = newSecret();
      expect(await store.create(kept)).toEqual({ kind: 'created' });
      expect(await store.create(readOut)).toEqual({ kind: 'created' });
      expect((await store.reveal(readOut.id, T0 + 1)).kind).toBe('revealed');
      await store.close();

      store = await db.current.open();
      expect(await store.stats()).toEqual({ activeSecrets: 1, storedBytes: kept.envelope.byteLength });
      expect(await store.get(kept.id, T0 + 2)).toMatchObject({ state: 'active', viewsLeft: 2 });
      expect(await store.get(readOut.id, T0 + 2)).toMatchObject({ state: 'read', readAt: T0 + 1, endedAt: T0 + 1 });
      const revealed = await store.reveal(kept.id, T0 + 3);
      expect(revealed).toMatchObject({ kind: 'revealed', viewsLeft: 1 });
      if (revealed.kind === 'revealed') expect(Buffer.from(revealed.envelope).equals(Buffer.from(kept.envelope))).toBe(true);
    });
  });

  describe('secrets', () => {
    it('stores everything but the envelope in the record, kdf included', async () => {
      const store = await db.current.open();
      const salt = new Uint8Array(16).fill(7);
      const secret = newSecret({ passphraseVerifier: new Uint8Array(32).fill(1), kdf: { log2n: 17, r: 8, p: 1, salt }, views: 3 });
      await store.create(secret);
      expect(await store.get(secret.id, T0)).toEqual({
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
      expect(await store.get('AAAAAAAAAAAAAAAAAAAAAA', T0)).toBeUndefined();
      expect(await store.ready()).toBe('ready');
    });

    it('answers duplicate_id for an id already taken, even by a tombstone', async () => {
      const store = await db.current.open();
      const first = newSecret();
      await store.create(first);
      await store.delete(first.id, T0);
      expect(await store.create(newSecret({ id: first.id }))).toEqual({ kind: 'duplicate_id' });
      expect((await store.stats()).activeSecrets).toBe(0);
    });

    it('counts views and erases the envelope with the last one', async () => {
      const store = await db.current.open();
      const secret = newSecret({ views: 2 });
      await store.create(secret);
      const first = await store.reveal(secret.id, T0 + 10);
      expect(first).toMatchObject({ kind: 'revealed', viewsLeft: 1 });
      expect(await store.stats()).toEqual({ activeSecrets: 1, storedBytes: 1_100 });
      const last = await store.reveal(secret.id, T0 + 20);
      expect(last).toMatchObject({ kind: 'revealed', viewsLeft: 0 });
      // The last viewer gets the envelope itself, not the erased column.
      for (const result of [first, last]) {
        expect(result.kind === 'revealed' && Buffer.from(result.envelope).equals(Buffer.from(secret.envelope))).toBe(true);
      }
      expect(await store.reveal(secret.id, T0 + 30)).toEqual({ kind: 'gone', reason: 'read', at: T0 + 20 });
      expect(await store.get(secret.id, T0 + 30)).toMatchObject({ state: 'read', viewsLeft: 0, readAt: T0 + 20, endedAt: T0 + 20 });
      expect(await store.stats()).toEqual({ activeSecrets: 0, storedBytes: 0 });
      expect(await envelopeOf(secret.id)).toBeNull();
    });

    it('reveals in one step only with the right access verifier and without a passphrase, changing nothing otherwise', async () => {
      const store = await db.current.open();
      const plain = newSecret({ views: 2, createdAt: T0 - 5 });
      const guarded = newSecret({ passphraseVerifier: randomBytes(32) });
      const expiring = newSecret({ expiresAt: T0 + HOUR });
      for (const s of [plain, guarded, expiring]) await store.create(s);
      const noMatch = { kind: 'no_match' };
      expect(await store.revealIfAuthorized(plain.id, randomBytes(32), T0 + 1)).toEqual(noMatch);
      expect(await store.revealIfAuthorized(guarded.id, guarded.accessVerifier, T0 + 1)).toEqual(noMatch);
      expect(await store.revealIfAuthorized(expiring.id, expiring.accessVerifier, T0 + HOUR)).toEqual(noMatch);
      expect(await store.revealIfAuthorized('AAAAAAAAAAAAAAAAAAAAAA', plain.accessVerifier, T0 + 1)).toEqual(noMatch);
      for (const s of [plain, guarded, expiring]) expect(await store.get(s.id, T0 + 1)).toMatchObject({ viewsLeft: s.views, readAt: null });

      const first = await store.revealIfAuthorized(plain.id, plain.accessVerifier, T0 + 10);
      expect(first).toMatchObject({ kind: 'revealed', viewsLeft: 1, createdAt: T0 - 5 });
      expect(first.kind === 'revealed' && Buffer.from(first.envelope).equals(Buffer.from(plain.envelope))).toBe(true);
      const last = await store.revealIfAuthorized(plain.id, plain.accessVerifier, T0 + 20);
      expect(last.kind === 'revealed' && Buffer.from(last.envelope).equals(Buffer.from(plain.envelope))).toBe(true);
      expect(await store.revealIfAuthorized(plain.id, plain.accessVerifier, T0 + 30)).toEqual(noMatch);
      expect(await store.get(plain.id, T0 + 30)).toMatchObject({ state: 'read', viewsLeft: 0, readAt: T0 + 20 });
      expect(await envelopeOf(plain.id)).toBeNull();
      expect(await store.stats()).toEqual({ activeSecrets: 2, storedBytes: 2_200 });
    });

    it('counts wrong passphrases and burns the secret on the fifth', async () => {
      const store = await db.current.open();
      const secret = newSecret({ passphraseVerifier: new Uint8Array(32) });
      await store.create(secret);
      for (let attempt = 1; attempt < MAX_PASSPHRASE_ATTEMPTS; attempt++) {
        expect(await store.recordWrongPassphrase(secret.id, T0 + attempt)).toEqual({
          kind: 'counted',
          attemptsLeft: MAX_PASSPHRASE_ATTEMPTS - attempt,
        });
      }
      expect(await store.get(secret.id, T0)).toMatchObject({ state: 'active', failedAttempts: MAX_PASSPHRASE_ATTEMPTS - 1 });
      expect(await store.recordWrongPassphrase(secret.id, T0 + 100)).toEqual({ kind: 'burned', at: T0 + 100 });
      expect(await store.reveal(secret.id, T0 + 101)).toEqual({ kind: 'gone', reason: 'burned', at: T0 + 100 });
      expect(await store.recordWrongPassphrase(secret.id, T0 + 102)).toEqual({ kind: 'gone', reason: 'burned', at: T0 + 100 });
      expect(await store.get(secret.id, T0 + 102)).toMatchObject({ state: 'burned', failedAttempts: MAX_PASSPHRASE_ATTEMPTS });
      expect((await store.stats()).activeSecrets).toBe(0);
      expect(await envelopeOf(secret.id)).toBeNull();
    });

    it('burns at exactly the fifth of many concurrent wrong passphrases', async () => {
      const store = await db.current.open();
      const secret = newSecret({ passphraseVerifier: new Uint8Array(32) });
      await store.create(secret);
      const results = await Promise.all(Array.from({ length: 20 }, () => store.recordWrongPassphrase(secret.id, T0 + 1)));
      expect(results.filter((r) => r.kind === 'counted')).toHaveLength(MAX_PASSPHRASE_ATTEMPTS - 1);
      expect(results.filter((r) => r.kind === 'burned')).toHaveLength(1);
      expect(results.filter((r) => r.kind === 'gone')).toHaveLength(20 - MAX_PASSPHRASE_ATTEMPTS);
      expect(await store.get(secret.id, T0 + 1)).toMatchObject({ state: 'burned', failedAttempts: MAX_PASSPHRASE_ATTEMPTS });
    });

    it('deletes: erases the envelope and leaves a deleted tombstone', async () => {
      const store = await db.current.open();
      const secret = newSecret({ views: 5 });
      await store.create(secret);
      expect(await store.delete(secret.id, T0 + 5)).toEqual({ kind: 'deleted' });
      expect(await store.delete(secret.id, T0 + 6)).toEqual({ kind: 'gone', reason: 'deleted', at: T0 + 5 });
      expect(await store.reveal(secret.id, T0 + 7)).toEqual({ kind: 'gone', reason: 'deleted', at: T0 + 5 });
      expect(await store.get(secret.id, T0 + 7)).toMatchObject({ state: 'deleted', viewsLeft: 5, endedAt: T0 + 5 });
      expect(await store.delete('AAAAAAAAAAAAAAAAAAAAAA', T0)).toEqual({ kind: 'not_found' });
      expect(await store.stats()).toEqual({ activeSecrets: 0, storedBytes: 0 });
      expect(await envelopeOf(secret.id)).toBeNull();
    });
  });

  describe('expiry and tombstones', () => {
    it('treats a secret as expired from expiresAt on, before any sweep', async () => {
      const store = await db.current.open();
      const secret = newSecret({ expiresAt: T0 + HOUR });
      await store.create(secret);
      expect(await store.get(secret.id, T0 + HOUR - 1)).toMatchObject({ state: 'active', endedAt: null });
      expect(await store.get(secret.id, T0 + HOUR)).toMatchObject({ state: 'expired', endedAt: T0 + HOUR });
      expect(await store.reveal(secret.id, T0 + HOUR + 5)).toEqual({ kind: 'gone', reason: 'expired', at: T0 + HOUR });
      expect(await store.recordWrongPassphrase(secret.id, T0 + HOUR + 6)).toEqual({ kind: 'gone', reason: 'expired', at: T0 + HOUR });
      expect(await store.delete(secret.id, T0 + HOUR + 7)).toEqual({ kind: 'gone', reason: 'expired', at: T0 + HOUR });
      expect(await store.get(secret.id, T0 + HOUR + 7)).toMatchObject({ state: 'expired', failedAttempts: 0, viewsLeft: 1 });
      // The sweeper erases it and counts it, whatever was tried in between.
      expect(await store.stats()).toEqual({ activeSecrets: 1, storedBytes: 1_100 });
      expect(await store.sweep(T0 + HOUR + 8)).toEqual({ expired: 1, purged: 0 });
      expect(await store.stats()).toEqual({ activeSecrets: 0, storedBytes: 0 });
      expect(await envelopeOf(secret.id)).toBeNull();
    });

    it('sweeps due secrets, then purges tombstones once the retention has passed', async () => {
      const store = await db.current.open({ tombstoneRetentionMs: DAY });
      const early = newSecret({ expiresAt: T0 + HOUR });
      const late = newSecret({ expiresAt: T0 + 2 * HOUR });
      const read = newSecret({ expiresAt: T0 + HOUR });
      for (const s of [early, late, read]) await store.create(s);
      await store.reveal(read.id, T0 + 1);

      expect(await store.sweep(T0 + HOUR)).toEqual({ expired: 1, purged: 0 });
      expect(await store.stats()).toEqual({ activeSecrets: 1, storedBytes: 1_100 });
      expect(await store.get(early.id, T0 + HOUR)).toMatchObject({ state: 'expired', endedAt: T0 + HOUR });
      expect(await store.get(late.id, T0 + HOUR)).toMatchObject({ state: 'active' });

      // Past the retention a tombstone reads as unknown even before it is purged.
      expect(await store.get(early.id, T0 + HOUR + DAY)).toBeUndefined();
      expect(await store.reveal(read.id, T0 + HOUR + DAY)).toEqual({ kind: 'not_found' });
      expect(await store.sweep(T0 + HOUR + DAY)).toEqual({ expired: 1, purged: 2 });
      expect(await store.sweep(T0 + 2 * HOUR + DAY)).toEqual({ expired: 0, purged: 1 });
      expect(await countActiveRows()).toEqual({ n: 0, bytes: 0 });
      expect(await db.current.query('SELECT id FROM secrets')).toEqual([]);
    });

    it('keeps unexpired secrets across a restart and expires the rest', async () => {
      let store = await db.current.open();
      const short = newSecret({ expiresAt: T0 + HOUR });
      const long = newSecret({ expiresAt: T0 + 5 * HOUR });
      await store.create(short);
      await store.create(long);
      await store.close();
      store = await db.current.open();
      const now = T0 + 2 * HOUR;
      expect((await store.get(short.id, now))?.state).toBe('expired');
      expect((await store.get(long.id, now))?.state).toBe('active');
      expect(await store.sweep(now)).toEqual({ expired: 1, purged: 0 });
      expect(await store.reveal(long.id, now)).toMatchObject({ kind: 'revealed', viewsLeft: 0 });
    });
  });

  describe('the reveal race', () => {
    for (const views of [1, 3]) {
      it(`gives exactly ${views} of 50 concurrent reveals of a views=${views} secret`, async () => {
        const store = await db.current.open();
        const secret = newSecret({ views });
        await store.create(secret);
        // Half through the one-step reveal, half through the usual one: together never more than `views`.
        const results = await Promise.all(
          Array.from({ length: 50 }, (_, i) =>
            i % 2 ? store.reveal(secret.id, T0 + 1) : store.revealIfAuthorized(secret.id, secret.accessVerifier, T0 + 1),
          ),
        );
        const revealed = results.filter((r) => r.kind === 'revealed');
        expect(revealed).toHaveLength(views);
        expect(revealed.map((r) => r.viewsLeft).sort()).toEqual(Array.from({ length: views }, (_, i) => i));
        for (const r of revealed) expect(Buffer.from(r.envelope).equals(Buffer.from(secret.envelope))).toBe(true);
        expect(results.filter((r) => r.kind === 'gone' || r.kind === 'no_match')).toHaveLength(50 - views);
        expect(await store.get(secret.id, T0 + 1)).toMatchObject({ state: 'read', viewsLeft: 0 });
      });
    }
  });

  describe('quotas', () => {
    it('refuses the secret over maxActiveSecrets and accepts again once a sweep expires some', async () => {
      const store = await db.current.open({ maxActiveSecrets: 3 });
      for (let i = 0; i < 3; i++) expect(await store.create(newSecret({ expiresAt: T0 + HOUR }))).toEqual({ kind: 'created' });
      expect(await store.ready()).toBe('storage_full');
      expect(await store.create(newSecret())).toEqual({ kind: 'storage_full', limit: 'secrets' });
      // Expired but not yet swept still occupies the quota.
      expect(await store.create(newSecret({ createdAt: T0 + HOUR }))).toEqual({ kind: 'storage_full', limit: 'secrets' });
      expect(await store.sweep(T0 + HOUR)).toEqual({ expired: 3, purged: 0 });
      expect(await store.ready()).toBe('ready');
      expect(await store.create(newSecret({ createdAt: T0 + HOUR, expiresAt: T0 + 2 * HOUR }))).toEqual({ kind: 'created' });
      expect(await store.stats()).toEqual({ activeSecrets: 1, storedBytes: 1_100 });
    });

    it('refuses an envelope that would pass maxStoreBytes, and frees the bytes of a read secret at once', async () => {
      const store = await db.current.open({ maxStoreBytes: 10_000 });
      const big = newSecret({ envelope: randomBytes(6_000) });
      expect(await store.create(big)).toEqual({ kind: 'created' });
      expect(await store.create(newSecret({ envelope: randomBytes(4_001) }))).toEqual({ kind: 'storage_full', limit: 'bytes' });
      expect(await store.create(newSecret({ envelope: randomBytes(4_000) }))).toEqual({ kind: 'created' });
      expect(await store.stats()).toEqual({ activeSecrets: 2, storedBytes: 10_000 });
      expect(await store.ready()).toBe('storage_full');
      await store.reveal(big.id, T0 + 1);
      expect(await store.stats()).toEqual({ activeSecrets: 1, storedBytes: 4_000 });
      expect(await store.create(newSecret({ envelope: randomBytes(6_000) }))).toEqual({ kind: 'created' });
    });

    it('never passes the quota under a burst of concurrent creates, and the totals match the rows', async () => {
      const store = await db.current.open({ maxActiveSecrets: 5 });
      const results = await Promise.all(Array.from({ length: 40 }, () => store.create(newSecret())));
      expect(results.filter((r) => r.kind === 'created')).toHaveLength(5);
      expect(results.filter((r) => r.kind === 'storage_full')).toHaveLength(35);
      expect(await countActiveRows()).toEqual({ n: 5, bytes: 5 * 1_100 });
      expect(await store.stats()).toEqual({ activeSecrets: 5, storedBytes: 5 * 1_100 });
    });

    it('keeps the totals equal to the rows through every way a secret ends', async () => {
      const store = await db.current.open();
      const secrets = Array.from({ length: 12 }, (_, i) =>
        newSecret({ views: 1 + (i % 3), expiresAt: T0 + (i % 2 ? HOUR : DAY), passphraseVerifier: randomBytes(32) }),
      );
      for (const s of secrets) await store.create(s);
      await Promise.all([
        ...secrets.slice(0, 4).flatMap((s) => [store.reveal(s.id, T0 + 1), store.reveal(s.id, T0 + 1)]),
        ...secrets.slice(4, 6).map((s) => store.delete(s.id, T0 + 2)),
        ...secrets
          .slice(6, 8)
          .flatMap((s) => Array.from({ length: MAX_PASSPHRASE_ATTEMPTS }, () => store.recordWrongPassphrase(s.id, T0 + 3))),
      ]);
      await store.sweep(T0 + HOUR);
      const rows = await countActiveRows();
      expect(await store.stats()).toEqual({ activeSecrets: rows.n, storedBytes: rows.bytes });
      expect(rows.n).toBeGreaterThan(0);
    });
  });
  describe('per-client quotas and the tombstone bound', () => {
    const quotas = { clientMaxSecrets: 3, clientMaxBytes: 0, networkMaxSecrets: 5, networkMaxBytes: 0, keyRotationMs: 8 * DAY };
    const from = (client: string, network: string, overrides: Parameters<typeof newSecret>[0] = {}) =>
      newSecret({ client: { client, network }, ...overrides });

    it('refuses a client past its secrets, then its network, while others create; counts keep tombstones until purged', async () => {
      const store = await db.current.open({ clientQuotas: quotas });
      for (let i = 0; i < 3; i++) expect(await store.create(from('a', 'net:n'))).toEqual({ kind: 'created' });
      expect(await store.create(from('a', 'net:n'))).toEqual({ kind: 'quota_exceeded', scope: 'client', limit: 'secrets' });
      expect(await store.create(from('b', 'net:n'))).toEqual({ kind: 'created' });
      expect(await store.create(from('c', 'net:n'))).toEqual({ kind: 'created' });
      expect(await store.create(from('d', 'net:n'))).toEqual({ kind: 'quota_exceeded', scope: 'network', limit: 'secrets' });
      expect(await store.create(from('d', 'net:other'))).toEqual({ kind: 'created' });
      expect(await store.create(newSecret())).toEqual({ kind: 'created' });
      // Deleting frees nothing of the count: the tombstone stays until it is purged.
      const victim = from('client-e-2001:db8:e::/64', 'net:e', { expiresAt: T0 + HOUR });
      expect(await store.create(victim)).toEqual({ kind: 'created' });
      const rows = await db.current.query<{ client_hash: Uint8Array | null }>('SELECT client_hash FROM secrets WHERE id = ?', [victim.id]);
      // Only the keyed hash is stored, never the client's key.
      expect(rows[0]?.client_hash).toHaveLength(16);
      expect(Buffer.from(rows[0]?.client_hash ?? []).toString('latin1')).not.toContain('client-e');
      // Everything created at T0 expires at T0 + HOUR and is purged a day later: the quotas are free again.
      expect((await store.sweep(T0 + HOUR + DAY)).purged).toBe(8);
      for (let i = 0; i < 3; i++)
        expect((await store.create(from('a', 'net:n', { createdAt: T0 + 2 * DAY, expiresAt: T0 + 3 * DAY }))).kind).toBe('created');
      const usage = await db.current.query<{ secrets: number | string }>('SELECT secrets FROM client_usage');
      expect(usage.map((row) => Number(row.secrets)).sort()).toEqual([3, 3]);
    });

    it('counts bytes of active secrets only: a read or deleted secret gives its bytes back to its client at once', async () => {
      const store = await db.current.open({
        clientQuotas: { ...quotas, clientMaxSecrets: 0, clientMaxBytes: 3_000, networkMaxSecrets: 0 },
      });
      const first = from('a', 'net:n');
      expect(await store.create(first)).toEqual({ kind: 'created' });
      expect(await store.create(from('a', 'net:n'))).toEqual({ kind: 'created' });
      expect(await store.create(from('a', 'net:n'))).toEqual({ kind: 'quota_exceeded', scope: 'client', limit: 'bytes' });
      expect((await store.reveal(first.id, T0 + 1)).kind).toBe('revealed');
      expect(await store.create(from('a', 'net:n'))).toEqual({ kind: 'created' });
    });

    it('refuses creates past maxTombstones (never a reveal, delete or sweep), and takes them again once purged', async () => {
      const store = await db.current.open({ maxTombstones: 4 });
      const secrets = Array.from({ length: 6 }, () => newSecret({ views: 1 }));
      for (const s of secrets) expect(await store.create(s)).toEqual({ kind: 'created' });
      for (const s of secrets.slice(0, 4)) expect(await store.delete(s.id, T0 + 1)).toEqual({ kind: 'deleted' });
      expect(await store.create(newSecret())).toEqual({ kind: 'storage_full', limit: 'tombstones' });
      expect(await store.ready()).toBe('storage_full');
      // Past the bound, reading, deleting and sweeping still work: each one adds a tombstone.
      expect((await store.reveal(secrets[4]!.id, T0 + 2)).kind).toBe('revealed');
      expect(await store.delete(secrets[5]!.id, T0 + 2)).toEqual({ kind: 'deleted' });
      expect(await store.sweep(T0 + HOUR + DAY)).toEqual({ expired: 0, purged: 6 });
      expect(await store.ready()).toBe('ready');
      expect(await store.create(newSecret({ createdAt: T0 + 2 * DAY, expiresAt: T0 + 3 * DAY }))).toEqual({ kind: 'created' });
    });

    it('keeps the usage of each client equal to its rows under concurrent creates, reveals, deletes and sweeps', async () => {
      const store = await db.current.open({ clientQuotas: { ...quotas, clientMaxSecrets: 10_000, networkMaxSecrets: 10_000 } });
      const secrets = Array.from({ length: 120 }, (_, i) => from(`c${i % 3}`, `net:${i % 2}`, { expiresAt: T0 + (i % 4 ? DAY : HOUR) }));
      await Promise.all(secrets.slice(0, 60).map((s) => store.create(s)));
      const [created] = await Promise.all([
        Promise.all(secrets.slice(60).map((s) => store.create(s))),
        ...secrets.slice(0, 20).map((s) => store.reveal(s.id, T0 + 1)),
        ...secrets.slice(20, 40).map((s) => store.delete(s.id, T0 + 1)),
        store.sweep(T0 + HOUR),
      ]);
      expect(created.every((r) => r.kind === 'created')).toBe(true);
      const expected = await db.current.query<{ hash: Uint8Array; n: number | string; bytes: number | string | null }>(
        `SELECT h AS hash, count(*) AS n, sum(CASE WHEN state = 'active' THEN envelope_bytes ELSE 0 END) AS bytes
           FROM (SELECT client_hash AS h, state, envelope_bytes FROM secrets UNION ALL SELECT network_hash, state, envelope_bytes FROM secrets) AS all_hashes
          GROUP BY h ORDER BY h`,
      );
      const usage = await db.current.query<{ hash: Uint8Array; n: number | string; bytes: number | string }>(
        'SELECT hash, secrets AS n, bytes FROM client_usage ORDER BY hash',
      );
      const plain = (rows: { hash: Uint8Array; n: number | string; bytes: number | string | null }[]) =>
        rows.map((row) => [Buffer.from(row.hash).toString('hex'), Number(row.n), Number(row.bytes ?? 0)]);
      expect(plain(usage)).toEqual(plain(expected));
      expect(usage).toHaveLength(5);
    });

    it('rotates the hashing key every keyRotationMs, still counts usage under the previous key, then forgets it', async () => {
      const store = await db.current.open({ clientQuotas: { ...quotas, keyRotationMs: HOUR } });
      const keyIds = async () => (await db.current.query<{ id: number }>('SELECT id FROM client_hash_keys ORDER BY id')).map((k) => k.id);
      // The first key is made at open, on the wall clock: the secrets and sweeps here follow it.
      const now = Date.now();
      const long = { createdAt: now, expiresAt: now + 10 * DAY };
      for (let i = 0; i < 3; i++) expect((await store.create(from('a', 'net:n', long))).kind).toBe('created');
      await store.sweep(now + HOUR);
      expect(await keyIds()).toEqual([1, 2]);
      // Counted under the previous key, still refused under the new one.
      expect(await store.create(from('a', 'net:n', long))).toEqual({ kind: 'quota_exceeded', scope: 'client', limit: 'secrets' });
      await store.sweep(now + 2 * HOUR);
      expect(await keyIds()).toEqual([2, 3]);
      // The key the three were counted under is gone, and with it their count.
      expect((await store.create(from('a', 'net:n', long))).kind).toBe('created');
    });
  });
});
