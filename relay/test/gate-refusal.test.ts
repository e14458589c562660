// Refuse before reading (issue 14): the rate limit, the per-client cap on
// requests in progress, the relay's cap on connections and the cap on body
// bytes being buffered are checked when a request's headers arrive. Each test
// sends a head whose body it holds back: the relay must answer without it
// (the code before this change waited for the whole body first). node:http
// answers at once; uWebSockets.js, which cannot half-close, waits for the
// body up to PSST_LINGER_TIMEOUT_MS (2 s) and then answers (engines/linger.ts).
import { describe, expect, it } from 'vitest';
import { type HeldRequest, holdRequest, requestHead, type WireAnswer, within } from './gate-wire.js';
import { ENGINES, type Engine, type RunningRelay, rejectedCount, request, sleep, startRelay, useTempDir } from './support.js';

/** Longer than the uWS linger (2 s), far shorter than the request timeout the old code waited for (30 s). */
const ANSWER_WITHIN_MS = 8_000;
/** Time for the relay to have read the heads of the held requests. */
const SETTLE_MS = 300;

const createHead = (client: string, length: number) =>
  requestHead('POST', '/api/secrets', { 'content-type': 'application/json', 'content-length': length, 'x-forwarded-for': client });

function answerOf(held: HeldRequest): Promise<WireAnswer | null | 'no answer'> {
  return within(held.answer, ANSWER_WITHIN_MS, 'no answer' as const);
}

/** Polls GET /api/config as `client` until it answers 200 (a slot came back), for up to 5 s. */
async function servedAgain(relay: RunningRelay, client: string): Promise<number> {
  let status = 0;
  for (let i = 0; i < 50 && status !== 200; i++) {
    status = (await request(relay.origin, '/api/config', { headers: { 'x-forwarded-for': client } })).status;
    if (status !== 200) await sleep(100);
  }
  return status;
}

function expectRefusal(answer: WireAnswer | null | 'no answer', status: number, message: RegExp): void {
  expect(answer).not.toBe('no answer');
  expect(answer).not.toBeNull();
  const { status: got, headers, body } = answer as WireAnswer;
  expect(got).toBe(status);
  expect(headers['retry-after']).toMatch(/^\d+$/);
  const json = JSON.parse(body) as { error: string; message: string; retryAfter: number };
  expect(json.error).toBe('rate_limited');
  expect(json.message).toMatch(message);
  expect(json.retryAfter).toBe(Number(headers['retry-after']));
}

/** Connections the tests hold open; closed before the relay stops (it would wait for them to finish). */
const held: HeldRequest[] = [];

function hold(relay: RunningRelay, head: string): HeldRequest {
  const h = holdRequest(Number(new URL(relay.origin).port), head);
  held.push(h);
  return h;
}

async function withRelay(engine: Engine, env: Record<string, string>, run: (relay: RunningRelay) => Promise<void>): Promise<void> {
  const relay = await startRelay({ engine, env: { PSST_LOG_LEVEL: 'warn', ...env } });
  try {
    await run(relay);
  } finally {
    for (const h of held.splice(0)) h.socket.destroy();
    await relay.stop();
  }
}

