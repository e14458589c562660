// Assembles a running relay from a Config: the store, the metrics, the core,
// the chosen HTTP engine, the metrics listener and the sweeper. main.ts calls
// it with the real clock; tests call it in-process with a fake one.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type App, createApp } from './app.js';
import { storeQuotas } from './client-key.js';
import type { Config } from './config.js';
import { chooseEngine, startEngine } from './engines/select.js';
import type { RunningEngine } from './engines/types.js';
import type { Logger } from './logger.js';
import { createMetrics, type Metrics } from './metrics.js';
import { type MetricsServer, startMetricsServer } from './metrics-server.js';
import { loadStaticSite } from './static-site.js';
import { openPostgresStore } from './store/postgres-store.js';
import { openStore } from './store/sqlite-store.js';
import type { Store } from './store/types.js';
import { type Sweeper, startSweeper } from './sweeper.js';

export interface RelayServerOptions {
  config: Config;
  logger: Logger;
  /** Epoch milliseconds; Date.now by default. */
  now?: () => number;
}

export interface RelayServer {
  engine: 'hyper-express' | 'node';
  port: number;
  metricsPort: number;
  version: string;
  metrics: Metrics;
  store: Store;
  app: App;
  sweeper: Sweeper;
  /** Stops accepting, finishes in-flight requests, stops the sweeper, closes the database. */
  close(): Promise<void>;
}

export function readVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: unknown };
  return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
}

/** SQLite at PSST_DB_PATH, or PostgreSQL at PSST_DATABASE_URL when it is set. */
async function openConfiguredStore(config: Config, metrics: Metrics, logger: Logger): Promise<Store> {
  const common = {
    maxActiveSecrets: config.maxActiveSecrets,
    maxStoreBytes: config.maxStoreBytes,
    ...storeQuotas(config),
    tombstoneRetentionMs: config.tombstoneRetentionSeconds * 1000,
    observer: metrics.storeObserver,
  };
  if (config.databaseUrl === null) {
    return openStore({
      ...common,
      path: config.dbPath,
      groupCommit: { maxBatch: config.groupCommitMaxBatch, maxWaitMs: config.groupCommitMaxWaitMs },
      synchronous: config.sqliteSynchronous,
      ...(config.sqliteMaxPageCount === null ? {} : { maxPageCount: config.sqliteMaxPageCount }),
    });
  }
  return openPostgresStore({
    ...common,
    url: config.databaseUrl,
    poolMax: config.databasePoolMax,
    queryTimeoutMs: config.databaseTimeoutMs,
    allowAsyncCommit: config.databaseAllowAsyncCommit,
    onAvailability(up, reason) {
      metrics.databaseUp(up);
      if (up) logger.warn('database_available', { reason });
      else logger.error('database_unavailable', { reason });
    },
  });
}

export async function startRelayServer(options: RelayServerOptions): Promise<RelayServer> {
  const { config, logger } = options;
  const now = options.now ?? Date.now;
  const version = readVersion();
  const engine = chooseEngine(config.httpEngine, logger);
  const metrics = createMetrics({ version, engine, store: config.databaseUrl === null ? 'sqlite' : 'postgres' });
  const staticSite = config.staticDir ? loadStaticSite(resolve(config.staticDir)) : null;
  const store = await openConfiguredStore(config, metrics, logger);
  metrics.setStatsSource(() => store.stats());
  const app = createApp({ config, store, metrics, logger, now, engine, staticSite });

  let http: RunningEngine | undefined;
  let metricsServer: MetricsServer | undefined;
  try {
    http = await startEngine(
      engine,
      app,
      {
        host: config.host,
        port: config.port,
        headersTimeoutMs: config.headersTimeoutMs,
        requestTimeoutMs: config.requestTimeoutMs,
        keepAliveTimeoutMs: config.keepAliveTimeoutMs,
        lingerTimeoutMs: config.lingerTimeoutMs,
        lingerMaxBytes: config.lingerMaxBytes,
        maxConnections: config.maxConnections,
      },
      logger,
    );
    metricsServer = await startMetricsServer(metrics.registry, config.metricsHost, config.metricsPort, logger);
  } catch (error) {
    await http?.close(0);
    await store.close();
    throw error;
  }
  const sweeper = startSweeper({
    store,
    metrics,
    logger,
    now,
    intervalMs: config.sweepIntervalSeconds * 1000,
    onRun: () => app.pruneRateLimits(),
  });
  const running = http;
  const metricsListener = metricsServer;
  let closing: Promise<void> | undefined;

  return {
    engine,
    port: running.port,
    metricsPort: metricsListener.port,
    version,
    metrics,
    store,
    app,
    sweeper,
    close() {
      closing ??= (async () => {
        await running.close(config.shutdownTimeoutMs);
        await sweeper.stop();
        await metricsListener.close();
        await store.close();
      })();
      return closing;
    },
  };
}
