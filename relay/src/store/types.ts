// The contract between the HTTP core and its store: SQLite (./sqlite-store.ts,
// the embedded default) or PostgreSQL (./postgres-store.ts, shared by several
// relays). Every method is asynchronous; every write settles only after its
// transaction is durable (group commit may batch writes that arrive together,
// but never answers before the fsync or the database's COMMIT).
import type { GoneReason, SecretState } from '@psst/protocol/api';
import type { KdfParams } from '@psst/protocol/limits';

export interface StoredKdf extends KdfParams {
  /** 16 raw salt bytes. */
  salt: Uint8Array;
}

/**
 * Who creates, for the per-client and per-network quotas: the keys of net/cidr.ts (`clientKey`, `networkKey`).
 * Never stored: the store keeps only their keyed hashes (./client-usage.ts).
 */
export interface ClientIdentity {
  client: string;
  network: string;
}

export interface NewSecret {
  /** 22-char b64u id chosen by the relay. */
  id: string;
  /** Raw envelope bytes (already checked by the caller). */
  envelope: Uint8Array;
  /** SHA-256(AT), 32 bytes. */
  accessVerifier: Uint8Array;
  /** SHA-256(PT), 32 bytes, or null without a passphrase. */
  passphraseVerifier: Uint8Array | null;
  /** SHA-256(manageToken), 32 bytes. */
  manageVerifier: Uint8Array;
  kdf: StoredKdf | null;
  views: number;
  /** Epoch milliseconds. */
  createdAt: number;
  expiresAt: number;
  /** The creator, for the per-client quotas; absent or null: counted against no client (an unknown address). */
  client?: ClientIdentity | null;
}

/** Everything about a secret except its envelope; what Look, receipt and the checks need. */
export interface SecretRecord {
  id: string;
  state: SecretState;
  accessVerifier: Uint8Array;
  passphraseVerifier: Uint8Array | null;
  manageVerifier: Uint8Array;
  kdf: StoredKdf | null;
  viewsLeft: number;
  failedAttempts: number;
  createdAt: number;
  expiresAt: number;
  /** Time of the last view, or null. */
  readAt: number | null;
  /** When the state left 'active' (read, expired, deleted, burned), or null. */
  endedAt: number | null;
  envelopeBytes: number;
}

/** Which bound of the whole store a refused create met: active secrets, envelope bytes, tombstones, or the file. */
export type StorageLimit = 'secrets' | 'bytes' | 'tombstones' | 'file';

/** Which per-client quota a refused create met: the client's own, or its network's; secrets or bytes. */
export interface QuotaExceeded {
  kind: 'quota_exceeded';
  scope: 'client' | 'network';
  limit: 'secrets' | 'bytes';
}

export type CreateResult = { kind: 'created' } | { kind: 'storage_full'; limit: StorageLimit } | QuotaExceeded | { kind: 'duplicate_id' };

export type Gone = { kind: 'gone'; reason: GoneReason; at: number };
export type NotFound = { kind: 'not_found' };

/** Reveal: the view is counted and, when it was the last, the envelope erased, in one transaction. */
export type RevealResult = { kind: 'revealed'; envelope: Uint8Array; viewsLeft: number } | Gone | NotFound;

/** The one-step reveal: `no_match` when it does not apply (nothing was changed; the caller takes the usual path). */
export type QuickRevealResult = { kind: 'revealed'; envelope: Uint8Array; viewsLeft: number; createdAt: number } | { kind: 'no_match' };

/** A wrong passphrase token: counted; the MAX_PASSPHRASE_ATTEMPTS-th one burns the secret. */
export type WrongPassphraseResult = { kind: 'counted'; attemptsLeft: number } | { kind: 'burned'; at: number } | Gone | NotFound;

export type DeleteResult = { kind: 'deleted' } | Gone | NotFound;

export interface SweepResult {
  expired: number;
  purged: number;
  /** Another relay was sweeping the shared database; nothing was done. */
  skipped?: true;
}

export interface StoreStats {
  activeSecrets: number;
  storedBytes: number;
}

/** What /readyz reports: the database answers and has room, has no room, or does not answer (or is not durable). */
export type Readiness = 'ready' | 'storage_full' | 'storage_unavailable';

/**
 * The database cannot be reached (down, restarting, failed over, not durable): the relay answers 503
 * storage_unavailable and keeps serving; the operation may or may not have been applied, never acknowledged.
 */
