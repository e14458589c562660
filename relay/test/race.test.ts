// Races: bursts of concurrent reveals of the same secret, over many secrets at
// once and in repeated rounds, never get more envelopes than the secret's views
// (on SQLite and on PostgreSQL; across two relays in multi-relay.test.ts).
import http from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RELAY_SETUPS, useStoreEnv } from '../src/testing/harness.js';
import { type CreatedSecret, createSecret, type RunningRelay, reveal, startRelay, useTempDir } from './support.js';

const ROUNDS = 3;
const SECRETS_PER_VIEWS = 6;
const BURST = 16;

describe.each(RELAY_SETUPS)('reveal races ($engine, $store)', ({ engine, store }) => {
  const tmp = useTempDir();
  const database = useStoreEnv(store);
  let relay: RunningRelay;
  beforeAll(async () => {
    relay = await startRelay({ engine, dbPath: join(tmp.dir, 'psst.db'), env: database.env() });
  });
  afterAll(async () => {
    await relay?.stop('SIGTERM');
  });

  it('gives exactly `views` envelopes to a burst of concurrent reveals, across many secrets at once', async () => {
    // Many sockets, so the bursts really arrive together.
    const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
    try {
      for (let round = 0; round < ROUNDS; round++) {
        const secrets: CreatedSecret[] = [];
        for (const views of [1, 3]) {
          for (let i = 0; i < SECRETS_PER_VIEWS; i++) secrets.push(await createSecret(relay.origin, views));
        }
        const replies = await Promise.all(
          secrets.map((secret) => Promise.all(Array.from({ length: BURST }, () => reveal(relay.origin, secret, agent)))),
        );
        secrets.forEach((secret, index) => {
          const statuses = (replies[index] ?? []).map((r) => r.status);
          const served = statuses.filter((s) => s === 200).length;
          expect(served, `secret with ${secret.views} views: statuses ${statuses.join(',')}`).toBe(secret.views);
          expect(statuses.every((s) => s === 200 || s === 410)).toBe(true);
          const left = (replies[index] ?? []).filter((r) => r.status === 200).map((r) => (r.json as { viewsLeft: number }).viewsLeft);
          // Each success saw a different count: views-1, ..., 0.
          expect(left.sort()).toEqual(Array.from({ length: secret.views }, (_, i) => i));
        });
      }
    } finally {
      agent.destroy();
    }
  });
});
