// Crash and shutdown: the relay is killed (-9) at random points while creates
// and reveals are in flight, then restarted on the same database. Every create
// that was answered 201 must still be there, and a reveal that was answered 200
// must never be undone (a one-time secret served twice). A graceful SIGTERM
// must answer every request already sent and exit 0.
import http from 'node:http';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { groupCommitOff } from './relay-env.js';
import {
  ENGINES,
  type Engine,
  look,
  type Reply,
  request,
  reveal,
  type SealedBody,
  sealBody,
  sleep,
  startRelay,
  useTempDir,
} from './support.js';

interface Entry {
  id: string;
  accessToken: string;
  views: number;
  /** Reveals answered 200. */
  acked: number;
  /** Reveals sent whose answer never came (the relay died): each may or may not have counted. */
  unknown: number;
  /** Known to be read out: a look after a restart answered 410. */
  done: boolean;
}

interface Ledger {
  entries: Map<string, Entry>;
  /** 200 answers per id over the whole test, across restarts. */
  served: Map<string, number>;
}

const KILL_CYCLES = 10;
const WORKERS = 12;

function newLedger(): Ledger {
  return { entries: new Map(), served: new Map() };
}

async function sealPool(): Promise<Record<1 | 3, SealedBody[]>> {
  const pool: Record<1 | 3, SealedBody[]> = { 1: [], 3: [] };
  for (let i = 0; i < 16; i++) {
    pool[1].push(await sealBody(1));
    pool[3].push(await sealBody(3));
  }
  return pool;
}

function recordServed(ledger: Ledger, entry: Entry): void {
  const served = (ledger.served.get(entry.id) ?? 0) + 1;
  ledger.served.set(entry.id, served);
  // The invariant, checked the moment it could break.
  expect(served, `secret ${entry.id} (views ${entry.views}) was served ${served} times`).toBeLessThanOrEqual(entry.views);
}

/**
 * Creates and reveals from WORKERS keep-alive connections until `stop()` says so.
 * Returns the requests sent and how many of them got a complete answer.
 */
async function drive(origin: string, ledger: Ledger, pool: Record<1 | 3, SealedBody[]>, stop: () => boolean) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: WORKERS });
  // answeredAfterStop: answers that arrived after stop() turned true, i.e. requests in flight at the kill or SIGTERM.
  const stats = { sent: 0, answered: 0, answeredAfterStop: 0, failed: [] as string[] };
  const live = () => [...ledger.entries.values()].filter((e) => !e.done && e.acked + e.unknown < e.views);
  async function worker() {
    while (!stop()) {
      const candidates = live();
      const createNext = candidates.length < 4 || Math.random() < 0.5;
      stats.sent++;
      if (createNext) {
        const views = Math.random() < 0.7 ? 1 : 3;
        const sealed = pool[views][Math.floor(Math.random() * pool[views].length)] as SealedBody;
        let reply: Reply;
        try {
          reply = await request(origin, '/api/secrets', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: sealed.body,
            agent,
          });
        } catch (error) {
          stats.failed.push(`create: ${(error as Error).message}`);
          continue;
        }
        stats.answered++;
        if (stop()) stats.answeredAfterStop++;
        expect(reply.status, reply.text).toBe(201);
        const id = (reply.json as { id: string }).id;
        ledger.entries.set(id, { id, accessToken: sealed.accessToken, views, acked: 0, unknown: 0, done: false });
      } else {
        const entry = candidates[Math.floor(Math.random() * candidates.length)] as Entry;
        entry.unknown++;
        let reply: Reply;
        try {
          reply = await reveal(origin, entry, agent);
        } catch (error) {
          stats.failed.push(`reveal: ${(error as Error).message}`);
          continue; // stays counted as unknown
        }
        entry.unknown--;
        stats.answered++;
        if (stop()) stats.answeredAfterStop++;
        // Only secrets with views left are revealed here (verify() reconciled the unknown ones).
        expect(reply.status, `reveal of ${JSON.stringify(entry)}: ${reply.text}`).toBe(200);
        entry.acked++;
        recordServed(ledger, entry);
      }
    }
  }
  await Promise.all(Array.from({ length: WORKERS }, worker));
  agent.destroy();
  return stats;
}

