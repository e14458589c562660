// What both stores share for the per-client quotas: a client (and its network) is never stored in clear,
// only as HMAC-SHA-256 under a random key that the database keeps and replaces every `keyRotationMs`.
// Usage is counted under the current key and the previous one; a key older than that is dropped, and
// with it any way to tell which address a stored hash stood for.
import { createHmac, randomBytes } from 'node:crypto';
import type { ClientIdentity, ClientQuotas, CommonStoreOptions, QuotaExceeded } from './types.js';

/** Bytes of a stored hash: 128 bits, plenty against collisions among at most a few hundred thousand clients. */
const HASH_BYTES = 16;
export const HASH_KEY_BYTES = 32;

export interface HashKey {
  id: number;
  key: Buffer;
  createdAt: number;
}

/** The key that new usage is counted under, and the one before it (still counted, never written). */
export interface HashKeys {
  current: HashKey;
  previous: HashKey | null;
}

/** The hashes one create is checked and counted against. */
export interface ClientHashes {
  keyId: number;
  client: Buffer;
  network: Buffer;
  previousClient: Buffer | null;
  previousNetwork: Buffer | null;
}

/** What a client and its network hold now (under both keys). */
export interface Usage {
  clientSecrets: number;
  clientBytes: number;
  networkSecrets: number;
  networkBytes: number;
}

/** A quota of 0 is off: it becomes a limit nothing reaches. */
export const NO_LIMIT = Number.MAX_SAFE_INTEGER;
const limit = (value: number | undefined) => (value === undefined || value <= 0 ? NO_LIMIT : value);

/** The limits a create is held to, with every `0 = off` already turned into NO_LIMIT. */
export interface QuotaLimits {
  maxTombstones: number;
  clientMaxSecrets: number;
  clientMaxBytes: number;
  networkMaxSecrets: number;
  networkMaxBytes: number;
  keyRotationMs: number;
}

/** One week and a day: the default longest TTL plus the default tombstone retention. */
const DEFAULT_ROTATION_MS = 8 * 24 * 3_600_000;

export function quotaLimits(options: Pick<CommonStoreOptions, 'maxActiveSecrets' | 'maxTombstones' | 'clientQuotas'>): QuotaLimits {
  const quotas: Partial<ClientQuotas> = options.clientQuotas ?? {};
  return {
    maxTombstones: options.maxTombstones ?? 2 * options.maxActiveSecrets,
    clientMaxSecrets: limit(quotas.clientMaxSecrets),
    clientMaxBytes: limit(quotas.clientMaxBytes),
    networkMaxSecrets: limit(quotas.networkMaxSecrets),
    networkMaxBytes: limit(quotas.networkMaxBytes),
    keyRotationMs: quotas.keyRotationMs ?? DEFAULT_ROTATION_MS,
  };
}

/** With every per-client quota off nothing is hashed or counted (a quota turned on later counts from then on). */
export function countsClients(limits: QuotaLimits): boolean {
  return [limits.clientMaxSecrets, limits.clientMaxBytes, limits.networkMaxSecrets, limits.networkMaxBytes].some(
    (value) => value < NO_LIMIT,
  );
}

export function newHashKey(id: number, createdAt: number): HashKey {
  return { id, key: randomBytes(HASH_KEY_BYTES), createdAt };
}

/** The newest two keys of the rows, or null when the database has none yet. */
export function toHashKeys(rows: readonly { id: number; key: Uint8Array; created_at: number }[]): HashKeys | null {
  const sorted = [...rows].sort((a, b) => b.id - a.id);
  const [current, previous] = sorted.map((row) => ({ id: row.id, key: Buffer.from(row.key), createdAt: row.created_at }));
  return current ? { current, previous: previous ?? null } : null;
}

export function isRotationDue(keys: HashKeys, now: number, rotationMs: number): boolean {
  return now - keys.current.createdAt >= rotationMs;
}

function hmac(key: Buffer, text: string): Buffer {
  return createHmac('sha256', key).update(text, 'utf8').digest().subarray(0, HASH_BYTES);
}

/** Identities hashed lately, per key pair (clients repeat; four HMACs per create would cost ~20 us). */
const HASH_CACHE_MAX = 4_096;

/** hashClient with a small cache, emptied when the keys change or when it is full. */
export function createClientHasher(): (keys: HashKeys, identity: ClientIdentity) => ClientHashes {
  let cachedFor: HashKeys | null = null;
  const cache = new Map<string, ClientHashes>();
  return (keys, identity) => {
    if (cachedFor !== keys || cache.size >= HASH_CACHE_MAX) {
      cache.clear();
      cachedFor = keys;
    }
    const name = `${identity.client} ${identity.network}`;
    let hashes = cache.get(name);
    if (!hashes) {
      hashes = hashClient(keys, identity);
      cache.set(name, hashes);
    }
    return hashes;
  };
}

export function hashClient(keys: HashKeys, identity: ClientIdentity): ClientHashes {
  const { current, previous } = keys;
  return {
    keyId: current.id,
    client: hmac(current.key, identity.client),
    network: hmac(current.key, identity.network),
    previousClient: previous ? hmac(previous.key, identity.client) : null,
    previousNetwork: previous ? hmac(previous.key, identity.network) : null,
  };
}

/** The first quota a create of `bytes` would pass, or null. Network before client: the wider one is the news. */
export function overQuota(usage: Usage, bytes: number, limits: QuotaLimits): QuotaExceeded | null {
  const over = (scope: QuotaExceeded['scope'], what: QuotaExceeded['limit']): QuotaExceeded => ({
    kind: 'quota_exceeded',
    scope,
    limit: what,
  });
  if (usage.networkSecrets >= limits.networkMaxSecrets) return over('network', 'secrets');
  if (usage.networkBytes + bytes > limits.networkMaxBytes) return over('network', 'bytes');
  if (usage.clientSecrets >= limits.clientMaxSecrets) return over('client', 'secrets');
  if (usage.clientBytes + bytes > limits.clientMaxBytes) return over('client', 'bytes');
  return null;
}