export class StorageUnavailableError extends Error {
  override readonly name = 'StorageUnavailableError';
}

export interface Store {
  /** Which database holds the secrets. */
  readonly kind: 'sqlite' | 'postgres';
  /** Metadata only; no envelope bytes are read. Expired-but-unswept secrets report state 'expired'. */
  get(id: string, now: number): Promise<SecretRecord | undefined>;
  create(secret: NewSecret): Promise<CreateResult>;
  reveal(id: string, now: number): Promise<RevealResult>;
  /**
   * The common reveal in one step (one database round trip instead of a read and then a write): counts the
   * view exactly as `reveal` does, but only when the secret is active, unexpired, has views left, has no
   * passphrase and its access verifier equals `accessVerifier`; otherwise it changes nothing and answers
   * `no_match`, and the caller reads the record to give the right answer.
   */
  revealIfAuthorized(id: string, accessVerifier: Uint8Array, now: number): Promise<QuickRevealResult>;
  recordWrongPassphrase(id: string, now: number): Promise<WrongPassphraseResult>;
  delete(id: string, now: number): Promise<DeleteResult>;
  /**
   * Expires due secrets (erasing envelopes), purges old tombstones, and reclaims what it can (SQLite: WAL
   * checkpoint TRUNCATE; PostgreSQL: VACUUM). With several relays on one database only one sweeps at a time;
   * the others get `skipped`.
   */
  sweep(now: number): Promise<SweepResult>;
  /** The database's totals (with PostgreSQL: for every relay together, not this one's share). */
  stats(): Promise<StoreStats>;
  ready(): Promise<Readiness>;
  /** Waits for pending writes, then closes the database cleanly. */
  close(): Promise<void>;
}

/** How the store reports to metrics without importing them. */
export interface StoreObserver {
  commit(batchSize: number, seconds: number): void;
  dbError(operation: string): void;
}

/** What both stores take. */
export interface CommonStoreOptions {
  maxActiveSecrets: number;
  maxStoreBytes: number;
  /** Finished secrets kept as tombstones; a create past it is storage_full (default: twice maxActiveSecrets). */
  maxTombstones?: number;
  /** Per-client and per-network quotas (secrets counted until their tombstone is purged; active bytes). */
  clientQuotas?: ClientQuotas;
  /** Tombstones are purged this long after expiresAt. */
  tombstoneRetentionMs: number;
  observer?: StoreObserver;
}

/** 0 (or absent) turns a quota off. */
export interface ClientQuotas {
  clientMaxSecrets: number;
  clientMaxBytes: number;
  networkMaxSecrets: number;
  networkMaxBytes: number;
  /**
   * How often the hashing key changes (the previous one is still counted, then dropped): at least the longest
   * TTL plus the tombstone retention, so that no row outlives the key after the one it was counted under.
   */
  keyRotationMs: number;
}

export interface StoreOptions extends CommonStoreOptions {
  /** Path of the SQLite file; its folder is created if missing. */
  path: string;
  /** Group commit bounds; maxBatch 1 means one commit per write (the baseline for benchmarks). */
  groupCommit: { maxBatch: number; maxWaitMs: number };
  /** 'FULL' in production; 'NORMAL' exists only for the benchmark ceiling. */
  synchronous: 'FULL' | 'NORMAL';
  /**
   * Hard cap on the file, in pages (PRAGMA max_page_count); default derived from the quotas (./sqlite-bound.ts).
   * Creates stop short of it (storage_full, limit 'file') so that reveals, deletes and the sweep always have room.
   */
  maxPageCount?: number;
}
export interface PostgresStoreOptions extends CommonStoreOptions {
  /** postgres://user:password@host:port/db?sslmode=verify-full&sslrootcert=… (never logged). */
  url: string;
  /** Most connections this relay opens. */
  poolMax: number;
  /** Client-side bound on one query, connection included; past it the operation answers storage_unavailable. */
  queryTimeoutMs: number;
  /** Benchmarks only: accept a connection whose synchronous_commit is off (a crash may undo acknowledged reveals). */
  allowAsyncCommit: boolean;
  /** Told when the database stops or starts answering, and why (never with a query or a value). */
  onAvailability?: (available: boolean, reason: string) => void;
}

// Implemented by `openStore(options: StoreOptions): Store` in ./sqlite-store.ts and
// `openPostgresStore(options: PostgresStoreOptions): Promise<Store>` in ./postgres-store.ts.