/** After a restart: every acknowledged create is there, every acknowledged last view stays read. */
async function verify(origin: string, ledger: Ledger): Promise<void> {
  const entries = [...ledger.entries.values()];
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  for (let i = 0; i < entries.length; i += 8) {
    await Promise.all(
      entries.slice(i, i + 8).map(async (entry) => {
        const reply = await look(origin, entry, agent);
        const maxLeft = entry.views - entry.acked;
        const minLeft = maxLeft - entry.unknown;
        if (reply.status === 200) {
          const { viewsLeft } = reply.json as { viewsLeft: number };
          expect(entry.done, `secret ${entry.id} answered 410 before the restart but 200 after`).toBe(false);
          expect(viewsLeft, `views left of ${entry.id}`).toBeLessThanOrEqual(maxLeft);
          expect(viewsLeft, `views left of ${entry.id}`).toBeGreaterThanOrEqual(minLeft);
          // Reveals that never got an answer but did count are now known.
          entry.acked = entry.views - viewsLeft;
          entry.unknown = 0;
        } else {
          expect(reply.status, `look of acknowledged secret ${entry.id}: ${reply.text}`).toBe(410);
          expect((reply.json as { reason: string }).reason).toBe('read');
          // The first time it is seen gone, unanswered reveals must account for the views not answered.
          if (!entry.done) {
            expect(minLeft, `secret ${entry.id} is gone but only ${entry.acked} of ${entry.views} views were answered`).toBeLessThanOrEqual(
              0,
            );
          }
          entry.done = true;
          entry.unknown = 0;
        }
        if (entry.acked >= entry.views || entry.done) {
          // The last view was answered: the envelope must never come back.
          const again = await reveal(origin, entry, agent);
          expect(again.status, `reveal of read-out secret ${entry.id}: ${again.text}`).toBe(410);
        }
      }),
    );
  }
  agent.destroy();
}

async function killCycles(engine: Engine, dir: string, cycles: number, env: Record<string, string> = {}) {
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
      const stats = await drive(relay.origin, ledger, pool, () => killed);
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

describe.each(ENGINES)('crash and shutdown (%s)', (engine) => {
  const tmp = useTempDir();

  it('keeps every acknowledged create and never serves an acknowledged last view again across kill -9 (group commit on)', async () => {
    const result = await killCycles(engine, tmp.dir, KILL_CYCLES);
    // The cycles must have done real work for the checks to mean anything.
    expect(result.secrets).toBeGreaterThan(KILL_CYCLES * 5);
    expect(result.served).toBeGreaterThan(KILL_CYCLES);
  });

  it('keeps the same guarantees with one commit per request', async () => {
    const result = await killCycles(engine, tmp.dir, 3, groupCommitOff);
    expect(result.secrets).toBeGreaterThan(10);
  });

  it('answers every request already sent when stopped with SIGTERM, then exits 0', async () => {
    const dbPath = join(tmp.dir, `sigterm-${engine}.db`);
    const ledger = newLedger();
    const pool = await sealPool();
    let inFlightAtSigterm = 0;
    for (let round = 0; round < 3; round++) {
      const relay = await startRelay({ engine, dbPath });
      let stopping = false;
      const stopper = (async () => {
        await sleep(100 + Math.random() * 200);
        stopping = true;
        relay.child.kill('SIGTERM');
      })();
      const stats = await drive(relay.origin, ledger, pool, () => stopping);
      await stopper;
      // One SIGTERM only (a second one may rightly mean "stop now").
      const code = await Promise.race([relay.exited, sleep(15_000).then(() => 'still running after 15 s')]);
      expect(stats.failed, `requests sent before SIGTERM without a complete answer:\n${stats.failed.join('\n')}`).toEqual([]);
      expect(stats.answered).toBe(stats.sent);
      inFlightAtSigterm += stats.answeredAfterStop;
      expect(code, relay.logs().slice(-2000)).toBe(0);
      const check = await startRelay({ engine, dbPath });
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
