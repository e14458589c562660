// The write operations as synchronous functions that run inside a transaction
// opened by the group committer. Each one keeps the in-memory quota counters
// in step with the rows it changes; the committer restores the counters when
// an operation or its batch is rolled back.
import { MAX_PASSPHRASE_ATTEMPTS } from '@psst/protocol/limits';
import type { Database, Statement } from 'better-sqlite3';
import { isExpired, isPurgeable, META_COLUMNS, type SecretRow, toGone } from './rows.js';
import type { CreateResult, DeleteResult, NewSecret, RevealResult, StoreStats, SweepResult, WrongPassphraseResult } from './types.js';

/** Active secrets and their envelope bytes: mirrored in memory so quota checks and stats are O(1). */
export type Counters = StoreStats;

export interface OperationLimits {
  maxActiveSecrets: number;
  maxStoreBytes: number;
  tombstoneRetentionMs: number;
}

export interface Operations {
  create(secret: NewSecret): CreateResult;
  reveal(id: string, now: number): RevealResult;
  recordWrongPassphrase(id: string, now: number): WrongPassphraseResult;
  delete(id: string, now: number): DeleteResult;
  /** Expires due secrets and purges old tombstones; the WAL checkpoint happens after the commit. */
  sweep(now: number): SweepResult;
  get(id: string): SecretRow | undefined;
}

type Ending = 'read' | 'expired' | 'deleted' | 'burned';

export function prepareOperations(db: Database, counters: Counters, limits: OperationLimits): Operations {
  const selectMeta: Statement<[string], SecretRow> = db.prepare(`SELECT ${META_COLUMNS} FROM secrets WHERE id = ?`);
  const selectEnvelope = db.prepare<[string], Buffer>('SELECT envelope FROM secrets WHERE id = ?').pluck();
  const insert = db.prepare(
    `INSERT INTO secrets (id, envelope, access_verifier, passphrase_verifier, manage_verifier,
       kdf_log2n, kdf_r, kdf_p, kdf_salt, views_left, failed_attempts, state, created_at, expires_at, envelope_bytes)
     VALUES (@id, @envelope, @accessVerifier, @passphraseVerifier, @manageVerifier,
       @log2n, @r, @p, @salt, @views, 0, 'active', @createdAt, @expiresAt, @envelopeBytes)`,
  );
  const countView = db.prepare('UPDATE secrets SET views_left = views_left - 1, read_at = @now WHERE id = @id');
  // Erasing sets the envelope to NULL; with secure_delete=ON SQLite overwrites the freed bytes.
  const end = db.prepare("UPDATE secrets SET state = @state, envelope = NULL, ended_at = @at WHERE id = @id AND state = 'active'");
  const countFailure = db.prepare('UPDATE secrets SET failed_attempts = failed_attempts + 1 WHERE id = ?');
  const expireDue = db
    .prepare<[number], number>(
      "UPDATE secrets SET state = 'expired', envelope = NULL, ended_at = expires_at WHERE expires_at <= ? AND state = 'active' RETURNING envelope_bytes",
    )
    .pluck();
  const purge = db.prepare("DELETE FROM secrets WHERE expires_at <= ? AND state <> 'active'");

  function finish(row: SecretRow, state: Ending, at: number): void {
    end.run({ id: row.id, state, at });
    counters.activeSecrets -= 1;
    counters.storedBytes -= row.envelope_bytes;
  }

  /**
   * The live row, or the answer for a missing or finished one. An active row
   * past expiresAt answers as expired but is left for the sweeper to erase, so
   * that the sweep's count of expirations stays complete (it feeds metrics).
   */
  function findActive(id: string, now: number): SecretRow | { kind: 'not_found' } | ReturnType<typeof toGone> {
    const row = selectMeta.get(id);
    if (row === undefined || isPurgeable(row, now, limits.tombstoneRetentionMs)) return { kind: 'not_found' };
    if (row.state === 'active' && isExpired(row, now)) return { kind: 'gone', reason: 'expired', at: row.expires_at };
    if (row.state !== 'active') return toGone(row);
    return row;
  }

  return {
    get: (id) => selectMeta.get(id),

    create(secret) {
      const bytes = secret.envelope.byteLength;
      if (counters.activeSecrets >= limits.maxActiveSecrets || counters.storedBytes + bytes > limits.maxStoreBytes) {
        return { kind: 'storage_full' };
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
      });
      counters.activeSecrets += 1;
      counters.storedBytes += bytes;
      return { kind: 'created' };
    },

    reveal(id, now) {
      const row = findActive(id, now);
      if ('kind' in row) return row;
      const envelope = selectEnvelope.get(id)!;
      const viewsLeft = row.views_left - 1;
      countView.run({ id, now });
      // The last view erases the envelope in the same transaction that counts it.
      if (viewsLeft <= 0) finish(row, 'read', now);
      return { kind: 'revealed', envelope, viewsLeft: Math.max(0, viewsLeft) };
    },

    recordWrongPassphrase(id, now) {
      const row = findActive(id, now);
      if ('kind' in row) return row;
      countFailure.run(id);
      const failed = row.failed_attempts + 1;
      if (failed >= MAX_PASSPHRASE_ATTEMPTS) {
        finish(row, 'burned', now);
        return { kind: 'burned', at: now };
      }
      return { kind: 'counted', attemptsLeft: MAX_PASSPHRASE_ATTEMPTS - failed };
    },

    delete(id, now) {
      const row = findActive(id, now);
      if ('kind' in row) return row;
      finish(row, 'deleted', now);
      return { kind: 'deleted' };
    },

    sweep(now) {
      const erased = expireDue.all(now);
      for (const bytes of erased) {
        counters.activeSecrets -= 1;
        counters.storedBytes -= bytes;
      }
      const purged = purge.run(now - limits.tombstoneRetentionMs).changes;
      return { expired: erased.length, purged };
    },
  };
}
