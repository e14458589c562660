// The relay's configuration: the only module that reads the environment.
// Every variable is checked at start against a strict schema; a bad value
// stops the relay with a message that names the variable. The result is a
// frozen object passed to whoever needs it, never a global.
import {
  DEFAULT_MAX_ENVELOPE_BYTES,
  DEFAULT_MAX_TTL_SECONDS,
  DEFAULT_MAX_VIEWS,
  DEFAULT_TOMBSTONE_RETENTION_SECONDS,
  MIN_TTL_SECONDS,
} from '@psst/protocol/limits';
import { z } from 'zod';
import { type Cidr, type ClientPrefixes, parseCidr } from './net/cidr.js';

export type HttpEngineChoice = 'auto' | 'hyper-express' | 'node';
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Config {
  host: string;
  port: number;
  dbPath: string;
  metricsHost: string;
  metricsPort: number;
  httpEngine: HttpEngineChoice;
  /** Folder of the built reveal page, or null (headless: API only). */
  staticDir: string | null;
  trustedProxies: readonly Cidr[];
  maxTtlSeconds: number;
  maxViews: number;
  maxEnvelopeBytes: number;
  createEnabled: boolean;
  /** Requests per minute per client; 0 turns the limit off. */
  rateLimitCreate: number;
  rateLimitRead: number;
  /** Requests in progress at once on this relay (node:http also caps its open connections at it); 0: no cap. */
  maxConnections: number;
  /** Requests in progress at once per client (IPv4 address, IPv6 /64); 0: no cap. */
  maxClientRequests: number;
  /** Request body bytes being buffered at once, over every request; 0: no cap. */
  maxBufferedBytes: number;
  maxActiveSecrets: number;
  maxStoreBytes: number;
  /** Finished secrets (tombstones) the store may hold; a create past it is 503 storage_full. */
  maxTombstones: number;
  /** Per client and per network: secrets (active, or tombstones not yet purged) and active envelope bytes; 0 = no limit. */
  clientMaxSecrets: number;
  clientMaxStoreBytes: number;
  networkMaxSecrets: number;
  networkMaxStoreBytes: number;
  /** Prefix lengths: an IPv6 client, and the network of a client (IPv4 and IPv6). */
  clientPrefixes: ClientPrefixes;
  /** PRAGMA max_page_count, or null for the default derived from the quotas (store/sqlite-bound.ts). */
  sqliteMaxPageCount: number | null;
  sqliteSynchronous: 'FULL' | 'NORMAL';
  /** PostgreSQL instead of SQLite (several relays on one database), or null. Holds a password: never log it. */
  databaseUrl: string | null;
  databasePoolMax: number;
  databaseTimeoutMs: number;
  /** Benchmarks only: run on a PostgreSQL connection whose synchronous_commit is off. */
  databaseAllowAsyncCommit: boolean;
  tombstoneRetentionSeconds: number;
  sweepIntervalSeconds: number;
  groupCommitMaxBatch: number;
  groupCommitMaxWaitMs: number;
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  /** After an answer sent before the body was read: how long the rest is read and dropped (0: close at once). */
  lingerTimeoutMs: number;
  /** … and how many bytes of it at most; null: four create bodies (engines/linger.ts). */
  lingerMaxBytes: number | null;
  shutdownTimeoutMs: number;
  logLevel: LogLevel;
  /** PROTOCOL.md "Proof of work": never asked, asked under pressure, or asked of every create. */
  proofOfWork: 'off' | 'auto' | 'always';
  /** PBKDF2-SHA256 iterations per attempt, and the attempts: the secret counter is drawn from [0, max). */
  proofOfWorkCost: number;
  proofOfWorkMaxCounter: number;
  /** How long a challenge may be used after it was handed out. */
  proofOfWorkExpirySeconds: number;
}

