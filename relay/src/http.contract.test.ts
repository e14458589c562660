// The HTTP contract of PROTOCOL.md, pinned: every endpoint, every status and
// every error body, on both engines, against a real listener and a real
// SQLite file. A refactor that changes the wire fails here.

import { connect } from 'node:net';
import {
  CreateSecretResponse,
  ErrorResponse,
  LookResponse,
  ReceiptResponse,
  RelayConfigResponse,
  RevealResponse,
} from '@psst/protocol/api';
import { decodeB64u, encodeB64u } from '@psst/protocol/b64u';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Answer,
  call,
  create,
  expectError,
  RELAY_SETUPS,
  sealRequest,
  startTestRelay,
  type TestRelay,
  useStoreEnv,
} from './testing/harness.js';

const NOT_FOUND = { error: 'not_found', message: 'There is no secret here: the link is wrong, or the secret is long gone.' };
const NO_ROUTE = { error: 'not_found', message: 'There is nothing at this address.' };
const BAD_JSON = { error: 'invalid_request', message: 'The request body is not valid JSON.' };
const NOT_JSON = { error: 'unsupported_media_type', message: 'Send the request body as JSON with Content-Type: application/json.' };
const TOO_LARGE = { error: 'payload_too_large', message: 'The request body is larger than this relay accepts.' };
const UNAVAILABLE = { error: 'storage_unavailable', message: 'The relay cannot reach its database right now; try again shortly.' };
const MISMATCH = 'The request does not match the API.';

function expectGone(answer: Answer, reason: string, at?: number): void {
  expect(answer.status, answer.text).toBe(410);
  const body = ErrorResponse.parse(answer.json);
  expect(body).toMatchObject({ error: 'gone', reason });
  expect(Object.keys(body).sort()).toEqual(['at', 'error', 'message', 'reason']);
  if (at !== undefined) expect(body.at).toBe(new Date(at).toISOString());
}

