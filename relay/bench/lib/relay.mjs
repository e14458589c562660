// One built relay (relay/dist/main.js) in a child process, unpinned, on a SQLite file of its own, with the
// deployed V8 flags and no rate limits: the relay that pow.mjs and scripts/rss.mjs measure. (run.mjs pins
// its relays to a core and configures them per durability mode: lib/modes.mjs.)
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnTracked, stopChild, waitForListening } from './children.mjs';
import { RELAY_NODE_FLAGS } from './node-flags.mjs';

const MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

/**
 * Starts the relay with `env` over these defaults (names from relay/src/config.ts) and resolves once it
 * listens: `child` (for /proc/<pid>), `port`, `origin`, and `stop()`, which sends SIGTERM, waits for the
 * exit, removes the database and resolves the exit code.
 */
export async function startBenchRelay(env = {}) {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run pnpm build first`);
  const dir = mkdtempSync(join(tmpdir(), 'psst-bench-relay-'));
  const child = spawnTracked(process.execPath, [...RELAY_NODE_FLAGS, MAIN], {
    env: {
      PSST_PORT: '0',
      PSST_METRICS_PORT: '0',
      PSST_DB_PATH: join(dir, 'psst.db'),
      PSST_RATE_LIMIT_CREATE: '0',
      PSST_RATE_LIMIT_READ: '0',
      PSST_LOG_LEVEL: 'warn',
      ...env,
    },
    // Its log (stdout) is read for the port; what it says on stderr (a crash) shows beside the benchmark's.
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const stop = async () => {
    const code = await stopChild(child);
    rmSync(dir, { recursive: true, force: true });
    return code;
  };
  try {
    const { port } = await waitForListening(child);
    return { child, port, origin: `http://127.0.0.1:${port}`, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
