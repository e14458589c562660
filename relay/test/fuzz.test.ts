import net from 'node:net';
import { join } from 'node:path';
import { ErrorResponse } from '@psst/protocol/api';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createSecret,
  ENGINES,
  type Engine,
  look,
  type Reply,
  type RunningRelay,
  request,
  reveal,
  rssBytes,
  startRelay,
  useTempDir,
} from './support.js';

const RUNS = 300;
const RAW_RUNS = 100;
const TIMEOUT_MS = 5_000;
const LEAK_BOUND = 64 * 1024 * 1024;

const b64uChars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const b64uString = (min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...b64uChars.split('')), minLength: min, maxLength: max });
const b64u32 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString('base64url'));
const anyId = fc.oneof(
  b64uString(22, 22),
  b64uString(0, 40),
  fc.string({ maxLength: 30 }).map(encodeURIComponent),
  fc.constant('..%2F..%2Fetc%2Fpasswd'),
);

const path = fc.oneof(
  fc.constant('/api/secrets'),
  anyId.map((id) => `/api/secrets/${id}`),
  anyId.map((id) => `/api/secrets/${id}/reveal`),
  anyId.map((id) => `/api/secrets/${id}/receipt`),
  fc.constantFrom(
    '/api/secrets/',
    '/api',
    '/api/',
    '/',
    '/metrics',
    '/s/abc',
    '/../../etc/passwd',
    '/api/secrets?x=1',
    '//api//secrets',
    '/api/secrets/%00',
    '/index.html',
  ),
  fc.array(fc.string({ maxLength: 12 }).map(encodeURIComponent), { minLength: 1, maxLength: 5 }).map((parts) => `/${parts.join('/')}`),
);

const method = fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'PROPFIND', 'BREW', 'CONNECTX');

const contentType = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'Application/JSON',
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/json; charset=latin1',
    'application/jsonx',
    '',
  ),
  fc.string({ maxLength: 40 }).filter((s) => /^[\x20-\x7e]*$/.test(s)),
);

const authorization = fc.oneof(
  fc.constant(undefined),
  b64u32.map((t) => `Bearer ${t}`),
  fc.string({ maxLength: 60 }).filter((s) => /^[\x20-\x7e]*$/.test(s)),
  fc.constantFrom('Bearer', 'Bearer ', 'Basic dXNlcjpwYXNz', `Bearer ${'A'.repeat(3000)}`, 'bearer x'),
);

const hugeNumber = fc.constantFrom(1e308, -1e308, 2 ** 53 + 1, -(2 ** 63), 1.5, 0, -1, 59, 604_801, 11, Number.MAX_SAFE_INTEGER);
const jsonNumberText = fc.constantFrom('1e999', '-1e999', '123456789012345678901234567890', '0.0000000000000000000001', '1E400', '-0');

// Create-like bodies: mostly right, one field wrong, or extra fields.
const createLike = fc
  .record(
    {
      envelope: fc.oneof(
        b64uString(0, 600),
        fc.base64String({ maxLength: 200 }),
        fc.string({ maxLength: 50 }),
        fc.integer(),
        fc.constant(null),
      ),
      accessVerifier: fc.oneof(b64u32, b64uString(0, 50), fc.base64String({ maxLength: 60 }), fc.constant(null)),
      passphraseVerifier: fc.oneof(b64u32, fc.string({ maxLength: 10 })),
      ttl: fc.oneof(hugeNumber, fc.integer(), fc.string({ maxLength: 5 }), fc.constant(null)),
      views: fc.oneof(hugeNumber, fc.integer(), fc.constant('1'), fc.constant(true)),
      extra: fc.jsonValue({ maxDepth: 2 }),
    },
    { requiredKeys: [] },
  )
  .map((o) => JSON.stringify(o));

