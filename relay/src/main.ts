// The relay's entry point: reads the configuration, starts the server, logs
// one `listening` line (tests and scripts read the ports from it), and shuts
// down cleanly on SIGTERM/SIGINT.
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { startRelayServer } from './server.js';

async function main(): Promise<void> {
  let loaded: ReturnType<typeof loadConfig>;
  try {
    loaded = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`psst relay: invalid configuration: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const { config, warnings } = loaded;
  const logger = createLogger(config.logLevel);
  for (const warning of warnings) logger.warn('config_warning', { message: warning });

  process.on('uncaughtException', (error) => {
    logger.error('uncaught_exception', { error: error.name, stack: error.stack?.split('\n').slice(1, 8).join('\n') });
    process.exit(1);
  });

  const relay = await startRelayServer({ config, logger });
  logger.lifecycle('listening', {
    engine: relay.engine,
    host: config.host,
    port: relay.port,
    metricsHost: config.metricsHost,
    metricsPort: relay.metricsPort,
    static: config.staticDir !== null,
    version: relay.version,
    pid: process.pid,
  });

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) {
      // A repeated SIGTERM (supervisors, test harnesses) changes nothing; a second Ctrl-C means "now".
      if (signal === 'SIGINT') process.exit(130);
      logger.info('already_shutting_down', { signal });
      return;
    }
    stopping = true;
    logger.lifecycle('shutting_down', { signal });
    relay.close().then(
      () => {
        logger.lifecycle('stopped', { signal });
        process.exit(0);
      },
      (error: unknown) => {
        logger.error('shutdown_failed', { error: error instanceof Error ? error.name : 'unknown' });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

main().catch((error: unknown) => {
  process.stderr.write(`psst relay: could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
