// Two relays (one per engine) on one PostgreSQL database, as behind Caddy with
// two upstreams: races and wrong passphrases split across both never pass the
// secret's limits, quotas are the database's, receipts and tombstones answer
// from either, kill -9 of one relay under load loses nothing acknowledged,
// and a PostgreSQL restart under load is 503s, then service, with no relay
// restarted and nothing acknowledged lost.
import http from 'node:http';
import { join } from 'node:path';
import { CreateSecretResponse } from '@psst/protocol/api';
import { encodeB64u } from '@psst/protocol/b64u';
import { MAX_PASSPHRASE_ATTEMPTS } from '@psst/protocol/limits';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POSTGRES_AVAILABLE, useStoreEnv } from '../../test-support/postgres.js';
import { sealTestSecret, TEST_KDF } from '../../test-support/relay.js';
import { drive, newLedger, sealPool, verify } from './ledger.js';
import {
  type CreatedSecret,
  createSecret,
  ENGINES,
  type Engine,
  look,
  metricValue,
  type RunningRelay,
  request,
  reveal,
  sleep,
  startRelay,
  useTempDir,
} from './support.js';

const KILL_CYCLES = 10;
const json = { 'content-type': 'application/json' };

async function startPair(dir: string, env: Record<string, string>): Promise<RunningRelay[]> {
  return Promise.all(ENGINES.map((engine) => startRelay({ engine, dbPath: join(dir, `${engine}.db`), env })));
}

