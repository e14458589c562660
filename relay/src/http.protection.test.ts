// The relay's protections over real HTTP on both engines: rate limits, quotas,
// the creation switch, the body limit (answered before the body is read),
// the reveal race, and the metrics listener (separate, and free of ids).
import http from 'node:http';
import net from 'node:net';
import { encodeB64u } from '@psst/protocol/b64u';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, create, ENGINES, expectError, sealRequest, startTestRelay, type TestRelay } from './testing/harness.js';

interface RawAnswer {
  head: string;
  body: string;
  /** Milliseconds from the first byte sent to the server closing the connection (or the deadline). */
  closedAfterMs: number | null;
  bytesSent: number;
}

/** Sends `head`, then trickles `chunk` every `intervalMs` until the server answers and closes, or `deadlineMs`. */
function trickle(port: number, head: string, chunk: string, intervalMs: number, deadlineMs: number): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const started = Date.now();
    let received = '';
    let bytesSent = 0;
    let timer: NodeJS.Timeout | undefined;
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write(head);
      bytesSent += head.length;
      timer = setInterval(() => {
        if (socket.writable) {
          socket.write(chunk);
          bytesSent += chunk.length;
        }
      }, intervalMs);
    });
    const finish = (closed: boolean) => {
      clearInterval(timer);
      clearTimeout(deadline);
      socket.destroy();
      const [headPart = '', ...rest] = received.split('\r\n\r\n');
      resolve({ head: headPart, body: rest.join('\r\n\r\n'), closedAfterMs: closed ? Date.now() - started : null, bytesSent });
    };
    const deadline = setTimeout(() => finish(false), deadlineMs);
    socket.on('data', (data) => {
      received += data.toString('utf8');
    });
    socket.on('error', () => {});
    socket.on('close', () => finish(true));
  });
}

