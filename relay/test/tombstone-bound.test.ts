// Bounded storage: a loop of 20 000 create-then-delete from one address (the quotas per client off, so the
// store's own bounds are what is tested) leaves at most PSST_MAX_TOMBSTONES tombstones, answers 503
// storage_full past it while reveals and deletes keep working, and keeps the SQLite file under the cap the
// relay derives from its quotas (store/sqlite-bound.ts: what the README states). Small quotas make the bound
// small, so that the loop passes it within seconds; the mechanism is the one of the defaults.
import { statSync } from 'node:fs';
import http from 'node:http';
import { CreateSecretResponse } from '@psst/protocol/api';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORES, useStoreEnv } from '../../test-support/postgres.js';
import { derivedMaxPageCount, PAGE_SIZE } from '../src/store/sqlite-bound.js';
import { createSecret, type Reply, type RunningRelay, request, reveal, sealBody, startRelay } from './support.js';

const LOOP = 20_000;
const CONCURRENCY = 16;
const LIMITS = { maxActiveSecrets: 64, maxStoreBytes: 65_536, maxTombstones: 1_000 };
const ENV = {
  PSST_MAX_ACTIVE_SECRETS: String(LIMITS.maxActiveSecrets),
  PSST_MAX_STORE_BYTES: String(LIMITS.maxStoreBytes),
  PSST_MAX_TOMBSTONES: String(LIMITS.maxTombstones),
  PSST_CLIENT_MAX_SECRETS: '0',
  PSST_CLIENT_MAX_STORE_BYTES: '0',
  PSST_NETWORK_MAX_SECRETS: '0',
  PSST_NETWORK_MAX_STORE_BYTES: '0',
};

describe.each(STORES)('the tombstone bound under a create-delete loop (%s)', (store) => {
  const database = useStoreEnv(store);
  let relay: RunningRelay;
  let url: string | undefined;
  beforeAll(async () => {
    const env = database.env();
    url = env.PSST_DATABASE_URL;
    relay = await startRelay({ engine: 'node', env: { ...env, ...ENV } });
  });
  afterAll(() => relay.stop('SIGTERM'));

  it(`stays within PSST_MAX_TOMBSTONES and the file cap over ${LOOP} create-delete pairs, and keeps serving reads`, {
    timeout: 120_000,
  }, async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const kept = await createSecret(relay.origin, 2, agent);
    const keptToDelete = await createSecret(relay.origin, 1, agent);
    const sealed = await sealBody();
    const statuses = new Map<number, number>();
    let fullReply: Reply | undefined;
    let next = 0;
    const worker = async () => {
      while (next < LOOP) {
        next++;
        const created = await request(relay.origin, '/api/secrets', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: sealed.body,
          agent,
        });
        statuses.set(created.status, (statuses.get(created.status) ?? 0) + 1);
        if (created.status === 503) fullReply ??= created;
        if (created.status !== 201) continue;
        const { id, manageToken } = CreateSecretResponse.parse(created.json);
        const deleted = await request(relay.origin, `/api/secrets/${id}`, {
          method: 'DELETE',
          headers: { authorization: `Bearer ${manageToken}` },
          agent,
        });
        expect(deleted.status).toBe(204);
      }
    };
    try {
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      // What is on disk first: the bound that must hold whatever the answers were.
      if (url === undefined) {
        const cap = derivedMaxPageCount(LIMITS) * PAGE_SIZE;
        const size = statSync(relay.dbPath).size;
        console.log(`tombstone bound: file ${size} bytes, cap ${cap} bytes (${LOOP} pairs)`);
        expect(size).toBeLessThanOrEqual(cap);
      } else {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        try {
          const { rows } = await client.query<{ n: string }>("SELECT count(*) AS n FROM secrets WHERE state <> 'active'");
          // The loop's tombstones (those in flight at the bound included), and the one the delete added past it.
          expect(Number(rows[0]?.n)).toBeLessThanOrEqual(LIMITS.maxTombstones + CONCURRENCY + 1);
        } finally {
          await client.end();
        }
      }
      // Every create until the bound (and those in flight when it was reached), then storage_full naming the tombstones.
      const created = statuses.get(201) ?? 0;
      expect(created).toBeGreaterThanOrEqual(LIMITS.maxTombstones);
      expect(created).toBeLessThan(LIMITS.maxTombstones + CONCURRENCY);
      expect(statuses.get(503)).toBe(LOOP - created);
      expect(fullReply?.json).toMatchObject({ error: 'storage_full', message: expect.stringMatching(/finished secrets/) });
      expect((await request(relay.origin, '/readyz')).status).toBe(503);
      // Past the bound a reveal and a delete still work (each adds a tombstone beyond it).
      expect((await reveal(relay.origin, kept, agent)).status).toBe(200);
      const revoke = await request(relay.origin, `/api/secrets/${keptToDelete.id}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${keptToDelete.manageToken}` },
        agent,
      });
      expect(revoke.status).toBe(204);
    } finally {
      agent.destroy();
    }
  });
});