describe.each(RELAY_SETUPS)('HTTP contract ($engine, $store)', ({ engine, store }) => {
  const database = useStoreEnv(store);
  let relay: TestRelay;
  let origin: string;
  beforeAll(async () => {
    relay = await startTestRelay(engine, database.env());
    origin = relay.origin;
  });
  afterAll(() => relay?.close());

  describe('create', () => {
    it('answers 201 with an id, a manage token and the expiry', async () => {
      const sealed = await sealRequest({ ttl: 600 });
      const answer = await call(origin, 'POST', '/api/secrets', { body: sealed.body });
      expect(answer.status).toBe(201);
      const body = CreateSecretResponse.parse(answer.json);
      expect(Object.keys(answer.json).sort()).toEqual(['expiresAt', 'id', 'manageToken']);
      expect(body.expiresAt).toBe(new Date(relay.clock.now() + 600_000).toISOString());
      const look = await call(origin, 'GET', `/api/secrets/${body.id}`, { token: sealed.accessToken });
      expect(LookResponse.parse(look.json)).toEqual({ expiresAt: body.expiresAt, viewsLeft: 1, kdf: null });
    });

    it('accepts a charset parameter on the JSON content type', async () => {
      const sealed = await sealRequest();
      const answer = await call(origin, 'POST', '/api/secrets', {
        body: sealed.body,
        headers: { 'content-type': 'application/json; charset=utf-8' },
      });
      expect(answer.status).toBe(201);
    });

    it('answers 415 to a body that is not declared JSON', async () => {
      const sealed = await sealRequest();
      expectError(
        await call(origin, 'POST', '/api/secrets', { raw: JSON.stringify(sealed.body), headers: { 'content-type': 'text/plain' } }),
        415,
        NOT_JSON,
      );
      expectError(await call(origin, 'POST', '/api/secrets', { raw: JSON.stringify(sealed.body) }), 415, NOT_JSON);
    });

    it('answers 400 to malformed JSON, invalid UTF-8 and an empty body', async () => {
      const json = { 'content-type': 'application/json' };
      expectError(await call(origin, 'POST', '/api/secrets', { raw: '{"envelope":', headers: json }), 400, BAD_JSON);
      const invalidUtf8 = await fetch(`${origin}/api/secrets`, { method: 'POST', headers: json, body: Uint8Array.of(0x7b, 0xff, 0x7d) });
      expect(invalidUtf8.status).toBe(400);
      expect(await invalidUtf8.json()).toEqual(BAD_JSON);
      expectError(await call(origin, 'POST', '/api/secrets', { raw: '', headers: json }), 400, {
        error: 'invalid_request',
        message: 'The request body is empty; send a JSON object.',
      });
    });

    it('answers 400 naming unknown fields and out-of-range values', async () => {
      const { body } = await sealRequest();
      const unknown = await call(origin, 'POST', '/api/secrets', { body: { ...body, extra: 1 } });
      expectError(unknown, 400, {
        error: 'invalid_request',
        message: MISMATCH,
        issues: [{ path: '', message: 'Unrecognized key: "extra"' }],
      });
      const ttl = await call(origin, 'POST', '/api/secrets', { body: { ...body, ttl: 59 } });
      expectError(ttl, 400, { error: 'invalid_request', message: MISMATCH, issues: [{ path: 'ttl', message: 'must be at least 60' }] });
      const long = await call(origin, 'POST', '/api/secrets', { body: { ...body, ttl: 604_801 } });
      expect(long.json.issues).toEqual([{ path: 'ttl', message: 'must be at most 604800' }]);
      const views = await call(origin, 'POST', '/api/secrets', { body: { ...body, views: 11 } });
      expect(views.json.issues).toEqual([{ path: 'views', message: 'must be at most 10' }]);
      const zero = await call(origin, 'POST', '/api/secrets', { body: { ...body, views: 0 } });
      expect(zero.json.issues).toEqual([{ path: 'views', message: 'must be at least 1' }]);
      const notObject = await call(origin, 'POST', '/api/secrets', { body: [body] });
      expect(notObject.status).toBe(400);
      expect(notObject.json.error).toBe('invalid_request');
    });

    it('answers 400 to an envelope that is not a valid v1 envelope', async () => {
      const { body, envelope } = await sealRequest();
      const bytes = decodeB64u(envelope);
      const issue = async (mutated: Uint8Array | string, extra: Record<string, unknown> = {}) => {
        const answer = await call(origin, 'POST', '/api/secrets', {
          body: { ...body, envelope: typeof mutated === 'string' ? mutated : encodeB64u(mutated), ...extra },
        });
        expect(answer.status, answer.text).toBe(400);
        expect(answer.json.error).toBe('invalid_request');
        return answer.json.issues;
      };
      expect(await issue(Uint8Array.from([2, ...bytes.subarray(1)]))).toEqual([
        { path: 'envelope', message: 'unsupported envelope version 2' },
      ]);
      expect(await issue(Uint8Array.from([1, 4, ...bytes.subarray(2)]))).toEqual([{ path: 'envelope', message: 'unknown envelope flags' }]);
      expect(await issue(bytes.subarray(0, 100))).toEqual([{ path: 'envelope', message: 'envelope too short' }]);
      expect(await issue('A')).toEqual([{ path: 'envelope', message: 'invalid base64url length' }]);
      expect(await issue('AAAAAB=')).toEqual([{ path: 'envelope', message: 'must be base64url without padding' }]);
    });

    it('requires passphraseVerifier exactly when the envelope has a passphrase, and refuses costly scrypt parameters', async () => {
      const plain = await sealRequest();
      const withPass = await sealRequest({ passphrase: 'hunter2' });
      const missing = await call(origin, 'POST', '/api/secrets', { body: { ...withPass.body, passphraseVerifier: undefined } });
      expect(missing.json.issues).toEqual([{ path: 'passphraseVerifier', message: 'required: the envelope is sealed with a passphrase' }]);
      const extra = await call(origin, 'POST', '/api/secrets', {
        body: { ...plain.body, passphraseVerifier: withPass.body.passphraseVerifier },
      });
      expect(extra.json.issues).toEqual([
        { path: 'passphraseVerifier', message: 'not allowed: the envelope is sealed without a passphrase' },
      ]);
      const costly = decodeB64u(withPass.envelope);
      costly[2] = 21; // log2n over the reader limit of 20
      const refused = await call(origin, 'POST', '/api/secrets', { body: { ...withPass.body, envelope: encodeB64u(costly) } });
      expect(refused.status).toBe(400);
      expect(refused.json.issues[0].path).toBe('envelope');
    });
  });

  describe('look', () => {
    it('describes a passphrase secret without consuming it', async () => {
      const secret = await create(origin, { passphrase: 'pw', views: 2 });
      for (let i = 0; i < 3; i++) {
        const answer = await call(origin, 'GET', `/api/secrets/${secret.id}`, { token: secret.sealed.accessToken });
        expect(answer.status).toBe(200);
        const body = LookResponse.parse(answer.json);
        expect(body.viewsLeft).toBe(2);
        expect(body.kdf).toMatchObject({ alg: 'scrypt', log2n: 10, r: 8, p: 1 });
        expect(decodeB64u(body.kdf?.salt ?? '')).toEqual(decodeB64u(secret.sealed.envelope).subarray(5, 21));
      }
    });

    it('answers the same 404 to an unknown id, a malformed id, a wrong, missing or malformed token', async () => {
      const secret = await create(origin);
      const other = await sealRequest();
      const { accessToken } = secret.sealed;
      const cases: [string, Record<string, string>][] = [
        [`/api/secrets/${encodeB64u(new Uint8Array(16))}`, { authorization: `Bearer ${accessToken}` }],
        ['/api/secrets/not-an-id', { authorization: `Bearer ${accessToken}` }],
        [`/api/secrets/${secret.id}x`, { authorization: `Bearer ${accessToken}` }],
        [`/api/secrets/${secret.id}`, { authorization: `Bearer ${other.accessToken}` }],
        [`/api/secrets/${secret.id}`, {}],
        [`/api/secrets/${secret.id}`, { authorization: accessToken }],
        [`/api/secrets/${secret.id}`, { authorization: `Basic ${accessToken}` }],
        [`/api/secrets/${secret.id}`, { authorization: `Bearer ${accessToken.slice(1)}` }],
        [`/api/secrets/${secret.id}`, { authorization: `Bearer ${secret.manageToken}` }],
        // The right length but a non-canonical last character (lowercase of a canonical one).
        [`/api/secrets/${secret.id}`, { authorization: `Bearer ${'A'.repeat(42)}a` }],
      ];
      for (const [path, headers] of cases) expectError(await call(origin, 'GET', path, { headers }), 404, NOT_FOUND);
      // The bearer scheme is case-insensitive.
      expect((await call(origin, 'GET', `/api/secrets/${secret.id}`, { headers: { authorization: `bearer ${accessToken}` } })).status).toBe(
        200,
      );
    });
  });

  describe('reveal', () => {
    it('hands out the envelope once, then answers 410 read', async () => {
      const secret = await create(origin);
      const path = `/api/secrets/${secret.id}/reveal`;
      const first = await call(origin, 'POST', path, { token: secret.sealed.accessToken, body: {} });
      expect(first.status).toBe(200);
      expect(RevealResponse.parse(first.json)).toEqual({ envelope: secret.sealed.envelope, viewsLeft: 0 });
      expectGone(await call(origin, 'POST', path, { token: secret.sealed.accessToken, body: {} }), 'read', relay.clock.now());
      expectGone(await call(origin, 'GET', `/api/secrets/${secret.id}`, { token: secret.sealed.accessToken }), 'read');
      expect(
        ErrorResponse.parse((await call(origin, 'GET', `/api/secrets/${secret.id}`, { token: secret.sealed.accessToken })).json).message,
      ).toBe('This secret has already been read, and it is erased.');
    });

    it('counts down the views of a multi-view secret', async () => {
      const secret = await create(origin, { views: 3 });
      const path = `/api/secrets/${secret.id}/reveal`;
      for (const left of [2, 1, 0]) {
        const answer = await call(origin, 'POST', path, { token: secret.sealed.accessToken, body: {} });
        expect(answer.json).toEqual({ envelope: secret.sealed.envelope, viewsLeft: left });
      }
      expectGone(await call(origin, 'POST', path, { token: secret.sealed.accessToken, body: {} }), 'read');
    });

    it('takes an empty body as {}, but any body must be JSON', async () => {
      const secret = await create(origin, { views: 2 });
      const path = `/api/secrets/${secret.id}/reveal`;
      const token = secret.sealed.accessToken;
      expectError(await call(origin, 'POST', path, { token, raw: '', headers: { 'content-type': 'text/plain' } }), 415, NOT_JSON);
      expectError(await call(origin, 'POST', path, { token, raw: '{}', headers: { 'content-type': 'text/plain' } }), 415, NOT_JSON);
      expectError(await call(origin, 'POST', path, { token, raw: '{', headers: { 'content-type': 'application/json' } }), 400, BAD_JSON);
      expect((await call(origin, 'POST', path, { token, body: { nope: true } })).json.issues).toEqual([
        { path: '', message: 'Unrecognized key: "nope"' },
      ]);
      expect((await call(origin, 'POST', path, { token })).json.viewsLeft).toBe(1);
      expect((await call(origin, 'POST', path, { token, raw: '', headers: { 'content-type': 'application/json' } })).json.viewsLeft).toBe(
        0,
      );
    });

    it('answers 413 to a reveal body over its small limit', async () => {
      const secret = await create(origin);
      const answer = await call(origin, 'POST', `/api/secrets/${secret.id}/reveal`, {
        token: secret.sealed.accessToken,
        body: { passphraseToken: 'A'.repeat(5000) },
      });
      expectError(answer, 413, TOO_LARGE);
      expect((await call(origin, 'GET', `/api/secrets/${secret.id}`, { token: secret.sealed.accessToken })).json.viewsLeft).toBe(1);
    });

    it('never counts a wrong access token', async () => {
      const secret = await create(origin);
      const wrong = await sealRequest();
      for (let i = 0; i < 8; i++) {
        expectError(await call(origin, 'POST', `/api/secrets/${secret.id}/reveal`, { token: wrong.accessToken, body: {} }), 404, NOT_FOUND);
      }
      expect((await call(origin, 'POST', `/api/secrets/${secret.id}/reveal`, { token: secret.sealed.accessToken, body: {} })).status).toBe(
        200,
      );
    });

    it('counts wrong passphrase tokens and burns the secret at the fifth', async () => {
      const secret = await create(origin, { passphrase: 'correct horse' });
      const other = await sealRequest({ passphrase: 'wrong horse' });
      const path = `/api/secrets/${secret.id}/reveal`;
      const token = secret.sealed.accessToken;
      expectError(await call(origin, 'POST', path, { token, body: {} }), 400, {
        error: 'invalid_request',
        message: MISMATCH,
        issues: [{ path: 'passphraseToken', message: 'required: this secret is protected by a passphrase' }],
      });
      for (const attemptsLeft of [4, 3, 2, 1]) {
        expectError(await call(origin, 'POST', path, { token, body: { passphraseToken: other.passphraseToken } }), 403, {
          error: 'wrong_passphrase',
          message: 'The passphrase is wrong.',
          attemptsLeft,
        });
      }
      expectGone(
        await call(origin, 'POST', path, { token, body: { passphraseToken: other.passphraseToken } }),
        'burned',
        relay.clock.now(),
      );
      expectGone(await call(origin, 'POST', path, { token, body: { passphraseToken: secret.sealed.passphraseToken } }), 'burned');
      const receipt = await call(origin, 'GET', `/api/secrets/${secret.id}/receipt`, { token: secret.manageToken });
      expect(receipt.json.state).toBe('burned');
    });

    it('reveals with the right passphrase token, and refuses one for a secret without a passphrase', async () => {
      const secret = await create(origin, { passphrase: 'pw' });
      const answer = await call(origin, 'POST', `/api/secrets/${secret.id}/reveal`, {
        token: secret.sealed.accessToken,
        body: { passphraseToken: secret.sealed.passphraseToken },
      });
      expect(answer.json).toEqual({ envelope: secret.sealed.envelope, viewsLeft: 0 });
      const plain = await create(origin);
      const refused = await call(origin, 'POST', `/api/secrets/${plain.id}/reveal`, {
        token: plain.sealed.accessToken,
        body: { passphraseToken: secret.sealed.passphraseToken },
      });
      expect(refused.json.issues).toEqual([{ path: 'passphraseToken', message: 'not allowed: this secret has no passphrase' }]);
    });
  });

  describe('delete and receipt', () => {
    it('tells the creator about an active secret, then a read one', async () => {
      const secret = await create(origin, { views: 2 });
      const receiptPath = `/api/secrets/${secret.id}/receipt`;
      const active = await call(origin, 'GET', receiptPath, { token: secret.manageToken });
      expect(ReceiptResponse.parse(active.json)).toEqual({
        state: 'active',
        createdAt: new Date(relay.clock.now()).toISOString(),
        expiresAt: secret.expiresAt,
        viewsLeft: 2,
        readAt: null,
      });
      relay.clock.advance(5_000);
      await call(origin, 'POST', `/api/secrets/${secret.id}/reveal`, { token: secret.sealed.accessToken, body: {} });
      await call(origin, 'POST', `/api/secrets/${secret.id}/reveal`, { token: secret.sealed.accessToken, body: {} });
      const read = await call(origin, 'GET', receiptPath, { token: secret.manageToken });
      expect(read.json).toMatchObject({ state: 'read', viewsLeft: 0, readAt: new Date(relay.clock.now()).toISOString() });
      expectError(await call(origin, 'GET', receiptPath, { token: secret.sealed.accessToken }), 404, NOT_FOUND);
      expectError(await call(origin, 'GET', receiptPath, {}), 404, NOT_FOUND);
    });

    it('deletes with the manage token only: 204, then 404, and the reader gets 410 deleted', async () => {
      const secret = await create(origin);
      const path = `/api/secrets/${secret.id}`;
      expectError(await call(origin, 'DELETE', path, { token: secret.sealed.accessToken }), 404, NOT_FOUND);
      expectError(await call(origin, 'DELETE', path, {}), 404, NOT_FOUND);
      const deleted = await call(origin, 'DELETE', path, { token: secret.manageToken });
      expect(deleted.status).toBe(204);
      expect(deleted.text).toBe('');
      expectError(await call(origin, 'DELETE', path, { token: secret.manageToken }), 404, NOT_FOUND);
      expectGone(await call(origin, 'GET', path, { token: secret.sealed.accessToken }), 'deleted', relay.clock.now());
      expectGone(await call(origin, 'POST', `${path}/reveal`, { token: secret.sealed.accessToken, body: {} }), 'deleted');
      expect((await call(origin, 'GET', `${path}/receipt`, { token: secret.manageToken })).json.state).toBe('deleted');
    });

    it('answers 204 without a Content-Length and keeps the connection usable', async () => {
      const secret = await create(origin);
      const { port } = new URL(origin);
      const raw = await new Promise<string>((resolve, reject) => {
        const socket = connect(Number(port), '127.0.0.1');
        let text = '';
        socket.on('connect', () => {
          socket.write(`DELETE /api/secrets/${secret.id} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${secret.manageToken}\r\n\r\n`);
        });
        socket.on('data', (chunk) => {
          text += chunk.toString('latin1');
          if (text.startsWith('HTTP/1.1 204') && text.includes('\r\n\r\n') && !text.includes('/healthz-sent')) {
            text += '/healthz-sent';
            socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
          }
          if (text.includes('{"status":"ok"}')) {
            socket.end();
            resolve(text);
          }
        });
        socket.on('error', reject);
        socket.on('close', () => resolve(text));
        socket.setTimeout(5_000, () => socket.destroy(new Error('timed out')));
      });
      const head = raw.slice(0, raw.indexOf('\r\n\r\n')).toLowerCase();
      expect(head.startsWith('http/1.1 204')).toBe(true);
      expect(head).not.toContain('content-length');
      expect(raw).toContain('{"status":"ok"}');
    });

    it('answers 404 to deleting a secret that was already read', async () => {
      const secret = await create(origin);
      await call(origin, 'POST', `/api/secrets/${secret.id}/reveal`, { token: secret.sealed.accessToken, body: {} });
      expectError(await call(origin, 'DELETE', `/api/secrets/${secret.id}`, { token: secret.manageToken }), 404, NOT_FOUND);
    });
  });

  describe('routing and headers', () => {
    it('answers 404 to unknown paths and 405 with Allow to wrong methods', async () => {
      expectError(await call(origin, 'GET', '/nope'), 404, NO_ROUTE);
      expectError(await call(origin, 'GET', '/api/secrets/'), 404, NO_ROUTE);
      expectError(await call(origin, 'GET', '/metrics'), 404, NO_ROUTE);
      const cases: [string, string, string][] = [
        ['GET', '/api/secrets', 'POST'],
        ['PUT', '/api/secrets/abc', 'GET, DELETE'],
        ['GET', '/api/secrets/abc/reveal', 'POST'],
        ['POST', '/api/secrets/abc/receipt', 'GET'],
        ['OPTIONS', '/api/secrets', 'POST'],
        ['POST', '/healthz', 'GET'],
        ['POST', '/api/config', 'GET'],
      ];
      for (const [method, path, allow] of cases) {
        const answer = await call(origin, method, path);
        expectError(answer, 405, { error: 'method_not_allowed', message: `Use ${allow} for this address.` });
        expect(answer.headers.get('allow')).toBe(allow);
      }
    });

    it('sends the security headers on every answer and never a CORS header', async () => {
      const secret = await create(origin);
      const answers = [
        await call(origin, 'GET', '/healthz'),
        await call(origin, 'GET', '/nope', { headers: { origin: 'https://evil.example' } }),
        await call(origin, 'OPTIONS', '/api/secrets', {
          headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
        }),
        await call(origin, 'GET', `/api/secrets/${secret.id}`, { token: secret.sealed.accessToken }),
        await call(origin, 'POST', '/api/secrets', { raw: 'x' }),
      ];
      for (const answer of answers) {
        expect(answer.headers.get('cache-control')).toBe('no-store');
        expect(answer.headers.get('referrer-policy')).toBe('no-referrer');
        expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
        expect([...answer.headers.keys()].filter((name) => name.startsWith('access-control-'))).toEqual([]);
      }
    });

    it('reports health and readiness', async () => {
      const health = await call(origin, 'GET', '/healthz');
      expect([health.status, health.json]).toEqual([200, { status: 'ok' }]);
      const ready = await call(origin, 'GET', '/readyz');
      expect([ready.status, ready.json]).toEqual([200, { status: 'ok' }]);
    });
  });

  describe('relay settings', () => {
    it('answers GET /api/config with exactly the protocol defaults of a default relay', async () => {
      const answer = await call(origin, 'GET', '/api/config');
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(answer.headers.get('cache-control')).toBe('no-store');
      expect(answer.json).toEqual({
        version: 1,
        maxTtlSeconds: 604_800,
        maxViews: 10,
        maxEnvelopeBytes: 1_048_576,
        createEnabled: true,
        proofOfWork: 'off',
      });
    });

    it('reports the operator’s own limits, and creation switched off', async () => {
      const other = await startTestRelay(engine, {
        ...database.env(),
        PSST_MAX_TTL_SECONDS: '3600',
        PSST_MAX_VIEWS: '3',
        PSST_MAX_ENVELOPE_BYTES: '65536',
        PSST_CREATE_ENABLED: 'false',
      });
      try {
        const answer = await call(other.origin, 'GET', '/api/config');
        expect(RelayConfigResponse.parse(answer.json)).toEqual({
          version: 1,
          maxTtlSeconds: 3600,
          maxViews: 3,
          maxEnvelopeBytes: 65_536,
          createEnabled: false,
          proofOfWork: 'off',
        });
      } finally {
        await other.close();
      }
    });
  });

  describe('expiry (injected clock)', () => {
    it('answers 410 expired at read time, and 404 once the tombstone is purged', async () => {
      const secret = await create(origin, { ttl: 60 });
      const created = relay.clock.now();
      const path = `/api/secrets/${secret.id}`;
      relay.clock.advance(59_000);
      expect((await call(origin, 'GET', path, { token: secret.sealed.accessToken })).status).toBe(200);
      relay.clock.advance(1_000);
      expectGone(await call(origin, 'GET', path, { token: secret.sealed.accessToken }), 'expired', created + 60_000);
      expectGone(await call(origin, 'POST', `${path}/reveal`, { token: secret.sealed.accessToken, body: {} }), 'expired');
      expect((await call(origin, 'GET', `${path}/receipt`, { token: secret.manageToken })).json.state).toBe('expired');
      await relay.server.sweeper.runOnce();
      expectGone(await call(origin, 'GET', path, { token: secret.sealed.accessToken }), 'expired');
      relay.clock.advance(86_400_000);
      await relay.server.sweeper.runOnce();
      expectError(await call(origin, 'GET', path, { token: secret.sealed.accessToken }), 404, NOT_FOUND);
      expectError(await call(origin, 'GET', `${path}/receipt`, { token: secret.manageToken }), 404, NOT_FOUND);
    });
  });

  // Last in the block: it stops the block's PostgreSQL cluster for a while.
  describe.runIf(store === 'postgres')('a database outage', () => {
    it('answers 503 storage_unavailable and /readyz 503 while the database is down, then serves again by itself', async () => {
      const secret = await create(origin, { views: 2 });
      const path = `/api/secrets/${secret.id}`;
      const reveal = () => call(origin, 'POST', `${path}/reveal`, { token: secret.sealed.accessToken, body: {} });
      database.cluster.stop();
      try {
        const sealed = await sealRequest();
        expectError(await call(origin, 'POST', '/api/secrets', { body: sealed.body }), 503, UNAVAILABLE);
        expectError(await call(origin, 'GET', path, { token: secret.sealed.accessToken }), 503, UNAVAILABLE);
        expectError(await reveal(), 503, UNAVAILABLE);
        expectError(await call(origin, 'DELETE', path, { token: secret.manageToken }), 503, UNAVAILABLE);
        expectError(await call(origin, 'GET', '/readyz'), 503, {
          error: 'storage_unavailable',
          message: 'Not ready: the database does not answer.',
        });
        expect(await call(relay.metricsOrigin, 'GET', '/metrics').then((m) => m.text)).toMatch(/^psst_db_up 0$/m);
      } finally {
        database.cluster.start();
      }
      expect((await call(origin, 'GET', '/readyz')).status).toBe(200);
      expect(await reveal().then((a) => a.json)).toMatchObject({ viewsLeft: 1 });
      expect((await call(origin, 'POST', '/api/secrets', { body: (await sealRequest()).body })).status).toBe(201);
      expect(await call(relay.metricsOrigin, 'GET', '/metrics').then((m) => m.text)).toMatch(/^psst_db_up 1$/m);
    });
  });
});