describe.each(ENGINES)('protection (%s)', (engine) => {
  describe('a relay with small limits', () => {
    let relay: TestRelay;
    beforeAll(async () => {
      relay = await startTestRelay(engine, {
        PSST_RATE_LIMIT_CREATE: '3',
        PSST_RATE_LIMIT_READ: '4',
        PSST_MAX_ENVELOPE_BYTES: '2048',
        PSST_REQUEST_TIMEOUT_MS: '1500',
      });
    });
    afterAll(() => relay?.close());

    it('answers 429 with Retry-After once a client has used its create budget, keyed by the forwarded address behind a trusted proxy', async () => {
      const sealed = await sealRequest();
      const from = (address: string) => ({ body: sealed.body, headers: { 'x-forwarded-for': `198.51.100.7, ${address}` } });
      for (let i = 0; i < 3; i++) expect((await call(relay.origin, 'POST', '/api/secrets', from('203.0.113.1'))).status).toBe(201);
      const limited = await call(relay.origin, 'POST', '/api/secrets', from('203.0.113.1'));
      const retryAfter = Number(limited.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(20);
      expectError(limited, 429, {
        error: 'rate_limited',
        message: 'Too many requests from your address; wait a little and try again.',
        retryAfter,
      });
      // Another client (the right-most untrusted hop differs) has its own budget; IPv6 clients share a /64.
      expect((await call(relay.origin, 'POST', '/api/secrets', from('203.0.113.2'))).status).toBe(201);
      for (let i = 0; i < 3; i++)
        expect((await call(relay.origin, 'POST', '/api/secrets', from(`2001:db8:1:2::${i + 1}`))).status).toBe(201);
      expect((await call(relay.origin, 'POST', '/api/secrets', from('2001:db8:1:2:ffff::9'))).status).toBe(429);
      // Reads have their own budget.
      expect(
        (
          await call(relay.origin, 'GET', `/api/secrets/${encodeB64u(new Uint8Array(16))}`, {
            headers: { 'x-forwarded-for': '203.0.113.1' },
          })
        ).status,
      ).toBe(404);
    });

    it('limits look, reveal, receipt and delete together, and counts ids that do not exist', async () => {
      const headers = { 'x-forwarded-for': '203.0.113.50' };
      const id = encodeB64u(new Uint8Array(16));
      const statuses = [
        (await call(relay.origin, 'GET', `/api/secrets/${id}`, { headers })).status,
        (await call(relay.origin, 'POST', `/api/secrets/${id}/reveal`, { headers, body: {} })).status,
        (await call(relay.origin, 'GET', `/api/secrets/${id}/receipt`, { headers })).status,
        (await call(relay.origin, 'DELETE', `/api/secrets/${id}`, { headers })).status,
        (await call(relay.origin, 'GET', `/api/secrets/${id}`, { headers })).status,
      ];
      expect(statuses).toEqual([404, 404, 404, 404, 429]);
      expect((await call(relay.origin, 'GET', '/healthz', { headers })).status).toBe(200);
    });

    it('answers 413 to an envelope over PSST_MAX_ENVELOPE_BYTES', async () => {
      const sealed = await sealRequest({ text: 'x'.repeat(3000) });
      const answer = await call(relay.origin, 'POST', '/api/secrets', {
        body: { ...sealed.body },
        headers: { 'x-forwarded-for': '203.0.113.60' },
      });
      expect(answer.status).toBe(413);
      expect(answer.json).toEqual({ error: 'payload_too_large', message: 'The request body is larger than this relay accepts.' });
    });

    it('answers 413 to a huge Content-Length at once and closes the connection without reading the body', async () => {
      const head =
        'POST /api/secrets HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-Forwarded-For: 203.0.113.70\r\nContent-Length: 50000000\r\n\r\n{"envelope":"';
      const answer = await trickle(relay.server.port, head, 'A'.repeat(1000), 20, 10_000);
      expect(answer.head).toMatch(/^HTTP\/1\.1 413 /);
      expect(JSON.parse(answer.body)).toEqual({
        error: 'payload_too_large',
        message: 'The request body is larger than this relay accepts.',
      });
      expect(answer.closedAfterMs, 'the relay closed the connection').not.toBeNull();
      expect(answer.bytesSent).toBeLessThan(1_000_000);
    });

    it('cuts a chunked body the moment it passes the limit, with a 413', async () => {
      const head =
        'POST /api/secrets HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-Forwarded-For: 203.0.113.71\r\nTransfer-Encoding: chunked\r\n\r\n';
      const chunk = `1000\r\n${'A'.repeat(0x1000)}\r\n`;
      const answer = await trickle(relay.server.port, head, chunk, 5, 10_000);
      expect(answer.head).toMatch(/^HTTP\/1\.1 413 /);
      expect(JSON.parse(answer.body).error).toBe('payload_too_large');
      expect(answer.closedAfterMs).not.toBeNull();
      expect(answer.bytesSent).toBeLessThan(2_000_000);
    });

    it('answers 413 before the id or token is checked, and survives the refused body being sent in full', async () => {
      for (const path of [`/api/secrets/${encodeB64u(new Uint8Array(16))}/reveal`, '/nowhere']) {
        const body = '['.repeat(120 * 1024);
        let status: number | string;
        try {
          status = (
            await call(relay.origin, 'POST', path, {
              raw: body,
              headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.73' },
            })
          ).status;
        } catch (error) {
          // The relay closes on the unread rest; the client may see that as a reset while it still writes.
          status = String((error as Error & { cause?: { code?: string } }).cause?.code);
        }
        expect([413, 'ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']).toContain(status);
        expect((await call(relay.origin, 'GET', '/healthz')).status).toBe(200);
      }
    });

    it('cuts a body that trickles in slower than the request timeout', async () => {
      const head =
        'POST /api/secrets HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-Forwarded-For: 203.0.113.72\r\nContent-Length: 3000\r\n\r\n{';
      const answer = await trickle(relay.server.port, head, 'A', 100, 12_000);
      expect(answer.closedAfterMs, 'the relay cut the slow client').not.toBeNull();
      expect(answer.bytesSent).toBeLessThan(3000);
    });
  });

  it('answers 503 storage_full at the quota, 503 creation_disabled when switched off, and keeps reads working', async () => {
    const relay = await startTestRelay(engine, { PSST_MAX_ACTIVE_SECRETS: '2' });
    try {
      const first = await create(relay.origin);
      await create(relay.origin);
      const sealed = await sealRequest();
      const full = await call(relay.origin, 'POST', '/api/secrets', { body: sealed.body });
      expectError(full, 503, {
        error: 'storage_full',
        message: 'This relay holds as many secrets as it can right now (its limit of active secrets for everyone); try again later.',
      });
      expect((await call(relay.origin, 'GET', '/readyz')).status).toBe(503);
      expect(
        (await call(relay.origin, 'POST', `/api/secrets/${first.id}/reveal`, { token: first.sealed.accessToken, body: {} })).status,
      ).toBe(200);
      expect((await call(relay.origin, 'POST', '/api/secrets', { body: sealed.body })).status).toBe(201);
    } finally {
      await relay.close(false);
    }
    const disabled = await startTestRelay(engine, { PSST_CREATE_ENABLED: 'false' }, { dir: relay.dir });
    try {
      const sealed = await sealRequest();
      const answer = await call(disabled.origin, 'POST', '/api/secrets', { body: sealed.body });
      expectError(answer, 503, {
        error: 'creation_disabled',
        message: 'This relay does not accept new secrets right now; existing links keep working.',
      });
      expect((await call(disabled.origin, 'GET', '/healthz')).status).toBe(200);
    } finally {
      await disabled.close();
    }
  });

  describe('the reveal race', () => {
    let relay: TestRelay;
    beforeAll(async () => {
      relay = await startTestRelay(engine);
    });
    afterAll(() => relay?.close());

    for (const views of [1, 3]) {
      it(`gives exactly ${views} of 50 concurrent reveals the envelope of a views=${views} secret`, async () => {
        const secret = await create(relay.origin, { views });
        const answers = await Promise.all(
          Array.from({ length: 50 }, () =>
            call(relay.origin, 'POST', `/api/secrets/${secret.id}/reveal`, { token: secret.sealed.accessToken, body: {} }),
          ),
        );
        const statuses = answers.map((a) => a.status);
        expect(statuses.filter((s) => s === 200)).toHaveLength(views);
        expect(statuses.filter((s) => s === 410)).toHaveLength(50 - views);
        expect(
          answers
            .filter((a) => a.status === 200)
            .map((a) => a.json.viewsLeft)
            .sort(),
        ).toEqual(Array.from({ length: views }, (_, i) => i));
      });
    }
  });

  describe('metrics and logs', () => {
    let relay: TestRelay;
    beforeAll(async () => {
      relay = await startTestRelay(engine);
    });
    afterAll(() => relay?.close());

    it('serves every metric on the metrics listener only, without ids, tokens or addresses, and logs none either', async () => {
      const before = await (await fetch(`${relay.metricsOrigin}/metrics`)).text();
      for (const line of [
        'psst_secrets_created_total 0',
        'psst_requests_rejected_total{reason="wrong_passphrase"} 0',
        'psst_db_errors_total{operation="reveal"} 0',
      ]) {
        expect(before).toContain(line);
      }
      expect(before).toContain('psst_http_requests_total{method="POST",route="/api/secrets/:id/reveal",status="403"} 0');

      const secret = await create(relay.origin, { passphrase: 'pw' });
      const wrong = await sealRequest({ passphrase: 'nope' });
      const token = secret.sealed.accessToken;
      await call(relay.origin, 'GET', `/api/secrets/${secret.id}`, { token });
      await call(relay.origin, 'POST', `/api/secrets/${secret.id}/reveal`, { token, body: { passphraseToken: wrong.passphraseToken } });
      await call(relay.origin, 'POST', `/api/secrets/${secret.id}/reveal`, {
        token,
        body: { passphraseToken: secret.sealed.passphraseToken },
      });
      await call(relay.origin, 'GET', `/api/secrets/${secret.id}/receipt`, { token: secret.manageToken });
      await new Promise<void>((resolve, reject) => {
        // fetch refuses TRACE; it is a method both engines parse but the relay does not know.
        http
          .request({ host: '127.0.0.1', port: relay.server.port, method: 'TRACE', path: '/api/secrets' }, (res) =>
            res.resume().on('end', resolve),
          )
          .on('error', reject)
          .end();
      });
      await relay.server.sweeper.runOnce();

      const after = await (await fetch(`${relay.metricsOrigin}/metrics`)).text();
      const names = [
        'psst_secrets_created_total',
        'psst_secrets_revealed_total',
        'psst_secrets_expired_total',
        'psst_secrets_deleted_total',
        'psst_secrets_burned_total',
        'psst_secrets_active',
        'psst_secret_store_bytes',
        'psst_reveal_delay_seconds_bucket',
        'psst_http_requests_total',
        'psst_http_request_duration_seconds_bucket',
        'psst_requests_rejected_total',
        'psst_db_errors_total',
        'psst_sweeper_runs_total',
        'psst_commit_batch_size_bucket',
        'psst_commit_duration_seconds_bucket',
        'process_resident_memory_bytes',
        'nodejs_eventloop_lag_seconds',
      ];
      for (const name of names) expect(after, name).toMatch(new RegExp(`^${name}[ {]`, 'm'));
      expect(after).toMatch(new RegExp(`^psst_build_info\\{version="1\\.0\\.0",engine="${engine}",store="sqlite"\\} 1$`, 'm'));
      expect(after).toMatch(/^psst_secrets_created_total 1$/m);
      expect(after).toMatch(/^psst_secrets_revealed_total 1$/m);
      expect(after).toMatch(/^psst_requests_rejected_total\{reason="wrong_passphrase"\} 1$/m);
      expect(after).toMatch(/^psst_sweeper_runs_total [1-9]/m);
      expect(after).toMatch(/^psst_http_requests_total\{method="OTHER",route="\/api\/secrets",status="405"\} 1$/m);
      expect(after).toMatch(/^psst_commit_batch_size_count [1-9]/m);

      const secrets = [
        secret.id,
        token,
        secret.manageToken,
        secret.sealed.passphraseToken ?? '',
        secret.sealed.envelope.slice(0, 40),
        '127.0.0.1',
      ];
      const logs = relay.logs.join('');
      expect(logs).toContain('"route":"/api/secrets/:id/reveal"');
      for (const value of secrets) {
        expect(after.includes(value), 'a secret value in /metrics').toBe(false);
        expect(logs.includes(value), 'a secret value in the logs').toBe(false);
      }
      expect((await call(relay.origin, 'GET', '/metrics')).status).toBe(404);
      expect((await fetch(`${relay.metricsOrigin}/`)).status).toBe(404);
    });
  });
});
