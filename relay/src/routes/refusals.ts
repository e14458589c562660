// The words of a create refused for room: which bound was met, the whole store's (503 storage_full: nobody
// can create) or one client's or network's (429 rate_limited: this client must wait, everyone else creates).
// Only creates are ever refused this way; reveals, deletes and the sweep never are.
import { HttpError } from '../http-error.js';
import type { QuotaExceeded, StorageLimit } from '../store/types.js';
import type { RouteDeps } from './context.js';

/**
 * What a client over its quota is told to wait: room comes back when one of its secrets is read, deleted or
 * expires (bytes) or a day after it ends (secrets), which the relay does not predict; an hour is a fair hint.
 */
export const QUOTA_RETRY_AFTER_SECONDS = 3_600;

const STORE_WORDS: Record<StorageLimit, string> = {
  secrets: 'This relay holds as many secrets as it can right now (its limit of active secrets for everyone); try again later.',
  bytes: 'This relay holds as many secrets as it can right now (its limit of stored bytes for everyone); try again later.',
  tombstones:
    'This relay keeps as many finished secrets as it may (their records stay a day after they end, for receipts); try again later.',
  file: 'This relay’s database has reached its size limit; try again later.',
};

const QUOTA_WORDS: Record<QuotaExceeded['scope'], Record<QuotaExceeded['limit'], string>> = {
  client: {
    secrets:
      'Your address has as many secrets on this relay as one address may (each counts until a day after it is read, deleted or expires); try again later.',
    bytes:
      'Your address has as many bytes of secrets on this relay as one address may, until some are read, deleted or expire; try again later.',
  },
  network: {
    secrets:
      'Your network (the addresses around yours) has as many secrets on this relay as one network may (each counts until a day after it ends); try again later.',
    bytes: 'Your network (the addresses around yours) has as many bytes of secrets on this relay as one network may; try again later.',
  },
};

/** 503 storage_full, naming the store's bound that was met. */
export function storageFull(deps: RouteDeps, limit: StorageLimit): HttpError {
  deps.metrics.rejected(limit === 'tombstones' ? 'tombstone_bound' : limit === 'file' ? 'file_bound' : 'storage_full');
  return new HttpError(503, 'storage_full', STORE_WORDS[limit]);
}

/** 429 rate_limited with Retry-After, naming the client's or the network's quota. */
export function quotaExceeded(deps: RouteDeps, refusal: QuotaExceeded): HttpError {
  deps.metrics.rejected(refusal.scope === 'client' ? 'client_quota' : 'network_quota');
  return new HttpError(
    429,
    'rate_limited',
    QUOTA_WORDS[refusal.scope][refusal.limit],
    { retryAfter: QUOTA_RETRY_AFTER_SECONDS },
    { 'retry-after': String(QUOTA_RETRY_AFTER_SECONDS) },
  );
}
