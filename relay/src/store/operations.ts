// The write operations as synchronous functions that run inside a transaction
// opened by the group committer. Each one keeps the in-memory quota counters
// in step with the rows it changes; the committer restores the counters when
// an operation or its batch is rolled back.
import { timingSafeEqual } from 'node:crypto';
import { MAX_PASSPHRASE_ATTEMPTS } from '@psst/protocol/limits';
import type { Database, Statement } from 'better-sqlite3';
import {
  type ClientHashes,
  countsClients,
  createClientHasher,
  type HashKeys,
  isRotationDue,
  newHashKey,
  overQuota,
  type QuotaLimits,
  type Usage,
} from './client-usage.js';
import { META_COLUMNS, type SecretRow, unchangeable } from './rows.js';
import type {
  CreateResult,
  DeleteResult,
  Gone,
  NewSecret,
  NotFound,
  QuickRevealResult,
  RevealResult,
  StoreStats,
  SweepResult,
  WrongPassphraseResult,
} from './types.js';

/** Active secrets, their envelope bytes and the tombstones: mirrored in memory so quota checks and stats are O(1). */
export interface Counters extends StoreStats {
  tombstones: number;
}

export interface OperationLimits extends QuotaLimits {
  maxActiveSecrets: number;
  maxStoreBytes: number;
  tombstoneRetentionMs: number;
  /** The most pages in use a create may leave (the hard cap less a reserve for reveals, deletes and the sweep). */
  createPageLimit: number;
  pageSize: number;
}

/** The hashing keys in force; the store replaces `keys` after a rotation has committed. */
export interface KeyRing {
  keys: HashKeys;
}

export interface Operations {
  create(secret: NewSecret): CreateResult;
  reveal(id: string, now: number): RevealResult;
  revealIfAuthorized(id: string, accessVerifier: Uint8Array, now: number): QuickRevealResult;
  recordWrongPassphrase(id: string, now: number): WrongPassphraseResult;
  delete(id: string, now: number): DeleteResult;
  /** Expires due secrets and purges old tombstones; the WAL checkpoint happens after the commit. */
  sweep(now: number): SweepResult;
  get(id: string): SecretRow | undefined;
  /** Whether the file has room, short of its reserve, for a create of `bytes`. */
  fileHasRoom(bytes: number): boolean;
}

type Ending = 'read' | 'deleted' | 'burned' | 'expired';

/** A row as DELETE … RETURNING hands it back, so that its tombstone can take its place. */
interface TakenRow extends SecretRow {
  row_id: number;
  envelope: Buffer | null;
}