describe.each(ENGINES)('refusals before the body is read (%s)', (engine) => {
  useTempDir();

  it('answers 429 rate_limited to a rate-limited create while the client still holds its whole body', async () => {
    await withRelay(engine, { PSST_RATE_LIMIT_CREATE: '1' }, async (relay) => {
      // The one create of this minute (a bad body: 400), then a 1 MB create whose body is never sent.
      const json = { 'content-type': 'application/json' };
      expect((await request(relay.origin, '/api/secrets', { method: 'POST', headers: json, body: '{}' })).status).toBe(400);
      const upload = hold(relay, createHead('127.0.0.1', 1_000_000));
      const answer = await answerOf(upload);
      expectRefusal(answer, 429, /too many requests from your address/i);
      expect(upload.sent).toBe(0);
      expect(await rejectedCount(relay, 'rate_limited')).toBe(1);
      // The connection is not kept for a next request: the relay ends it (its FIN, or a close).
      const ended = new Promise((resolve) => {
        if (upload.socket.readableEnded || upload.socket.destroyed) resolve('ended');
        upload.socket.once('end', () => resolve('ended'));
        upload.socket.once('close', () => resolve('ended'));
      });
      expect(await within(ended, ANSWER_WITHIN_MS, 'open')).toBe('ended');
    });
  });

  it('refuses a client past PSST_MAX_CLIENT_REQUESTS requests in progress with 429, before reading the body; other clients pass', async () => {
    await withRelay(engine, { PSST_MAX_CLIENT_REQUESTS: '2' }, async (relay) => {
      const first = hold(relay, createHead('198.51.100.1', 1_000));
      hold(relay, createHead('198.51.100.1', 1_000));
      await sleep(SETTLE_MS);
      const third = hold(relay, createHead('198.51.100.1', 1_000));
      expectRefusal(await answerOf(third), 429, /too many requests at once/i);
      expect(third.sent).toBe(0);
      expect((await request(relay.origin, '/api/config', { headers: { 'x-forwarded-for': '198.51.100.2' } })).status).toBe(200);
      expect(await rejectedCount(relay, 'concurrency')).toBe(1);
      // A client that goes away mid-request gives its slot back.
      first.socket.destroy();
      expect(await servedAgain(relay, '198.51.100.1')).toBe(200);
    });
  });

  it('refuses requests past PSST_MAX_CONNECTIONS in progress with 503, before reading the body; /healthz still answers', async () => {
    await withRelay(engine, { PSST_MAX_CONNECTIONS: '3' }, async (relay) => {
      const uploads = [1, 2, 3].map((i) => hold(relay, createHead(`198.51.100.${i}`, 1_000)));
      await sleep(SETTLE_MS);
      const fourth = hold(relay, createHead('198.51.100.4', 1_000));
      expectRefusal(await answerOf(fourth), 503, /too many connections/i);
      expect(fourth.sent).toBe(0);
      const config = await request(relay.origin, '/api/config', { headers: { 'x-forwarded-for': '198.51.100.5' } });
      expect(config.status).toBe(503);
      expect((await request(relay.origin, '/healthz')).status).toBe(200);
      expect(await rejectedCount(relay, 'connections')).toBeGreaterThanOrEqual(2);
      for (const upload of uploads) upload.socket.destroy();
      expect(await servedAgain(relay, '198.51.100.5')).toBe(200);
    });
  });

  if (engine === 'node') {
    // uWebSockets.js shows the relay no connection before its request: there the cap counts requests in progress.
    it('answers the first request of a connection opened past PSST_MAX_CONNECTIONS with 503 and closes it', async () => {
      await withRelay(engine, { PSST_MAX_CONNECTIONS: '3' }, async (relay) => {
        const idle = [1, 2, 3].map(() => hold(relay, ''));
        await sleep(SETTLE_MS);
        const late = hold(relay, requestHead('GET', '/api/config', {}));
        const answer = await answerOf(late);
        expectRefusal(answer, 503, /too many connections/i);
        expect((answer as WireAnswer).headers.connection).toBe('close');
        for (const socket of idle) socket.socket.destroy();
        expect(await servedAgain(relay, '198.51.100.9')).toBe(200);
      });
    });
  }

  it('refuses a body that would take the buffered bytes past PSST_MAX_BUFFERED_BYTES with 503, before reading it', async () => {
    await withRelay(engine, { PSST_MAX_BUFFERED_BYTES: '1500000' }, async (relay) => {
      const first = hold(relay, createHead('198.51.100.1', 1_000_000));
      await sleep(SETTLE_MS);
      const second = hold(relay, createHead('198.51.100.2', 1_000_000));
      expectRefusal(await answerOf(second), 503, /too many uploads/i);
      expect(second.sent).toBe(0);
      // A request without a body still passes.
      expect((await request(relay.origin, '/api/config', { headers: { 'x-forwarded-for': '198.51.100.3' } })).status).toBe(200);
      expect(await rejectedCount(relay, 'body_buffer')).toBe(1);
      first.socket.destroy();
      const retry = hold(relay, createHead('198.51.100.2', 100));
      await sleep(SETTLE_MS);
      retry.write('x'.repeat(100));
      const answer = await within(retry.answer, ANSWER_WITHIN_MS, 'no answer' as const);
      // Let in and read: the body is not JSON, so 400 (not 503).
      expect((answer as WireAnswer | null)?.status).toBe(400);
    });
  });
});
