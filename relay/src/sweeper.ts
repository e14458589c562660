// The sweeper, on a timer (never on traffic): expires due secrets, purges old
// tombstones and reclaims space through the store, and counts what it did.
// With several relays on one PostgreSQL database the store lets one sweep at a time.
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';
import type { Store } from './store/types.js';

export interface Sweeper {
  /** One run now (also what the timer calls); runs never overlap. */
  runOnce(): Promise<void>;
  stop(): Promise<void>;
}

export function startSweeper(deps: {
  store: Store;
  metrics: Metrics;
  logger: Logger;
  now: () => number;
  intervalMs: number;
  onRun?: () => void;
}): Sweeper {
  const { store, metrics, logger } = deps;
  let running: Promise<void> | null = null;
  const runOnce = () => {
    running ??= (async () => {
      try {
        deps.onRun?.();
        const result = await store.sweep(deps.now());
        // Another relay on the same database swept this time: nothing to count here.
        if (result.skipped) return;
        metrics.expired(result.expired);
        metrics.sweeperRan();
        if (result.expired || result.purged) logger.info('sweep', { expired: result.expired, purged: result.purged });
      } catch (error) {
        logger.error('sweep_failed', { error: error instanceof Error ? error.name : 'unknown' });
      } finally {
        running = null;
      }
    })();
    return running;
  };
  const timer = setInterval(() => void runOnce(), deps.intervalMs);
  timer.unref();
  return {
    runOnce,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