/** A bad environment variable: the message names it and says what is expected. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const int = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `must be a whole number from ${min} to ${max}`)
    .transform(Number)
    .pipe(z.number().int().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

const bool = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.enum(['true', 'false', '1', '0'], 'must be true or false'))
  .transform((value) => value === 'true' || value === '1');

const text = z.string().trim().min(1, 'must not be empty');

const cidrList = z.string().transform((raw, ctx) => {
  const cidrs: Cidr[] = [];
  for (const item of raw.split(',').map((part) => part.trim())) {
    if (!item) continue;
    const cidr = parseCidr(item);
    if (cidr) cidrs.push(cidr);
    else
      ctx.addIssue({
        code: 'custom',
        message: `must be a comma-separated list of CIDRs such as 127.0.0.1/8,::1/128 ("${item}" is not one)`,
      });
  }
  return cidrs;
});

/** Every variable, checked strictly, with its default as the environment string the README shows. */
const schema = z.object({
  PSST_HOST: text.default('127.0.0.1'),
  PSST_PORT: int(0, 65_535).default(8787),
  PSST_DB_PATH: text.default('./data/psst.db'),
  PSST_METRICS_HOST: text.default('127.0.0.1'),
  PSST_METRICS_PORT: int(0, 65_535).default(9464),
  PSST_HTTP_ENGINE: z.enum(['auto', 'hyper-express', 'node'], 'must be auto, hyper-express or node').default('auto'),
  PSST_STATIC_DIR: text.optional(),
  PSST_TRUSTED_PROXIES: cidrList.default(parseDefaultCidrs('127.0.0.1/8,::1/128')),
  PSST_MAX_TTL_SECONDS: int(MIN_TTL_SECONDS).default(DEFAULT_MAX_TTL_SECONDS),
  PSST_MAX_VIEWS: int(1, 1_000).default(DEFAULT_MAX_VIEWS),
  PSST_MAX_ENVELOPE_BYTES: int(1_024, 64 * 1_048_576).default(DEFAULT_MAX_ENVELOPE_BYTES),
  PSST_CREATE_ENABLED: bool.default(true),
  PSST_RATE_LIMIT_CREATE: int(0, 1_000_000).default(30),
  PSST_RATE_LIMIT_READ: int(0, 1_000_000).default(120),
  PSST_MAX_CONNECTIONS: int(0, 1_000_000).default(512),
  PSST_MAX_CLIENT_REQUESTS: int(0, 1_000_000).default(16),
  PSST_MAX_BUFFERED_BYTES: int(0, 4_294_967_296).default(33_554_432),
  PSST_MAX_ACTIVE_SECRETS: int(1).default(100_000),
  PSST_MAX_STORE_BYTES: int(1).default(1_073_741_824),
  PSST_MAX_TOMBSTONES: int(1).default(200_000),
  PSST_CLIENT_MAX_SECRETS: int(0).default(1_000),
  PSST_CLIENT_MAX_STORE_BYTES: int(0).default(33_554_432),
  PSST_NETWORK_MAX_SECRETS: int(0).default(5_000),
  PSST_NETWORK_MAX_STORE_BYTES: int(0).default(134_217_728),
  PSST_CLIENT_IPV6_PREFIX: int(1, 128).default(64),
  PSST_CLIENT_IPV4_NETWORK_PREFIX: int(1, 32).default(24),
  PSST_CLIENT_IPV6_NETWORK_PREFIX: int(1, 128).default(48),
  PSST_SQLITE_MAX_PAGE_COUNT: int(1).optional(),
  PSST_SQLITE_SYNCHRONOUS: z.enum(['FULL', 'NORMAL'], 'must be FULL or NORMAL').default('FULL'),
  PSST_DATABASE_URL: text.regex(/^postgres(ql)?:\/\/./, 'must be a postgres:// or postgresql:// URL').optional(),
  PSST_DATABASE_POOL_MAX: int(1, 1_000).default(16),
  PSST_DATABASE_TIMEOUT_MS: int(100, 600_000).default(5_000),
  PSST_DATABASE_ALLOW_ASYNC_COMMIT: bool.default(false),
  PSST_TOMBSTONE_RETENTION_SECONDS: int(0).default(DEFAULT_TOMBSTONE_RETENTION_SECONDS),
  PSST_SWEEP_INTERVAL_SECONDS: int(1, 86_400).default(60),
  PSST_GROUP_COMMIT_MAX_BATCH: int(1, 10_000).default(64),
  PSST_GROUP_COMMIT_MAX_WAIT_MS: int(0, 1_000).default(0),
  PSST_HEADERS_TIMEOUT_MS: int(100, 600_000).default(10_000),
  PSST_REQUEST_TIMEOUT_MS: int(100, 600_000).default(30_000),
  PSST_KEEP_ALIVE_TIMEOUT_MS: int(100, 600_000).default(5_000),
  PSST_LINGER_TIMEOUT_MS: int(0, 60_000).default(2_000),
  PSST_LINGER_MAX_BYTES: int(0, 1_073_741_824).optional(),
  PSST_SHUTDOWN_TIMEOUT_MS: int(0, 600_000).default(10_000),
  PSST_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error'], 'must be debug, info, warn or error').default('info'),
  PSST_PROOF_OF_WORK: z.enum(['off', 'auto', 'always'], 'must be off, auto or always').default('auto'),
  PSST_PROOF_OF_WORK_COST: int(1, 1_000_000).default(2_000),
  PSST_PROOF_OF_WORK_MAX_COUNTER: int(2, 10_000_000).default(1_000),
  PSST_PROOF_OF_WORK_EXPIRY_SECONDS: int(1, 600).default(300),
});

