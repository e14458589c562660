// Crash and shutdown: the relay is killed (-9) at random points while creates
// and reveals are in flight, then restarted on the same database. Every create
// that was answered 201 must still be there, and a reveal that was answered 200
// must never be undone (a one-time secret served twice). A graceful SIGTERM
// must answer every request already sent and exit 0. On SQLite (both engines)
// and on PostgreSQL; two relays on one PostgreSQL are in multi-relay.test.ts.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RELAY_SETUPS, useStoreEnv } from '../src/testing/harness.js';
import { drive, newLedger, sealPool, verify } from './ledger.js';
import { groupCommitOff } from './relay-env.js';
import { type Engine, sleep, startRelay, useTempDir } from './support.js';

const KILL_CYCLES = 10;

async function killCycles(engine: Engine, dir: string, cycles: number, env: Record<string, string>) {
  const dbPath = join(dir, `crash-${engine}-${Object.keys(env).length}.db`);
  const ledger = newLedger();
  const pool = await sealPool();
  let answered = 0;
  for (let cycle = 0; cycle < cycles; cycle++) {
    const relay = await startRelay({ engine, dbPath, env });
    try {
      await verify(relay.origin, ledger);
      let killed = false;
      const killer = (async () => {
        await sleep(30 + Math.random() * 250);
        killed = true;
        relay.child.kill('SIGKILL');
      })();
      const stats = await drive([relay.origin], ledger, pool, () => killed);
      await killer;
      await relay.exited;
      answered += stats.answered;
    } finally {
      await relay.stop('SIGKILL');
    }
  }
  const last = await startRelay({ engine, dbPath, env });
  try {
    await verify(last.origin, ledger);
  } finally {
    expect(await last.stop('SIGTERM')).toBe(0);
  }
  return { answered, secrets: ledger.entries.size, served: [...ledger.served.values()].reduce((a, b) => a + b, 0) };
}

describe.each(RELAY_SETUPS)('crash and shutdown ($engine, $store)', ({ engine, store }) => {
  const tmp = useTempDir();
  const database = useStoreEnv(store);

  it('keeps every acknowledged create and never serves an acknowledged last view again across kill -9 (group commit on)', async () => {
    const result = await killCycles(engine, tmp.dir, KILL_CYCLES, database.env());
    // The cycles must have done real work for the checks to mean anything.
    expect(result.secrets).toBeGreaterThan(KILL_CYCLES * 5);
    expect(result.served).toBeGreaterThan(KILL_CYCLES);
  });

  it.runIf(store === 'sqlite')('keeps the same guarantees with one commit per request', async () => {
    const result = await killCycles(engine, tmp.dir, 3, { ...database.env(), ...groupCommitOff });
    expect(result.secrets).toBeGreaterThan(10);
  });

  it('answers every request already sent when stopped with SIGTERM, then exits 0', async () => {
    const dbPath = join(tmp.dir, `sigterm-${engine}.db`);
    const env = database.env();
    const ledger = newLedger();
    const pool = await sealPool();
    let inFlightAtSigterm = 0;
    for (let round = 0; round < 3; round++) {
      const relay = await startRelay({ engine, dbPath, env });
      let stopping = false;
      const stopper = (async () => {
        await sleep(100 + Math.random() * 200);
        stopping = true;
        relay.child.kill('SIGTERM');
      })();
      const stats = await drive([relay.origin], ledger, pool, () => stopping);
      await stopper;
      // One SIGTERM only (a second one may rightly mean "stop now").
      const code = await Promise.race([relay.exited, sleep(15_000).then(() => 'still running after 15 s')]);
      expect(stats.failed, `requests sent before SIGTERM without a complete answer:\n${stats.failed.join('\n')}`).toEqual([]);
      expect(stats.answered).toBe(stats.sent);
      inFlightAtSigterm += stats.answeredAfterStop;
      expect(code, relay.logs().slice(-2000)).toBe(0);
      const check = await startRelay({ engine, dbPath, env });
      try {
        await verify(check.origin, ledger);
      } finally {
        await check.stop('SIGTERM');
      }
    }
    expect(ledger.entries.size).toBeGreaterThan(10);
    // The rounds really had requests in flight when SIGTERM arrived.
    expect(inFlightAtSigterm).toBeGreaterThan(0);
  });
});
