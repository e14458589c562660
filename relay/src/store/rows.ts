// Rows of the `secrets` table and how they read at a given time: expiry and
// tombstone purge are enforced on every read, not only by the sweeper.
import type { GoneReason } from '@psst/protocol/api';
import { minEnvelopeBytes } from '@psst/protocol/limits';
import type { CommonStoreOptions, Gone, NotFound, SecretRecord, StoreStats } from './types.js';

export interface SecretRow {
  id: string;
  access_verifier: Uint8Array;
  passphrase_verifier: Uint8Array | null;
  manage_verifier: Uint8Array;
  kdf_log2n: number | null;
  kdf_r: number | null;
  kdf_p: number | null;
  kdf_salt: Uint8Array | null;
  views_left: number;
  failed_attempts: number;
  state: SecretRecord['state'];
  created_at: number;
  expires_at: number;
  read_at: number | null;
  ended_at: number | null;
  envelope_bytes: number;
  /** Keyed hashes of the creator's client and network (./client-usage.ts), or null when not counted. */
  client_hash: Uint8Array | null;
  network_hash: Uint8Array | null;
}

/** Every column but the envelope: metadata reads never touch ciphertext. */
export const META_COLUMNS =
  'id, access_verifier, passphrase_verifier, manage_verifier, kdf_log2n, kdf_r, kdf_p, kdf_salt, ' +
  'views_left, failed_attempts, state, created_at, expires_at, read_at, ended_at, envelope_bytes, client_hash, network_hash';

/** An active secret is expired from its expiresAt on (inclusive). */
export function isExpired(row: Pick<SecretRow, 'expires_at'>, now: number): boolean {
  return now >= row.expires_at;
}

/** A row past its tombstone retention is as good as purged, swept or not. */
export function isPurgeable(row: Pick<SecretRow, 'expires_at'>, now: number, retentionMs: number): boolean {
  return now >= row.expires_at + retentionMs;
}

/** The record as the HTTP core sees it at `now`: an active secret past expiresAt reads as expired. */
export function toRecord(row: SecretRow, now: number): SecretRecord {
  const lapsed = row.state === 'active' && isExpired(row, now);
  return {
    id: row.id,
    state: lapsed ? 'expired' : row.state,
    accessVerifier: row.access_verifier,
    passphraseVerifier: row.passphrase_verifier,
    manageVerifier: row.manage_verifier,
    kdf:
      row.kdf_log2n === null || row.kdf_salt === null
        ? null
        : { log2n: row.kdf_log2n, r: row.kdf_r ?? 0, p: row.kdf_p ?? 0, salt: row.kdf_salt },
    viewsLeft: row.views_left,
    failedAttempts: row.failed_attempts,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    readAt: row.read_at,
    endedAt: lapsed ? row.expires_at : row.ended_at,
    envelopeBytes: row.envelope_bytes,
  };
}

/** The 410 answer for a row that is no longer active. */
export function toGone(row: Pick<SecretRow, 'state' | 'ended_at' | 'expires_at'>): Gone {
  const reason = row.state as GoneReason;
  return { kind: 'gone', reason, at: row.ended_at ?? row.expires_at };
}

/**
 * What a write answers for a row that cannot change: not_found (missing or past its tombstone retention),
 * gone (finished, or active but past expiresAt, left for the sweeper so its count stays complete), or
 * null for a live row.
 */
export function unchangeable(
  row: Pick<SecretRow, 'state' | 'ended_at' | 'expires_at'> | undefined,
  now: number,
  retentionMs: number,
): NotFound | Gone | null {
  if (row === undefined || isPurgeable(row, now, retentionMs)) return { kind: 'not_found' };
  if (row.state === 'active' && isExpired(row, now)) return { kind: 'gone', reason: 'expired', at: row.expires_at };
  if (row.state !== 'active') return toGone(row);
  return null;
}

/** Ready means room for one more secret, the smallest envelope, within both quotas. */
export function hasRoom(stats: StoreStats, limits: Pick<CommonStoreOptions, 'maxActiveSecrets' | 'maxStoreBytes'>): boolean {
  return stats.activeSecrets < limits.maxActiveSecrets && stats.storedBytes + minEnvelopeBytes(false) <= limits.maxStoreBytes;
}