const body = fc.oneof(
  fc.constant(undefined),
  fc.constant(''),
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  createLike,
  fc
    .record({ passphraseToken: fc.oneof(b64u32, fc.string({ maxLength: 50 }), hugeNumber) }, { requiredKeys: [] })
    .map((o) => JSON.stringify(o)),
  jsonNumberText.map((n) => `{"envelope":"AQ","accessVerifier":"${'A'.repeat(43)}","ttl":${n},"views":${n}}`),
  fc.integer({ min: 1, max: 60_000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`),
  fc.integer({ min: 1, max: 60_000 }).map((n) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`),
  fc.string({ maxLength: 200 }),
  fc.uint8Array({ maxLength: 300 }),
);

const extraHeaders = fc.dictionary(
  fc.constantFrom('x-forwarded-for', 'x-real-ip', 'accept', 'accept-encoding', 'origin', 'cookie', 'range', 'if-none-match', 'x-psst'),
  fc.string({ maxLength: 60 }).filter((s) => /^[\x20-\x7e]*$/.test(s)),
  { maxKeys: 4 },
);

const HYPER_EXPRESS_METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'TRACE', 'CONNECT'];
const UNROUTED_METHODS: Record<Engine, (method: string) => boolean> = {
  'hyper-express': (method) => !HYPER_EXPRESS_METHODS.includes(method),
  node: (method) => method === 'CONNECT',
};

/** The check every fuzzed answer must pass. */
function expectClientError(reply: Reply, what: string): void {
  expect(reply.status, `${what} → ${reply.status} ${reply.text.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
  expect(reply.status, `${what} → ${reply.status} ${reply.text.slice(0, 300)}`).toBeLessThan(500);
  if (what.startsWith('HEAD ')) return;
  expect(String(reply.headers['content-type']), what).toMatch(/^application\/json/);
  const parsed = ErrorResponse.safeParse(reply.json);
  expect(parsed.success, `${what} → error body ${reply.text.slice(0, 300)}`).toBe(true);
}

interface RawAnswer {
  status: number | null;
  headers: string;
  body: string;
  closed: boolean;
}

/** Writes raw bytes on a fresh socket, optionally half-closes, and reads the first response (or the close). */
function rawExchange(port: number, bytes: Buffer, halfClose: boolean): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer and no close within ${TIMEOUT_MS} ms for ${bytes.subarray(0, 120).toString('latin1')}`));
    }, TIMEOUT_MS);
    const finish = (closed: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(chunks).toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      const head = end >= 0 ? text.slice(0, end) : text;
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1];
      let rest = end >= 0 ? text.slice(end + 4) : '';
      const length = /\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1];
      if (length !== undefined) rest = rest.slice(0, Number(length));
      else if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
        let out = '';
        let at = 0;
        for (;;) {
          const eol = rest.indexOf('\r\n', at);
          const size = Number.parseInt(rest.slice(at, eol), 16);
          if (!(size > 0)) break;
          out += rest.slice(eol + 2, eol + 2 + size);
          at = eol + 2 + size + 2;
        }
        rest = out;
      }
      resolve({ status: status ? Number(status) : null, headers: head, body: Buffer.from(rest, 'latin1').toString('utf8'), closed });
    };
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      // One complete response is enough.
      const text = Buffer.concat(chunks).toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = /\r\ncontent-length:\s*(\d+)/i.exec(text.slice(0, end))?.[1];
      if (length !== undefined && Buffer.byteLength(text.slice(end + 4), 'latin1') >= Number(length)) finish(false);
      if (/\r\ntransfer-encoding:\s*chunked/i.test(text.slice(0, end)) && text.endsWith('0\r\n\r\n')) finish(false);
    });
    socket.on('end', () => finish(true));
    socket.on('close', () => finish(true));
    socket.on('error', () => finish(true));
    socket.write(bytes, () => {
      if (halfClose) socket.end();
    });
  });
}

const invalidUtf8 = fc.constantFrom(
  Buffer.from([0xff, 0xfe, 0xfd]),
  Buffer.from([0xc3, 0x28]),
  Buffer.from([0xe2, 0x82]),
  Buffer.from([0xf0, 0x90, 0x80]),
  Buffer.from([0xed, 0xa0, 0x80]),
  Buffer.from([0xc0, 0xaf]),
  Buffer.from([0x00]),
);

