// The relay's Prometheus metrics, in their own registry (served only on the
// metrics listener). Labels hold route templates and fixed words, never an
// id; every counter starts at zero for every label value it can take.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { StoreObserver, StoreStats } from './store/types.js';

export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'] as const;

/** Methods outside the known set share one label value, so a client cannot invent series. */
export function clampMethod(method: string): string {
  return (HTTP_METHODS as readonly string[]).includes(method) ? method : 'OTHER';
}

export const REJECT_REASONS = [
  'rate_limited',
  'invalid_request',
  'payload_too_large',
  'unsupported_media_type',
  'storage_full',
  'creation_disabled',
  'storage_unavailable',
  'wrong_passphrase',
  // Refused when the headers arrived, before any of the body was read (gate.ts): the relay's cap on requests
  // in progress (and on node:http its open connections), one client's requests in progress, body bytes buffered.
  'connections',
  'concurrency',
  'body_buffer',
  'proof_of_work',
  // A create refused for room (routes/refusals.ts): one client's or one network's quota (429), the store's
  // bound on tombstones or its database file's cap (503 storage_full; the quotas of everyone stay storage_full).
  'client_quota',
  'network_quota',
  'tombstone_bound',
  'file_bound',
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export const DB_OPERATIONS = ['get', 'create', 'reveal', 'wrong_passphrase', 'delete', 'sweep', 'ready'] as const;

/** The answers each route normally gives; their series exist from the start. */
const EXPECTED: Record<string, Record<string, number[]>> = {
  '/api/secrets': { POST: [201, 400, 403, 413, 415, 429, 500, 503] },
  '/api/secrets/:id': { GET: [200, 404, 410, 429, 500, 503], DELETE: [204, 404, 429, 500, 503] },
  '/api/secrets/:id/reveal': { POST: [200, 400, 403, 404, 410, 413, 415, 429, 500, 503] },
  '/api/secrets/:id/receipt': { GET: [200, 404, 429, 500, 503] },
  '/healthz': { GET: [200] },
  '/readyz': { GET: [200, 503] },
};

export interface Metrics {
  registry: Registry;
  observeRequest(method: string, route: string, status: number, seconds: number): void;
  rejected(reason: RejectReason): void;
  created(): void;
  revealed(delaySeconds: number): void;
  deleted(): void;
  burned(): void;
  expired(count: number): void;
  sweeperRan(): void;
  /** Feeds commit batch sizes and database errors from the store. */
  storeObserver: StoreObserver;
  /** Where the gauges read active secrets and stored bytes at scrape time. */
  setStatsSource(source: () => Promise<StoreStats>): void;
  /** Whether this relay's last contact with the database succeeded. */
  databaseUp(up: boolean): void;
}

export function createMetrics(info: { version: string; engine: string; store: string }): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const counter = (name: string, help: string) => new Counter({ name, help, registers });
  const createdTotal = counter('psst_secrets_created_total', 'Secrets created.');
  const revealedTotal = counter('psst_secrets_revealed_total', 'Envelopes handed out (one per successful reveal).');
  const expiredTotal = counter('psst_secrets_expired_total', 'Secrets erased by the sweeper because they expired.');
  const deletedTotal = counter('psst_secrets_deleted_total', 'Secrets deleted by their creator.');
  const burnedTotal = counter('psst_secrets_burned_total', 'Secrets burned after too many wrong passphrases.');
  const sweeperRuns = counter('psst_sweeper_runs_total', 'Completed sweeper runs.');

  // Both gauges are the database's totals. Several relays on one PostgreSQL database report the same
  // numbers, so dashboards take max() over the relays, never sum(). One read serves both gauges per scrape.
  let stats: () => Promise<StoreStats> = async () => ({ activeSecrets: 0, storedBytes: 0 });
  let pending: Promise<StoreStats | null> | null = null;
  const readStats = () => {
    pending ??= stats()
      .catch(() => null)
      .finally(() => {
        setImmediate(() => {
          pending = null;
        });
      });
    return pending;
  };
  new Gauge({
    name: 'psst_secrets_active',
    help: 'Secrets that can still be revealed (the whole database: take max over relays, not sum).',
    registers,
    async collect() {
      const read = await readStats();
      if (read) this.set(read.activeSecrets);
    },
  });
  new Gauge({
    name: 'psst_secret_store_bytes',
    help: 'Envelope bytes held for active secrets (the whole database: take max over relays, not sum).',
    registers,
    async collect() {
      const read = await readStats();
      if (read) this.set(read.storedBytes);
    },
  });
  const dbUp = new Gauge({ name: 'psst_db_up', help: '1 while this relay reaches its database, 0 while it does not.', registers });
  dbUp.set(1);
  const revealDelay = new Histogram({
    name: 'psst_reveal_delay_seconds',
    help: 'Time from creation to each reveal.',
    buckets: [1, 10, 60, 300, 900, 3_600, 10_800, 43_200, 86_400, 259_200, 604_800],
    registers,
  });
  const requests = new Counter({
    name: 'psst_http_requests_total',
    help: 'HTTP requests answered, by method, route template and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers,
  });
  const duration = new Histogram({
    name: 'psst_http_request_duration_seconds',
    help: 'Time from the complete request to the response, by method and route template.',
    labelNames: ['method', 'route'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers,
  });
  const rejectedTotal = new Counter({
    name: 'psst_requests_rejected_total',
    help: 'Requests refused, by reason.',
    labelNames: ['reason'] as const,
    registers,
  });
  const dbErrors = new Counter({
    name: 'psst_db_errors_total',
    help: 'Database operations that failed, by operation.',
    labelNames: ['operation'] as const,
    registers,
  });
  const batchSize = new Histogram({
    name: 'psst_commit_batch_size',
    help: 'Write operations per committed transaction (group commit).',
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
    registers,
  });
  const commitDuration = new Histogram({
    name: 'psst_commit_duration_seconds',
    help: 'Time to apply and commit one batch, fsync included.',
    buckets: [0.0001, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 1],
    registers,
  });
  new Gauge({
    name: 'psst_build_info',
    help: 'The running relay: its version, HTTP engine and store (sqlite or postgres).',
    labelNames: ['version', 'engine', 'store'] as const,
    registers,
  }).set(info, 1);

  for (const [route, methods] of Object.entries(EXPECTED)) {
    for (const [method, statuses] of Object.entries(methods)) {
      duration.zero({ method, route });
      for (const status of statuses) requests.inc({ method, route, status: String(status) }, 0);
    }
  }
  for (const reason of REJECT_REASONS) rejectedTotal.inc({ reason }, 0);
  for (const operation of DB_OPERATIONS) dbErrors.inc({ operation }, 0);

  return {
    registry,
    observeRequest(method, route, status, seconds) {
      const m = clampMethod(method);
      requests.inc({ method: m, route, status: String(status) });
      duration.observe({ method: m, route }, seconds);
    },
    rejected: (reason) => rejectedTotal.inc({ reason }),
    created: () => createdTotal.inc(),
    revealed(delaySeconds) {
      revealedTotal.inc();
      revealDelay.observe(Math.max(0, delaySeconds));
    },
    deleted: () => deletedTotal.inc(),
    burned: () => burnedTotal.inc(),
    expired: (count) => expiredTotal.inc(count),
    sweeperRan: () => sweeperRuns.inc(),
    storeObserver: {
      commit(size, seconds) {
        batchSize.observe(size);
        commitDuration.observe(seconds);
      },
      dbError: (operation) => dbErrors.inc({ operation }),
    },
    setStatsSource(source) {
      stats = source;
    },
    databaseUp: (up) => dbUp.set(up ? 1 : 0),
  };
}
