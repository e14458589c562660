// Per-client and per-network quotas against the built relay, on SQLite and PostgreSQL and both engines: one
// client (an IPv6 /64) fills its quota, then 100 /64s of one /48 fill their network's, while a client elsewhere
// still creates and reveals keep working. The relay believes X-Forwarded-For from loopback (its default
// PSST_TRUSTED_PROXIES), which is how one test process speaks for many addresses.
import http from 'node:http';
import { CreateSecretResponse } from '@psst/protocol/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POSTGRES_AVAILABLE, STORES, useStoreEnv } from '../../test-support/postgres.js';
import { ENGINES, type Reply, type RunningRelay, rejectedCount, request, reveal, sealBody, startRelay } from './support.js';

const CLIENT_MAX = 5;
const NETWORK_MAX = 30;
const SUBNETS = 100;

describe.each(STORES)('per-client and per-network quotas (%s)', (store) => {
  const database = useStoreEnv(store);
  const relays: RunningRelay[] = [];
  let agent: http.Agent;
  beforeAll(async () => {
    agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
    for (const engine of ENGINES) {
      relays.push(
        await startRelay({
          engine,
          env: { ...database.env(), PSST_CLIENT_MAX_SECRETS: String(CLIENT_MAX), PSST_NETWORK_MAX_SECRETS: String(NETWORK_MAX) },
        }),
      );
    }
  });
  afterAll(async () => {
    agent.destroy();
    await Promise.all(relays.splice(0).map((relay) => relay.stop('SIGTERM')));
  });

  it.each(ENGINES.map((engine, index) => [engine, index] as const))(
    'refuses one client, then one /48 of 100 /64s, with 429 naming the quota, while another client creates (%s)',
    { timeout: 60_000 },
    async (_engine, index) => {
      const relay = relays[index] as RunningRelay;
      const sealed = await sealBody();
      const create = (from: string): Promise<Reply> =>
        request(relay.origin, '/api/secrets', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': from },
          body: sealed.body,
          agent,
        });

      // One client: an IPv6 /64 (any address in it is the same client).
      const mine: Reply[] = [];
      for (let i = 1; i <= CLIENT_MAX; i++) mine.push(await create(`2001:db8:a:1::${i.toString(16)}`));
      expect(mine.map((r) => r.status)).toEqual(Array(CLIENT_MAX).fill(201));
      const refused = await create('2001:db8:a:1:ffff::1');
      expect(refused.status, refused.text).toBe(429);
      expect(refused.json).toMatchObject({ error: 'rate_limited', retryAfter: 3600 });
      expect((refused.json as { message: string }).message).toMatch(/^Your address has as many secrets/);
      expect(refused.headers['retry-after']).toBe('3600');

      // A quota refusal never refuses a reveal; and the read secret still counts until its tombstone is purged.
      const first = CreateSecretResponse.parse(mine[0]?.json);
      expect((await reveal(relay.origin, { id: first.id, accessToken: sealed.accessToken }, agent)).status).toBe(200);
      expect((await create('2001:db8:a:1::99')).status).toBe(429);

      // 100 /64s of one /48, one create each: the network's quota stops them after NETWORK_MAX.
      const network: Reply[] = [];
      for (let i = 0; i < SUBNETS; i++) network.push(await create(`2001:db8:b:${i.toString(16)}::1`));
      expect(network.filter((r) => r.status === 201)).toHaveLength(NETWORK_MAX);
      expect(network.slice(0, NETWORK_MAX).every((r) => r.status === 201)).toBe(true);
      const over = network.slice(NETWORK_MAX);
      expect(over.every((r) => r.status === 429)).toBe(true);
      for (const reply of over) expect((reply.json as { message: string }).message).toMatch(/^Your network .* as many secrets/);

      // Another client, in another /48, and an IPv4 client, still create.
      expect((await create('2001:db8:c:1::1')).status).toBe(201);
      expect((await create('198.51.100.7')).status).toBe(201);
      expect((await create('198.51.100.8')).status).toBe(201);

      expect(await rejectedCount(relay, 'client_quota')).toBe(2);
      expect(await rejectedCount(relay, 'network_quota')).toBe(SUBNETS - NETWORK_MAX);
      expect(await rejectedCount(relay, 'storage_full')).toBe(0);
      // The relay logs no address, in clear or hashed.
      expect(relay.logs()).not.toMatch(/2001:db8|198\.51\.100|20010db8/);
    },
  );
});

describe.runIf(POSTGRES_AVAILABLE)('per-client quotas across two relays on one PostgreSQL database', () => {
  const database = useStoreEnv('postgres');

  it('holds one client to its quota whichever relay it asks, with creates racing on both', { timeout: 60_000 }, async () => {
    const env = { ...database.env(), PSST_CLIENT_MAX_SECRETS: String(CLIENT_MAX), PSST_NETWORK_MAX_SECRETS: String(NETWORK_MAX) };
    const pair = await Promise.all(ENGINES.map((engine) => startRelay({ engine, env })));
    try {
      const sealed = await sealBody();
      const replies = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          request((pair[i % 2] as RunningRelay).origin, '/api/secrets', {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-forwarded-for': `2001:db8:d:1::${(i + 1).toString(16)}` },
            body: sealed.body,
          }),
        ),
      );
      const statuses = replies.map((r) => r.status);
      expect(statuses.filter((s) => s === 201)).toHaveLength(CLIENT_MAX);
      expect(statuses.filter((s) => s === 429)).toHaveLength(40 - CLIENT_MAX);
    } finally {
      await Promise.all(pair.map((relay) => relay.stop('SIGTERM')));
    }
  });
});
