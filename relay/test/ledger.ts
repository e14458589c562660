// The ledger the fault tests keep: every create answered 201 and every reveal
// answered 200, driven from keep-alive connections against one or several
// relays, then checked against what a relay answers after a crash, a restart
// or an outage: no acknowledged create lost, no acknowledged last view undone.
import http from 'node:http';
import { expect } from 'vitest';
import { look, type Reply, request, reveal, type SealedBody, sealBody } from './support.js';

export interface Entry {
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

export interface Ledger {
  entries: Map<string, Entry>;
  /** 200 answers per id over the whole test, across restarts. */
  served: Map<string, number>;
}

const WORKERS = 12;

export function newLedger(): Ledger {
  return { entries: new Map(), served: new Map() };
}

export async function sealPool(): Promise<Record<1 | 3, SealedBody[]>> {
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
 * Creates and reveals from WORKERS keep-alive connections, each request to one of `origins` at random,
 * until `stop()` says so. Returns the requests sent and how many of them got a complete answer. With
 * `unavailableOk`, a 503 storage_unavailable is a valid answer: a create not acknowledged, a reveal that
 * may or may not have counted.
 */
export async function drive(
  origins: readonly string[],
  ledger: Ledger,
  pool: Record<1 | 3, SealedBody[]>,
  stop: () => boolean,
  options: { unavailableOk?: boolean; pauseMs?: number } = {},
) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: WORKERS });
  // answeredAfterStop: answers that arrived after stop() turned true, i.e. requests in flight at the kill or SIGTERM.
  const stats = { sent: 0, answered: 0, answeredAfterStop: 0, unavailable: 0, failed: [] as string[] };
  const pick = () => origins[Math.floor(Math.random() * origins.length)] as string;
  const unavailable = (reply: Reply) => {
    if (!options.unavailableOk || reply.status !== 503) return false;
    expect((reply.json as { error?: string }).error, reply.text).toBe('storage_unavailable');
    stats.unavailable++;
    return true;
  };
  const live = () => [...ledger.entries.values()].filter((e) => !e.done && e.acked + e.unknown < e.views);
  async function worker() {
    while (!stop()) {
      if (options.pauseMs) await new Promise((resolve) => setTimeout(resolve, options.pauseMs));
      const origin = pick();
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
        if (unavailable(reply)) continue;
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
        stats.answered++;
        if (stop()) stats.answeredAfterStop++;
        if (unavailable(reply)) continue; // stays counted as unknown
        entry.unknown--;
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
export async function verify(origin: string, ledger: Ledger): Promise<void> {
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