/** Every variable the relay reads, in the order of the README's configuration table. */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(schema.shape);

function parseDefaultCidrs(list: string): Cidr[] {
  return list.split(',').map((item) => parseCidr(item) as Cidr);
}

export interface LoadedConfig {
  config: Config;
  /** Things worth a log line at start: unknown PSST_ variables, NORMAL durability. */
  warnings: string[];
}

/** Reads and checks the environment. Throws ConfigError naming the first bad variable. */
export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env): LoadedConfig {
  // An empty value means "unset": the default applies.
  const input: Record<string, string> = {};
  for (const name of Object.keys(schema.shape)) {
    const raw = env[name];
    if (raw !== undefined && raw.trim() !== '') input[name] = raw;
  }
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? 'environment');
    // The database URL may hold a password: its value is never echoed.
    const got = SECRET_VARIABLES.has(name) ? '' : ` (got ${JSON.stringify(input[name] ?? '')})`;
    throw new ConfigError(`${name} ${issue?.message ?? 'is invalid'}${got}`);
  }
  const e = parsed.data;
  if (e.PSST_PORT !== 0 && e.PSST_PORT === e.PSST_METRICS_PORT && e.PSST_HOST === e.PSST_METRICS_HOST) {
    throw new ConfigError('PSST_METRICS_PORT must differ from PSST_PORT: /metrics is never served on the public listener');
  }
  if (e.PSST_CLIENT_IPV6_NETWORK_PREFIX > e.PSST_CLIENT_IPV6_PREFIX) {
    throw new ConfigError(
      `PSST_CLIENT_IPV6_NETWORK_PREFIX must be at most PSST_CLIENT_IPV6_PREFIX: a network holds its clients (got ${e.PSST_CLIENT_IPV6_NETWORK_PREFIX} > ${e.PSST_CLIENT_IPV6_PREFIX})`,
    );
  }
  const warnings: string[] = [];
  const unknown = Object.keys(env).filter((name) => name.startsWith('PSST_') && !(name in schema.shape) && !KNOWN_ELSEWHERE.has(name));
  if (unknown.length) warnings.push(`ignoring unknown variables: ${unknown.sort().join(', ')}`);
  if (e.PSST_DATABASE_ALLOW_ASYNC_COMMIT) {
    warnings.push(
      'PSST_DATABASE_ALLOW_ASYNC_COMMIT=true: with synchronous_commit off a database crash may undo acknowledged reveals; use it for benchmarks only',
    );
  }
  if (e.PSST_SQLITE_SYNCHRONOUS === 'NORMAL') {
    warnings.push(
      'PSST_SQLITE_SYNCHRONOUS=NORMAL: a power cut may undo recent reveals (a one-time secret could be read twice); use it for benchmarks only',
    );
  }
  const config: Config = {
    host: e.PSST_HOST,
    port: e.PSST_PORT,
    dbPath: e.PSST_DB_PATH,
    metricsHost: e.PSST_METRICS_HOST,
    metricsPort: e.PSST_METRICS_PORT,
    httpEngine: e.PSST_HTTP_ENGINE,
    staticDir: e.PSST_STATIC_DIR ?? null,
    trustedProxies: Object.freeze(e.PSST_TRUSTED_PROXIES),
    maxTtlSeconds: e.PSST_MAX_TTL_SECONDS,
    maxViews: e.PSST_MAX_VIEWS,
    maxEnvelopeBytes: e.PSST_MAX_ENVELOPE_BYTES,
    createEnabled: e.PSST_CREATE_ENABLED,
    rateLimitCreate: e.PSST_RATE_LIMIT_CREATE,
    rateLimitRead: e.PSST_RATE_LIMIT_READ,
    maxConnections: e.PSST_MAX_CONNECTIONS,
    maxClientRequests: e.PSST_MAX_CLIENT_REQUESTS,
    maxBufferedBytes: e.PSST_MAX_BUFFERED_BYTES,
    maxActiveSecrets: e.PSST_MAX_ACTIVE_SECRETS,
    maxStoreBytes: e.PSST_MAX_STORE_BYTES,
    maxTombstones: e.PSST_MAX_TOMBSTONES,
    clientMaxSecrets: e.PSST_CLIENT_MAX_SECRETS,
    clientMaxStoreBytes: e.PSST_CLIENT_MAX_STORE_BYTES,
    networkMaxSecrets: e.PSST_NETWORK_MAX_SECRETS,
    networkMaxStoreBytes: e.PSST_NETWORK_MAX_STORE_BYTES,
    clientPrefixes: Object.freeze({
      ipv6Client: e.PSST_CLIENT_IPV6_PREFIX,
      ipv4Network: e.PSST_CLIENT_IPV4_NETWORK_PREFIX,
      ipv6Network: e.PSST_CLIENT_IPV6_NETWORK_PREFIX,
    }),
    sqliteMaxPageCount: e.PSST_SQLITE_MAX_PAGE_COUNT ?? null,
    sqliteSynchronous: e.PSST_SQLITE_SYNCHRONOUS,
    databaseUrl: e.PSST_DATABASE_URL ?? null,
    databasePoolMax: e.PSST_DATABASE_POOL_MAX,
    databaseTimeoutMs: e.PSST_DATABASE_TIMEOUT_MS,
    databaseAllowAsyncCommit: e.PSST_DATABASE_ALLOW_ASYNC_COMMIT,
    tombstoneRetentionSeconds: e.PSST_TOMBSTONE_RETENTION_SECONDS,
    sweepIntervalSeconds: e.PSST_SWEEP_INTERVAL_SECONDS,
    groupCommitMaxBatch: e.PSST_GROUP_COMMIT_MAX_BATCH,
    groupCommitMaxWaitMs: e.PSST_GROUP_COMMIT_MAX_WAIT_MS,
    headersTimeoutMs: e.PSST_HEADERS_TIMEOUT_MS,
    requestTimeoutMs: e.PSST_REQUEST_TIMEOUT_MS,
    keepAliveTimeoutMs: e.PSST_KEEP_ALIVE_TIMEOUT_MS,
    lingerTimeoutMs: e.PSST_LINGER_TIMEOUT_MS,
    lingerMaxBytes: e.PSST_LINGER_MAX_BYTES ?? null,
    shutdownTimeoutMs: e.PSST_SHUTDOWN_TIMEOUT_MS,
    logLevel: e.PSST_LOG_LEVEL,
    proofOfWork: e.PSST_PROOF_OF_WORK,
    proofOfWorkCost: e.PSST_PROOF_OF_WORK_COST,
    proofOfWorkMaxCounter: e.PSST_PROOF_OF_WORK_MAX_COUNTER,
    proofOfWorkExpirySeconds: e.PSST_PROOF_OF_WORK_EXPIRY_SECONDS,
  };
  return { config: Object.freeze(config), warnings };
}

/** Variables whose values must never appear in an error message or a log line. */
const SECRET_VARIABLES = new Set(['PSST_DATABASE_URL']);

/** Variables of the same prefix read by other parts of the project (tests, benchmarks, ops); not a typo. */
const KNOWN_ELSEWHERE = new Set([
  'PSST_CHROMIUM',
  'PSST_RELAY_MAIN',
  'PSST_RELAY_URL',
  'PSST_RELAY_UPSTREAM',
  'PSST_BENCH_DIST',
  'PSST_RESULT',
]);
