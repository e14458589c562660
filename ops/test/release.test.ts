// The release install.sh puts under /opt/psst/releases/<rev>: built here by
// the same build-release.sh (Debian instead of Alpine, same commands), then
// started the way the OpenRC service starts it.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RELAY_NODE_FLAGS, startRelay } from '../../test-support/relay';
import { opsDir, repoDir, run } from './support/tools';

const scratch = mkdtempSync(join(tmpdir(), 'psst-ops-release-'));
const release = join(scratch, 'release');
let buildOutput = '';

beforeAll(async () => {
  // pnpm install in a copy of the sources: serialised with the workspace's other pnpm runs.
  const result = await run('flock', ['/tmp/psst-pnpm.lock', 'sh', join(opsDir, 'alpine/build-release.sh'), repoDir, release], {
    timeoutMs: 240_000,
  });
  buildOutput = result.stdout + result.stderr;
  if (result.code !== 0) throw new Error(`build-release.sh failed (${result.code}):\n${buildOutput.slice(-5000)}`);
}, 300_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('a release built by build-release.sh', () => {
  it('has the paths the OpenRC service and the Caddyfile use', () => {
    expect(existsSync(join(release, 'relay/dist/main.js'))).toBe(true);
    expect(existsSync(join(release, 'reveal-page/dist/index.html'))).toBe(true);
    const openrc = readFileSync(join(opsDir, 'alpine/openrc/psst'), 'utf8');
    expect(openrc).toContain(`command_args="${[...RELAY_NODE_FLAGS, '/opt/psst/current/relay/dist/main.js'].join(' ')}"`);
    const caddyConf = readFileSync(join(opsDir, 'alpine/conf.d/psst-caddy'), 'utf8');
    expect(caddyConf).toContain('PSST_WEBROOT=/opt/psst/current/reveal-page/dist');
  });

  it('carries production dependencies only', () => {
    for (const dep of ['better-sqlite3', 'prom-client', 'zod', '@psst/protocol']) {
      expect(existsSync(join(release, 'relay/node_modules', dep)), dep).toBe(true);
    }
    for (const dev of ['typescript', 'vitest', 'autocannon']) expect(existsSync(join(release, 'relay/node_modules', dev)), dev).toBe(false);
  });

  it('starts with node:http, as on Alpine, and answers', async () => {
    const relay = await startRelay({ engine: 'node', main: join(release, 'relay/dist/main.js'), dbPath: join(scratch, 'psst.db') });
    try {
      const line = relay
        .logs()
        .split('\n')
        .find((l) => l.includes('"listening"'));
      expect(line).toBeDefined();
      expect((JSON.parse(line as string) as { engine: string }).engine).toBe('node');
      const res = await fetch(`${relay.origin}/healthz`);
      expect(res.status).toBe(200);
    } finally {
      await relay.stop();
    }
  });
});