export function prepareOperations(db: Database, counters: Counters, limits: OperationLimits, ring: KeyRing): Operations {
  const selectMeta: Statement<[string], SecretRow> = db.prepare(`SELECT ${META_COLUMNS} FROM secrets WHERE id = ?`);
  const selectEnvelope = db.prepare<[string], Buffer>('SELECT envelope FROM secrets WHERE id = ?').pluck();
  const insert = db.prepare(
    `INSERT INTO secrets (id, envelope, access_verifier, passphrase_verifier, manage_verifier,
       kdf_log2n, kdf_r, kdf_p, kdf_salt, views_left, failed_attempts, state, created_at, expires_at, envelope_bytes,
       client_hash, network_hash)
     VALUES (@id, @envelope, @accessVerifier, @passphraseVerifier, @manageVerifier,
       @log2n, @r, @p, @salt, @views, 0, 'active', @createdAt, @expiresAt, @envelopeBytes, @clientHash, @networkHash)`,
  );
  const countView = db.prepare('UPDATE secrets SET views_left = views_left - 1, read_at = @now WHERE id = @id');
  const countFailure = db.prepare('UPDATE secrets SET failed_attempts = failed_attempts + 1 WHERE id = ?');
  // Erasure takes the row out and puts a tombstone (the same row without its envelope) back
  // under the same rowid. An UPDATE that shrinks a row never rebalances its b-tree page, so
  // `SET envelope = NULL` would leave every page of tombstones as big as it was with the
  // envelopes (measured: ~1.4 KB of file per tombstone of a 1.1 KB envelope, against ~0.2 KB
  // this way). secure_delete=ON overwrites the deleted bytes in both cases.
  const takeOut = db.prepare<[string], TakenRow>(`DELETE FROM secrets WHERE id = ? RETURNING rowid AS row_id, envelope, ${META_COLUMNS}`);
  const takeOutDue = db.prepare<[number], TakenRow>(
    `DELETE FROM secrets WHERE expires_at <= ? AND state = 'active' RETURNING rowid AS row_id, NULL AS envelope, ${META_COLUMNS}`,
  );
  // The tombstone gets back every column the DELETE … RETURNING gave (META_COLUMNS), the envelope excepted.
  const putTombstone = db.prepare(
    `INSERT INTO secrets (rowid, envelope, ${META_COLUMNS}) VALUES (@row_id, NULL, ${META_COLUMNS.replace(/(\w+)/g, '@$1')})`,
  );
  const purge = db.prepare<[number], Pick<SecretRow, 'client_hash' | 'network_hash'>>(
    "DELETE FROM secrets WHERE expires_at <= ? AND state <> 'active' RETURNING client_hash, network_hash",
  );
  const usedPages = db
    .prepare<[], number>('SELECT (SELECT page_count FROM pragma_page_count()) - (SELECT freelist_count FROM pragma_freelist_count())')
    .pluck();
  const selectUsage = db.prepare<[Buffer], [number, number]>('SELECT secrets, bytes FROM client_usage WHERE hash = ?').raw();
  const countUsage = db.prepare<[Buffer, number, number]>(
    `INSERT INTO client_usage (hash, key_id, secrets, bytes) VALUES (?, ?, 1, ?)
     ON CONFLICT (hash) DO UPDATE SET secrets = secrets + 1, bytes = bytes + excluded.bytes`,
  );
  const freeUsageBytes = db.prepare<[number, Uint8Array]>('UPDATE client_usage SET bytes = max(bytes - ?, 0) WHERE hash = ?');
  const forgetUsage = db.prepare<[number, Uint8Array]>('UPDATE client_usage SET secrets = max(secrets - ?, 0) WHERE hash = ?');
  const dropEmptyUsage = db.prepare<[Uint8Array]>('DELETE FROM client_usage WHERE hash = ? AND secrets = 0');
  const insertKey = db.prepare<[number, Buffer, number]>('INSERT INTO client_hash_keys (id, key, created_at) VALUES (?, ?, ?)');
  const dropOldKeys = db.prepare<[number]>('DELETE FROM client_hash_keys WHERE id < ?');
  const dropOldUsage = db.prepare<[number]>('DELETE FROM client_usage WHERE key_id < ?');
  const hashOf = createClientHasher();
  const counting = countsClients(limits);

  /** The secrets and bytes counted under a hash made with the current key and under the previous key's (null: none). */
  function usageOf(current: Buffer, previous: Buffer | null): [secrets: number, bytes: number] {
    const now = selectUsage.get(current);
    const before = previous === null ? undefined : selectUsage.get(previous);
    return [(now?.[0] ?? 0) + (before?.[0] ?? 0), (now?.[1] ?? 0) + (before?.[1] ?? 0)];
  }

  /** What the client and its network hold, under the current key and the previous one. */
  function readUsage(hashes: ClientHashes): Usage {
    const [clientSecrets, clientBytes] = usageOf(hashes.client, hashes.previousClient);
    const [networkSecrets, networkBytes] = usageOf(hashes.network, hashes.previousNetwork);
    return { clientSecrets, clientBytes, networkSecrets, networkBytes };
  }

  /** A purge hands back the hashes of the rows it removed: each client's count goes down by its rows. */
  function forget(rows: readonly Pick<SecretRow, 'client_hash' | 'network_hash'>[]): void {
    const counts = new Map<string, { hash: Uint8Array; n: number }>();
    for (const row of rows) {
      for (const hash of [row.client_hash, row.network_hash]) {
        if (hash === null) continue;
        const name = Buffer.from(hash).toString('hex');
        const entry = counts.get(name);
        if (entry) entry.n += 1;
        else counts.set(name, { hash, n: 1 });
      }
    }
    for (const { hash, n } of counts.values()) {
      forgetUsage.run(n, hash);
      dropEmptyUsage.run(hash);
    }
  }

  /** A new key every keyRotationMs; the one before the previous goes, with the usage counted under it. */
  function rotateKeys(now: number): void {
    const { current } = ring.keys;
    const next = newHashKey(current.id + 1, now);
    insertKey.run(next.id, next.key, next.createdAt);
    dropOldKeys.run(current.id);
    dropOldUsage.run(current.id);
  }

  /** Puts the tombstone of a row just taken out back in its place and gives its room back to the quotas. */
  function entomb(row: TakenRow, state: Ending, at: number, changes: Partial<SecretRow> = {}): void {
    putTombstone.run({ ...row, ...changes, state, ended_at: at });
    if (row.client_hash !== null) freeUsageBytes.run(row.envelope_bytes, row.client_hash);
    if (row.network_hash !== null) freeUsageBytes.run(row.envelope_bytes, row.network_hash);
    counters.activeSecrets -= 1;
    counters.storedBytes -= row.envelope_bytes;
    counters.tombstones += 1;
  }

  /** Turns an active row into its tombstone; returns what was taken out, envelope included. */
  function finish(id: string, state: Ending, at: number, changes: Partial<SecretRow> = {}): TakenRow {
    const row = takeOut.get(id)!;
    entomb(row, state, at, changes);
    return row;
  }

  /**
   * The live row, or the answer for a missing or finished one. An active row
   * past expiresAt answers as expired but is left for the sweeper to erase, so
   * that the sweep's count of expirations stays complete (it feeds metrics).
   */
  function findActive(id: string, now: number): SecretRow | NotFound | Gone {
    const row = selectMeta.get(id);
    return unchangeable(row, now, limits.tombstoneRetentionMs) ?? row!;
  }

  /** The envelope's pages, and one more for the row, its index entries and its usage rows, fit under the limit. */
  function fileHasRoom(bytes: number): boolean {
    return (usedPages.get() as number) + Math.ceil(bytes / limits.pageSize) + 1 <= limits.createPageLimit;
  }

  return {
    get: (id) => selectMeta.get(id),
    fileHasRoom,

    create(secret) {
      const bytes = secret.envelope.byteLength;
      if (counters.activeSecrets >= limits.maxActiveSecrets) return { kind: 'storage_full', limit: 'secrets' };
      if (counters.storedBytes + bytes > limits.maxStoreBytes) return { kind: 'storage_full', limit: 'bytes' };
      if (counters.tombstones >= limits.maxTombstones) return { kind: 'storage_full', limit: 'tombstones' };
      if (!fileHasRoom(bytes)) return { kind: 'storage_full', limit: 'file' };
      const hashes = counting && secret.client ? hashOf(ring.keys, secret.client) : null;
      if (hashes) {
        const refusal = overQuota(readUsage(hashes), bytes, limits);
        if (refusal) return refusal;
      }
      insert.run({
        id: secret.id,
        envelope: secret.envelope,
        accessVerifier: secret.accessVerifier,
        passphraseVerifier: secret.passphraseVerifier,
        manageVerifier: secret.manageVerifier,
        log2n: secret.kdf?.log2n ?? null,
        r: secret.kdf?.r ?? null,
        p: secret.kdf?.p ?? null,
        salt: secret.kdf?.salt ?? null,
        views: secret.views,
        createdAt: secret.createdAt,
        expiresAt: secret.expiresAt,
        envelopeBytes: bytes,
        clientHash: hashes?.client ?? null,
        networkHash: hashes?.network ?? null,
      });
      if (hashes) {
        countUsage.run(hashes.client, hashes.keyId, bytes);
        countUsage.run(hashes.network, hashes.keyId, bytes);
      }
      counters.activeSecrets += 1;
      counters.storedBytes += bytes;
      return { kind: 'created' };
    },

    reveal(id, now) {
      const row = findActive(id, now);
      if ('kind' in row) return row;
      if (row.views_left <= 1) {
        // The last view: counted and erased in the same transaction, before anyone is answered.
        const taken = finish(id, 'read', now, { views_left: 0, read_at: now });
        return { kind: 'revealed', envelope: taken.envelope!, viewsLeft: 0 };
      }
      const envelope = selectEnvelope.get(id)!;
      countView.run({ id, now });
      return { kind: 'revealed', envelope, viewsLeft: row.views_left - 1 };
    },

    revealIfAuthorized(id, accessVerifier, now) {
      const row = findActive(id, now);
      if ('kind' in row || row.passphrase_verifier !== null) return { kind: 'no_match' };
      const stored = Buffer.from(row.access_verifier);
      if (stored.length !== accessVerifier.byteLength || !timingSafeEqual(stored, accessVerifier)) return { kind: 'no_match' };
      const result = this.reveal(id, now);
      if (result.kind !== 'revealed') return { kind: 'no_match' };
      return { ...result, createdAt: row.created_at };
    },

    recordWrongPassphrase(id, now) {
      const row = findActive(id, now);
      if ('kind' in row) return row;
      const failed = row.failed_attempts + 1;
      if (failed >= MAX_PASSPHRASE_ATTEMPTS) {
        finish(id, 'burned', now, { failed_attempts: failed });
        return { kind: 'burned', at: now };
      }
      countFailure.run(id);
      return { kind: 'counted', attemptsLeft: MAX_PASSPHRASE_ATTEMPTS - failed };
    },

    delete(id, now) {
      const row = findActive(id, now);
      if ('kind' in row) return row;
      finish(id, 'deleted', now);
      return { kind: 'deleted' };
    },

    sweep(now) {
      const due = takeOutDue.all(now);
      for (const row of due) entomb(row, 'expired', row.expires_at);
      const gone = purge.all(now - limits.tombstoneRetentionMs);
      forget(gone);
      counters.tombstones -= gone.length;
      if (isRotationDue(ring.keys, now, limits.keyRotationMs)) rotateKeys(now);
      return { expired: due.length, purged: gone.length };
    },
  };
}
