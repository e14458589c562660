// Slow and greedy clients: connections that trickle their headers or body, sit
// idle, or pipeline requests and never read the answers. Normal clients keep
// being served meanwhile; the relay cuts the slow ones with its timeouts; file
// descriptors and memory come back to where they were.
import net from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SLOW_CLIENT_CUT_MS, shortTimeouts } from './relay-env.js';
import {
  createSecret,
  ENGINES,
  look,
  openFds,
  type RunningRelay,
  reveal,
  rssBytes,
  sleep,
  startRelay,
  useTempDir,
  waitUntil,
} from './support.js';

const TRICKLE_HEADERS = 40;
const TRICKLE_BODIES = 30;
const IDLE = 20;
const GREEDY = 10;
const PIPELINED = 500;
const NORMAL_ROUNDS = 25;

interface SlowClient {
  kind: string;
  socket: net.Socket;
  closedByServer: boolean;
  stop(): void;
}

function openSlow(port: number, kind: string, first: string, drip: string | undefined): SlowClient {
  const socket = net.connect(port, '127.0.0.1');
  const client: SlowClient = { kind, socket, closedByServer: false, stop: () => {} };
  socket.on('error', () => {});
  socket.on('close', () => {
    client.closedByServer = true;
    clearInterval(timer);
  });
  // Read whatever the relay answers (a 408), so its close is seen.
  socket.resume();
  socket.write(first);
  // One byte every 200 ms: alive, but far too slow to finish.
  let at = 0;
  const timer = drip
    ? setInterval(() => {
        if (!socket.destroyed) socket.write(drip[at++ % drip.length] as string);
      }, 200)
    : undefined;
  client.stop = () => {
    clearInterval(timer);
    socket.destroy();
  };
  return client;
}

function openGreedy(port: number): SlowClient {
  const socket = net.connect(port, '127.0.0.1');
  const client: SlowClient = { kind: 'greedy', socket, closedByServer: false, stop: () => socket.destroy() };
  socket.on('error', () => {});
  socket.on('close', () => {
    client.closedByServer = true;
  });
  // Many pipelined requests, and the answers are never read.
  socket.pause();
  const one = `GET /api/secrets/AAAAAAAAAAAAAAAAAAAAAA HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${'A'.repeat(43)}\r\n\r\n`;
  socket.write(one.repeat(PIPELINED));
  return client;
}

describe.each(ENGINES)('slow and greedy clients (%s)', (engine) => {
  const tmp = useTempDir();
  let relay: RunningRelay;
  let port: number;
  beforeAll(async () => {
    relay = await startRelay({ engine, dbPath: join(tmp.dir, 'psst.db'), env: shortTimeouts });
    port = Number(new URL(relay.origin).port);
  });
  afterAll(async () => {
    await relay?.stop('SIGTERM');
  });

  it('keeps serving normal clients, cuts the slow ones, and returns to its baseline of fds and memory', async () => {
    for (let i = 0; i < 10; i++) {
      const secret = await createSecret(relay.origin);
      await reveal(relay.origin, secret);
    }
    await sleep(200);
    const baselineFds = openFds(relay.pid);
    const baselineRss = rssBytes(relay.pid);

    const slow: SlowClient[] = [];
    const header = 'POST /api/secrets HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n';
    for (let i = 0; i < TRICKLE_HEADERS; i++) slow.push(openSlow(port, 'trickle-headers', `${header}X-Slow: `, 'abcdefghij'));
    for (let i = 0; i < TRICKLE_BODIES; i++)
      slow.push(openSlow(port, 'trickle-body', `${header}Content-Length: 4000\r\n\r\n{"envelope":"`, 'AAAAAAAAAA'));
    for (let i = 0; i < IDLE; i++) slow.push(openSlow(port, 'idle', '', undefined));
    for (let i = 0; i < GREEDY; i++) slow.push(openGreedy(port));

    try {
      await sleep(300);
      // Normal clients, while all of the above hang on.
      for (let i = 0; i < NORMAL_ROUNDS; i++) {
        const secret = await createSecret(relay.origin);
        expect((await look(relay.origin, secret)).status).toBe(200);
        expect((await reveal(relay.origin, secret)).status).toBe(200);
      }
      // The relay cuts every slow connection by itself: its own socket count falls back
      // while this side still holds all of them open (a paused greedy socket never
      // sees the close, so the relay's fds are the measure).
      const allCut = await waitUntil(() => openFds(relay.pid) <= baselineFds + 2, SLOW_CLIENT_CUT_MS);
      const open = slow.filter((c) => !c.closedByServer).map((c) => c.kind);
      expect(
        allCut,
        `relay fds ${openFds(relay.pid)} vs baseline ${baselineFds} after ${SLOW_CLIENT_CUT_MS} ms; not closed here: ${JSON.stringify(countBy(open))}`,
      ).toBe(true);
      // The relay has let go of them; this side's sockets see their close a moment later.
      await waitUntil(() => slow.every((c) => c.kind === 'greedy' || c.closedByServer), 5_000);
      expect(slow.filter((c) => c.kind !== 'greedy' && !c.closedByServer).map((c) => c.kind)).toEqual([]);
    } finally {
      for (const c of slow) c.stop();
    }
    const secret = await createSecret(relay.origin);
    expect((await reveal(relay.origin, secret)).status).toBe(200);
    const fdsBack = await waitUntil(() => openFds(relay.pid) <= baselineFds + 2, 5_000);
    expect(fdsBack, `fds ${openFds(relay.pid)} vs baseline ${baselineFds}`).toBe(true);
    expect(rssBytes(relay.pid)).toBeLessThan(baselineRss + 64 * 1024 * 1024);
  });
});

function countBy(kinds: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of kinds) out[k] = (out[k] ?? 0) + 1;
  return out;
}
