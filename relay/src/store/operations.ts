// The write operations as synchronous functions that run inside a transaction
// opened by the group committer. Each one keeps the in-memory quota counters
// in step with the rows it changes; the committer restores the counters when
// an operation or its batch is rolled back.
import { timingSafeEqual } from 'node:crypto';
import { MAX_PASSPHRASE_ATTEMPTS } from '@psst/protocol/limits';
import type { Database, Statement } from 'better-sqlite3';
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
  revealIfAuthorized(id: string, accessVerifier: Uint8Array, now: number): QuickRevealResult;
  recordWrongPassphrase(id: string, now: number): WrongPassphraseResult;
  delete(id: string, now: number): DeleteResult;
  /** Expires due secrets and purges old tombstones; the WAL checkpoint happens after the commit. */
  sweep(now: number): SweepResult;
  get(id: string): SecretRow | undefined;
}

type Ending = 'read' | 'deleted' | 'burned' | 'expired';

/** A row as DELETE … RETURNING hands it back, so that its tombstone can take its place. */
interface TakenRow extends SecretRow {
  row_id: number;
  envelope: Buffer | null;
}

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
  const purge = db.prepare("DELETE FROM secrets WHERE expires_at <= ? AND state <> 'active'");

  /** Puts the tombstone of a row just taken out back in its place and gives its room back to the quotas. */
  function entomb(row: TakenRow, state: Ending, at: number, changes: Partial<SecretRow> = {}): void {
    putTombstone.run({ ...row, ...changes, state, ended_at: at });
    counters.activeSecrets -= 1;
    counters.storedBytes -= row.envelope_bytes;
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
      const purged = purge.run(now - limits.tombstoneRetentionMs).changes;
      return { expired: due.length, purged };
    },
  };
}
