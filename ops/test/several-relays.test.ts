// Several relays behind one Caddy, as ops/caddy/several-relays.env sets it up:
// two real relays on one real PostgreSQL database, the production Caddyfile
// with both upstreams. Secrets created through Caddy are revealed through it
// after the relay that took them is killed -9, and creation goes on: once the
// health check has taken the dead relay out, Caddy sends everything to the
// other, which reads the same database.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POSTGRES_AVAILABLE, useStoreEnv } from '../../test-support/postgres';
import { createTestSecret, killAllRelays, type RunningRelay, startRelay, type TestSecret } from '../../test-support/relay';
import { type Daemon, opsDir, startCaddy, waitFor } from './support/tools';

/** The `export NAME=value` lines of several-relays.env. */
function readEnvFile(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const match of readFileSync(join(opsDir, 'caddy/several-relays.env'), 'utf8').matchAll(/^export (\w+)="?([^"\n]*)"?$/gm)) {
    env[match[1] as string] = match[2] as string;
  }
  return env;
}

async function createdCount(relay: RunningRelay): Promise<number> {
  const text = await (await fetch(`${relay.metricsOrigin}/metrics`)).text();
  return Number(/^psst_secrets_created_total (\d+)/m.exec(text)?.[1] ?? Number.NaN);
}

describe.runIf(POSTGRES_AVAILABLE)('two relays on one PostgreSQL database behind Caddy', () => {
  const database = useStoreEnv('postgres');
  const scratch = mkdtempSync(join(tmpdir(), 'psst-ops-relays-'));
  let relays: RunningRelay[] = [];
  let caddy: { daemon: Daemon; origin: string };

  beforeAll(async () => {
    const env = database.env();
    relays = await Promise.all(['hyper-express', 'node'].map((engine) => startRelay({ engine: engine as 'node', env })));
    const settings = readEnvFile();
    expect(settings.PSST_RELAY_UPSTREAM?.split(' ')).toHaveLength(2);
    caddy = await startCaddy({
      scratch,
      upstream: relays.map((relay) => new URL(relay.origin).host).join(' '),
      webroot: scratch,
      accessLog: join(scratch, 'access.log'),
      env: { ...settings, PSST_RELAY_UPSTREAM: relays.map((relay) => new URL(relay.origin).host).join(' ') },
    });
  });

  afterAll(async () => {
    await caddy?.daemon.stop();
    await killAllRelays();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('keeps serving every secret through Caddy when the relay that created them is killed -9', async () => {
    const secrets: TestSecret[] = [];
    for (let i = 0; i < 10; i++) secrets.push(await createTestSecret(caddy.origin, { text: `secret ${i}`, views: 1 }));
    // ip_hash keeps this client on one relay: the one whose counter moved.
    const counts = await Promise.all(relays.map(createdCount));
    const taker = counts.indexOf(10);
    expect(counts.sort()).toEqual([0, 10]);
    relays[taker]?.child.kill('SIGKILL');
    await relays[taker]?.exited;
    // Within a health interval or two (1 s) Caddy answers from the other relay again.
    const more = await waitFor(
      'a create through Caddy after the kill',
      async () => {
        try {
          return await createTestSecret(caddy.origin, { text: 'after the kill' });
        } catch {
          return undefined;
        }
      },
      10_000,
      250,
    );
    expect(more.id).toHaveLength(22);

    for (const secret of secrets) {
      const answer = await fetch(`${caddy.origin}/api/secrets/${secret.id}/reveal`, {
        method: 'POST',
        headers: { authorization: `Bearer ${secret.accessToken}`, 'content-type': 'application/json' },
        body: '{}',
      });
      expect(answer.status, await answer.clone().text()).toBe(200);
    }
    expect(await createdCount(relays[1 - taker] as RunningRelay)).toBe(1);
  });
});