describe.runIf(POSTGRES_AVAILABLE)('two relays on one PostgreSQL database', () => {
  const tmp = useTempDir();
  const database = useStoreEnv('postgres');

  describe('sharing one database', () => {
    let relays: RunningRelay[];
    beforeAll(async () => {
      relays = await startPair(tmp.dir, { ...database.env(), PSST_MAX_ACTIVE_SECRETS: '60' });
    });
    afterAll(async () => {
      await Promise.all(relays.map((relay) => relay.stop('SIGTERM')));
    });
    const at = (i: number) => relays[i % relays.length] as RunningRelay;

    it('gives exactly `views` envelopes when 50 reveals race across both relays', async () => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 128 });
      try {
        for (const views of [1, 3]) {
          const secrets: CreatedSecret[] = [];
          for (let i = 0; i < 5; i++) secrets.push(await createSecret(at(i).origin, views));
          const replies = await Promise.all(
            secrets.map((secret) => Promise.all(Array.from({ length: 50 }, (_, i) => reveal(at(i).origin, secret, agent)))),
          );
          for (const [index, secret] of secrets.entries()) {
            const answers = replies[index] ?? [];
            const statuses = answers.map((r) => r.status);
            expect(statuses.filter((s) => s === 200).length, `statuses ${statuses.join(',')}`).toBe(secret.views);
            expect(statuses.every((s) => s === 200 || s === 410)).toBe(true);
            const left = answers.filter((r) => r.status === 200).map((r) => (r.json as { viewsLeft: number }).viewsLeft);
            expect(left.sort()).toEqual(Array.from({ length: views }, (_, i) => i));
          }
        }
      } finally {
        agent.destroy();
      }
    });

    it('burns at exactly the fifth wrong passphrase when the attempts are split across both relays', async () => {
      const sealed = await sealTestSecret({ text: 'split attempts', passphrase: 'right', kdf: TEST_KDF });
      const created = await request(at(0).origin, '/api/secrets', { method: 'POST', headers: json, body: JSON.stringify(sealed.body) });
      const { id } = CreateSecretResponse.parse(created.json);
      const wrong = JSON.stringify({ passphraseToken: encodeB64u(new Uint8Array(32).fill(9)) });
      const headers = { ...json, authorization: `Bearer ${sealed.accessToken}` };
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) => request(at(i).origin, `/api/secrets/${id}/reveal`, { method: 'POST', headers, body: wrong })),
      );
      const counted = answers.filter((a) => a.status === 403);
      expect(counted).toHaveLength(MAX_PASSPHRASE_ATTEMPTS - 1);
      expect(counted.map((a) => (a.json as { attemptsLeft: number }).attemptsLeft).sort()).toEqual([1, 2, 3, 4]);
      expect(answers.filter((a) => a.status === 410).every((a) => (a.json as { reason: string }).reason === 'burned')).toBe(true);
      expect(answers.filter((a) => a.status === 410)).toHaveLength(20 - (MAX_PASSPHRASE_ATTEMPTS - 1));
      // The right passphrase, now, on the other relay: gone.
      const right = JSON.stringify({ passphraseToken: sealed.passphraseToken });
      expect((await request(at(1).origin, `/api/secrets/${id}/reveal`, { method: 'POST', headers, body: right })).status).toBe(410);
    });

    it('answers receipts and tombstones from either relay', async () => {
      const secret = await createSecret(at(0).origin, 1);
      const receipt = (relay: RunningRelay) =>
        request(relay.origin, `/api/secrets/${secret.id}/receipt`, { headers: { authorization: `Bearer ${secret.manageToken}` } });
      expect((await receipt(at(1))).json).toMatchObject({ state: 'active', viewsLeft: 1 });
      expect((await reveal(at(1).origin, secret)).status).toBe(200);
      expect((await look(at(0).origin, secret)).json).toMatchObject({ error: 'gone', reason: 'read' });
      expect((await receipt(at(0))).json).toMatchObject({ state: 'read', viewsLeft: 0 });
    });

    it('enforces the quota on the database totals, whichever relay is asked, and both report the same gauge', async () => {
      const active = await metricValue(at(0), 'psst_secrets_active');
      const room = 60 - active;
      const results = await Promise.all(
        Array.from({ length: room + 10 }, async (_, i) => {
          const sealed = await sealTestSecret({ text: `quota ${i}` });
          const body = JSON.stringify(sealed.body);
          // With its length declared, as browsers send it: a chunked body reserves the route's whole limit
          // of the relay's buffered-bytes cap, and 35 of those at once would be refused before the quota.
          const headers = { ...json, 'content-length': String(Buffer.byteLength(body)) };
          return request(at(i).origin, '/api/secrets', { method: 'POST', headers, body });
        }),
      );
      expect(results.filter((r) => r.status === 201)).toHaveLength(room);
      expect(results.filter((r) => r.status === 503).every((r) => (r.json as { error: string }).error === 'storage_full')).toBe(true);
      expect(results.filter((r) => r.status === 503)).toHaveLength(10);
      for (const relay of relays) {
        expect((await request(relay.origin, '/readyz')).json).toMatchObject({ error: 'storage_full' });
        // The database's number, the same on each relay: dashboards take max over relays, not sum.
        expect(await metricValue(relay, 'psst_secrets_active')).toBe(60);
      }
    });
  });

  it(`loses no acknowledged create and revives no acknowledged reveal when one relay is killed -9 under load (${KILL_CYCLES} cycles)`, async () => {
    const env = database.env();
    const ledger = newLedger();
    const pool = await sealPool();
    const relays = await startPair(tmp.dir, env);
    let answered = 0;
    try {
      for (let cycle = 0; cycle < KILL_CYCLES; cycle++) {
        const victim = Math.floor(Math.random() * relays.length);
        const doomed = relays[victim] as RunningRelay;
        let killed = false;
        const killer = (async () => {
          await sleep(30 + Math.random() * 250);
          killed = true;
          doomed.child.kill('SIGKILL');
        })();
        const stats = await drive(
          relays.map((r) => r.origin),
          ledger,
          pool,
          () => killed,
        );
        await killer;
        await doomed.exited;
        answered += stats.answered;
        relays[victim] = await startRelay({ engine: ENGINES[victim] as Engine, dbPath: join(tmp.dir, `kill-${victim}.db`), env });
        // Checked through the relay that was not killed, then through the restarted one.
        await verify((relays[1 - victim] as RunningRelay).origin, ledger);
        await verify((relays[victim] as RunningRelay).origin, ledger);
      }
    } finally {
      await Promise.all(relays.map((relay) => relay.stop('SIGKILL')));
    }
    expect(ledger.entries.size).toBeGreaterThan(KILL_CYCLES * 5);
    expect([...ledger.served.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(KILL_CYCLES);
    expect(answered).toBeGreaterThan(KILL_CYCLES * 10);
  });

  it('answers 503 while PostgreSQL restarts under load, then serves again without a relay restart, losing nothing acknowledged', async () => {
    const env = { ...database.env(), PSST_DATABASE_TIMEOUT_MS: '2000' };
    const ledger = newLedger();
    const pool = await sealPool();
    const relays = await startPair(tmp.dir, env);
    const pids = relays.map((r) => r.pid);
    try {
      let phase: 'before' | 'outage' | 'after' | 'done' = 'before';
      const load = drive(
        relays.map((r) => r.origin),
        ledger,
        pool,
        () => phase === 'done',
        { unavailableOk: true, pauseMs: 5 },
      );
      await sleep(400);
      const before = ledger.entries.size;
      phase = 'outage';
      database.cluster.stop();
      await sleep(800);
      const readiness = await Promise.all(relays.map((relay) => request(relay.origin, '/readyz')));
      database.cluster.start();
      phase = 'after';
      const atRestart = ledger.entries.size;
      await sleep(1_000);
      phase = 'done';
      const stats = await load;
      for (const ready of readiness) expect(ready.json).toMatchObject({ error: 'storage_unavailable' });
      expect(before).toBeGreaterThan(5);
      expect(stats.unavailable, 'the outage was seen as 503s').toBeGreaterThan(0);
      expect(ledger.entries.size, 'creates were acknowledged again after the restart').toBeGreaterThan(atRestart);
      expect(stats.failed, 'every request got an answer').toEqual([]);
      // The same processes: nothing restarted them.
      expect(relays.map((r) => r.child.exitCode)).toEqual([null, null]);
      expect(relays.map((r) => r.pid)).toEqual(pids);
      for (const relay of relays) {
        expect((await request(relay.origin, '/readyz')).status).toBe(200);
        await verify(relay.origin, ledger);
      }
    } finally {
      await Promise.all(relays.map((relay) => relay.stop('SIGTERM')));
    }
  });
});
