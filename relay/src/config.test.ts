import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('applies the documented defaults to an empty environment and freezes the result', () => {
    const { config, warnings } = loadConfig({});
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 8787,
      dbPath: './data/psst.db',
      metricsHost: '127.0.0.1',
      metricsPort: 9464,
      httpEngine: 'auto',
      staticDir: null,
      maxTtlSeconds: 604_800,
      maxViews: 10,
      maxEnvelopeBytes: 1_048_576,
      createEnabled: true,
      rateLimitCreate: 30,
      rateLimitRead: 120,
      sqliteSynchronous: 'FULL',
      tombstoneRetentionSeconds: 86_400,
      groupCommitMaxBatch: 64,
      groupCommitMaxWaitMs: 0,
    });
    expect(config.trustedProxies).toHaveLength(2);
    expect(Object.isFrozen(config)).toBe(true);
    expect(warnings).toEqual([]);
  });

  it('selects PostgreSQL with PSST_DATABASE_URL and never echoes the URL, which may hold a password', () => {
    expect(loadConfig({}).config.databaseUrl).toBeNull();
    const { config, warnings } = loadConfig({
      PSST_DATABASE_URL: 'postgres://psst:hunter2@db.internal:5432/psst?sslmode=verify-full',
      PSST_DATABASE_ALLOW_ASYNC_COMMIT: 'true',
    });
    expect(config).toMatchObject({ databasePoolMax: 16, databaseTimeoutMs: 5_000, databaseAllowAsyncCommit: true });
    expect(config.databaseUrl).toBe('postgres://psst:hunter2@db.internal:5432/psst?sslmode=verify-full');
    expect(warnings.join('\n')).toMatch(/PSST_DATABASE_ALLOW_ASYNC_COMMIT=true.*benchmarks only/);
    expect(() => loadConfig({ PSST_DATABASE_URL: 'mysql://root:hunter2@db' })).toThrow(ConfigError);
    expect(() => loadConfig({ PSST_DATABASE_URL: 'mysql://root:hunter2@db' })).toThrow(
      /^PSST_DATABASE_URL must be a postgres:\/\/ or postgresql:\/\/ URL$/,
    );
  });

  it('reads values, treating an empty value as unset', () => {
    const { config } = loadConfig({
      PSST_PORT: ' 9000 ',
      PSST_CREATE_ENABLED: 'FALSE',
      PSST_STATIC_DIR: '',
      PSST_RATE_LIMIT_READ: '0',
      PSST_TRUSTED_PROXIES: '10.0.0.0/8, fd00::/8',
    });
    expect(config).toMatchObject({ port: 9000, createEnabled: false, staticDir: null, rateLimitRead: 0 });
    expect(config.trustedProxies.map((c) => c.prefix)).toEqual([104, 8]);
  });

  it('names the variable and the expectation on a bad value', () => {
    const bad: [Record<string, string>, string][] = [
      [{ PSST_PORT: '70000' }, 'PSST_PORT must be at most 65535 (got "70000")'],
      [{ PSST_MAX_VIEWS: '1.5' }, 'PSST_MAX_VIEWS must be a whole number from 1 to 1000 (got "1.5")'],
      [{ PSST_CREATE_ENABLED: 'maybe' }, 'PSST_CREATE_ENABLED must be true or false (got "maybe")'],
      [{ PSST_SQLITE_SYNCHRONOUS: 'OFF' }, 'PSST_SQLITE_SYNCHRONOUS must be FULL or NORMAL (got "OFF")'],
      [{ PSST_MAX_TTL_SECONDS: '30' }, 'PSST_MAX_TTL_SECONDS must be at least 60 (got "30")'],
      [{ PSST_PORT: '9464' }, 'PSST_METRICS_PORT must differ from PSST_PORT: /metrics is never served on the public listener'],
    ];
    for (const [env, message] of bad) {
      expect(() => loadConfig(env)).toThrow(ConfigError);
      expect(() => loadConfig(env)).toThrow(message);
    }
  });

  it('warns about unknown PSST_ variables and about NORMAL durability', () => {
    const { warnings } = loadConfig({ PSST_PROT: '1', PSST_SQLITE_SYNCHRONOUS: 'NORMAL', PSST_RELAY_URL: 'x', HOME: '/root' });
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toBe('ignoring unknown variables: PSST_PROT');
    expect(warnings[1]).toMatch(/^PSST_SQLITE_SYNCHRONOUS=NORMAL: a power cut may undo recent reveals/);
  });
});

describe('the README', () => {
  it('lists every variable exactly once in its configuration table', () => {
    const readme = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');
    const rows = readme.split('\n').filter((line) => /^\| `PSST_[A-Z0-9_]+`/.test(line));
    const listed = rows.map((line) => /^\| `(PSST_[A-Z0-9_]+)`/.exec(line)?.[1]);
    expect(listed).toEqual([...CONFIG_VARIABLES]);
  });
});
