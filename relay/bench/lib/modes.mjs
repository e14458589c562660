// The durability modes the benchmark compares (issue 8), and the relay's environment for each.

/** Group commit bounds used for the default mode, for the relay and for its storage ceiling alike. */
export const GROUP_COMMIT = { maxBatch: 64, maxWaitMs: 0 };

/** The durability modes of issue 8. */
export const MODES = {
  'full-group': { synchronous: 'FULL', ...GROUP_COMMIT, label: 'FULL + group commit' },
  'full-1': { synchronous: 'FULL', maxBatch: 1, maxWaitMs: 0, label: 'FULL, 1 commit/request' },
  'normal-1': { synchronous: 'NORMAL', maxBatch: 1, maxWaitMs: 0, label: 'NORMAL, no batching (ceiling)' },
};

/** The relay's environment for one engine and durability mode (names from relay/src/config.ts): loopback, ephemeral ports, no rate limits, per-client cap, proof of work or quotas in the way. */
export function relayEnv(engine, mode, dbPath) {
  const m = MODES[mode];
  if (!m) throw new Error(`unknown mode ${mode} (one of ${Object.keys(MODES).join(', ')})`);
  return {
    PSST_HOST: '127.0.0.1',
    PSST_PORT: '0',
    PSST_METRICS_PORT: '0',
    PSST_DB_PATH: dbPath,
    PSST_HTTP_ENGINE: engine,
    PSST_RATE_LIMIT_CREATE: '0',
    PSST_RATE_LIMIT_READ: '0',
    PSST_MAX_CLIENT_REQUESTS: '0',
    PSST_PROOF_OF_WORK: 'off',
    PSST_MAX_ACTIVE_SECRETS: '10000000',
    PSST_MAX_STORE_BYTES: String(64 * 1024 ** 3),
    // Counted as in production (the per-client quotas on), never refused: every request comes from 127.0.0.1.
    PSST_MAX_TOMBSTONES: '100000000',
    PSST_CLIENT_MAX_SECRETS: '1000000000000',
    PSST_NETWORK_MAX_SECRETS: '1000000000000',
    PSST_CLIENT_MAX_STORE_BYTES: String(64 * 1024 ** 3),
    PSST_NETWORK_MAX_STORE_BYTES: String(64 * 1024 ** 3),
    PSST_SQLITE_SYNCHRONOUS: m.synchronous,
    PSST_GROUP_COMMIT_MAX_BATCH: String(m.maxBatch),
    PSST_GROUP_COMMIT_MAX_WAIT_MS: String(m.maxWaitMs),
    NODE_ENV: 'production',
  };
}