/** POSTs a body for real (in 16 KiB writes), with a Content-Length or chunked. */
function postBig(port: number, path: string, body: Buffer, chunked: boolean): Promise<Reply> {
  const headers: Record<string, string> = { 'content-type': 'application/json', authorization: `Bearer ${'A'.repeat(43)}` };
  if (chunked) headers['transfer-encoding'] = 'chunked';
  else headers['content-length'] = String(body.length);
  return request(`http://127.0.0.1:${port}`, path, { method: 'POST', headers, body, timeoutMs: TIMEOUT_MS });
}

describe.each(ENGINES)('fuzzed requests (%s)', (engine) => {
  const tmp = useTempDir();
  let relay: RunningRelay;
  let port: number;
  let baselineRss: number;

  beforeAll(async () => {
    relay = await startRelay({ engine, dbPath: join(tmp.dir, 'psst.db') });
    port = Number(new URL(relay.origin).port);
    // Warm up the paths the fuzzer will hit, then take the baseline.
    for (let i = 0; i < 20; i++) {
      const secret = await createSecret(relay.origin);
      await look(relay.origin, secret);
      await reveal(relay.origin, secret);
      await request(relay.origin, '/api/secrets', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' });
    }
    baselineRss = rssBytes(relay.pid);
  });
  afterAll(async () => {
    await relay?.stop('SIGTERM');
  });

  it('answers every random request with a 4xx and a JSON error body', async () => {
    await fc.assert(
      fc.asyncProperty(method, path, contentType, authorization, extraHeaders, body, async (m, p, ct, auth, extra, b) => {
        const headers: Record<string, string> = { ...extra };
        if (ct !== undefined) headers['content-type'] = ct;
        if (auth !== undefined) headers.authorization = auth;
        // Bodies go with the methods that take one. An unknown method is refused by node's HTTP parser
        // before the body is read, and closing a socket with unread bytes resets it, answer included.
        let sendBody = b !== undefined && ['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'].includes(m) ? b : undefined;
        // Only create takes big bodies; elsewhere a body over 4 KiB is a 413 with the connection closed
        // on unread bytes (see the oversized-body test), so keep those small here.
        if (sendBody !== undefined && !(m === 'POST' && p === '/api/secrets') && sendBody.length > 4000) sendBody = sendBody.slice(0, 4000);
        let reply: Reply;
        try {
          reply = await request(relay.origin, p, { method: m, headers, body: sendBody, timeoutMs: TIMEOUT_MS });
        } catch (error) {
          // A method the engine's HTTP layer does not route (uWebSockets.js: anything beyond hyper-express's list;
          // node: CONNECT) is refused by closing the connection before the relay sees it. Not a hang, not a 5xx.
          const code = (error as NodeJS.ErrnoException).code;
          if (code === 'ECONNRESET' && UNROUTED_METHODS[engine](m)) return;
          throw error;
        }
        expectClientError(reply, `${m} ${p}`);
      }),
      { numRuns: RUNS, endOnFailure: true },
    );
  });

  it('answers invalid UTF-8, lying Content-Length and truncated bodies with a 4xx or a close, never a 5xx or a hang', async () => {
    const target = fc.constantFrom('/api/secrets', '/api/secrets/AAAAAAAAAAAAAAAAAAAAAA/reveal');
    const raw = fc.record({
      target,
      prefix: fc.constantFrom('{"envelope":"', '{"passphraseToken":"', '{"', '', '["'),
      garbage: invalidUtf8,
      suffix: fc.constantFrom('"}', '', '", "ttl": 60}'),
      // More declared than sent (then a half-close), or exact. Less declared than sent would make the rest
      // a second, malformed request, which the HTTP parser (not the relay) rejects in its own words.
      lengthDelta: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 500 })),
      halfClose: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(raw, async ({ target: t, prefix, garbage, suffix, lengthDelta, halfClose }) => {
        const payload = Buffer.concat([Buffer.from(prefix), garbage, Buffer.from(suffix)]);
        const declared = Math.max(0, payload.length + lengthDelta);
        // A truncated body (more declared than sent) is followed by a half-close, or the relay would rightly wait for the rest.
        const truncated = declared > payload.length;
        const head =
          `POST ${t} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
          `Authorization: Bearer ${'A'.repeat(43)}\r\nContent-Length: ${declared}\r\nConnection: close\r\n\r\n`;
        const answer = await rawExchange(port, Buffer.concat([Buffer.from(head), payload]), truncated || halfClose);
        const what = `${t} ${JSON.stringify(payload.toString('latin1'))} declared ${declared} halfClose ${truncated || halfClose}`;
        if (answer.status === null) {
          // Closed without an answer: acceptable only for a body that never arrived whole.
          expect(truncated, `${what}: closed without answering a complete request`).toBe(true);
          return;
        }
        let json: unknown;
        try {
          json = JSON.parse(answer.body);
        } catch {
          json = undefined;
        }
        expectClientError(
          {
            status: answer.status,
            headers: { 'content-type': /\r\ncontent-type:\s*([^\r]*)/i.exec(answer.headers)?.[1] },
            text: answer.body,
            json,
          },
          what,
        );
      }),
      { numRuns: RAW_RUNS, endOnFailure: true },
    );
  });

  it('rejects an oversized body and an absurd Content-Length with 413 before reading it', async () => {
    for (const length of [2 * 1024 * 1024, 10 ** 15]) {
      const head = `POST /api/secrets HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\nConnection: close\r\n\r\n`;
      const answer = await rawExchange(port, Buffer.concat([Buffer.from(head), Buffer.from('{"envelope":"')]), false);
      // uWebSockets.js drops a connection whose Content-Length it cannot parse (10^15) before the relay sees it.
      if (length > 2 ** 32 && engine === 'hyper-express' && answer.status === null) continue;
      expect(answer.status, answer.headers).toBe(413);
      expect(JSON.parse(answer.body)).toMatchObject({ error: 'payload_too_large' });
    }
  });

  it('survives oversized bodies that are really sent (a small route, a chunked create) and keeps serving', async () => {
    const cases: { path: string; body: Buffer; chunked: boolean }[] = [
      { path: '/api/secrets/AAAAAAAAAAAAAAAAAAAAAA/reveal', body: Buffer.alloc(64 * 1024, '['), chunked: false },
      { path: '/nowhere', body: Buffer.alloc(120 * 1024, '{'), chunked: false },
      { path: '/api/secrets', body: Buffer.alloc(2 * 1024 * 1024, 'A'), chunked: true },
    ];
    for (const c of cases) {
      let status: number | string;
      try {
        const reply = await postBig(port, c.path, c.body, c.chunked);
        status = reply.status;
        expect(reply.json, reply.text.slice(0, 200)).toMatchObject({ error: 'payload_too_large' });
      } catch (error) {
        // The 413 may be lost to a reset when the relay closes on unread bytes; the relay must live on.
        status = (error as NodeJS.ErrnoException).code ?? String(error);
      }
      expect([413, 'ECONNRESET', 'EPIPE'], `${c.path} (${c.body.length} bytes${c.chunked ? ', chunked' : ''})`).toContain(status);
      expect(relay.child.exitCode, `the relay died on ${c.path}:\n${relay.logs().slice(-1500)}`).toBeNull();
      expect((await request(relay.origin, '/healthz')).status).toBe(200);
    }
  });

  it('still serves normal requests afterwards, with memory near the baseline', async () => {
    const secret = await createSecret(relay.origin);
    expect((await look(relay.origin, secret)).status).toBe(200);
    expect((await reveal(relay.origin, secret)).status).toBe(200);
    expect((await reveal(relay.origin, secret)).status).toBe(410);
    const rss = rssBytes(relay.pid);
    expect(rss, `RSS ${rss} vs baseline ${baselineRss}`).toBeLessThan(baselineRss + LEAK_BOUND);
  });
});
