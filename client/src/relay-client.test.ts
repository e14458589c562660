import { DEFAULT_RELAY_CONFIG } from '@psst/protocol/responses';
import { describe, expect, it } from 'vitest';
import { checkHealth, createSecret, deleteSecret, fetchReceipt, fetchRelayConfig, loadRelayConfig, RelayError } from './relay-client.js';
import { json, recordingFetch, SOME_ID, SOME_TOKEN } from './test-fakes.js';

const REQUEST = { envelope: 'AQ', accessVerifier: SOME_TOKEN, ttl: 60, views: 1 };

describe('relay client', () => {
  it('puts tokens in the Authorization header, never in the URL', async () => {
    const fetch = recordingFetch(() =>
      json(200, { state: 'active', createdAt: '2026-01-01T10:00:00Z', expiresAt: '2026-01-01T11:00:00Z', viewsLeft: 1, readAt: null }),
    );
    await fetchReceipt(fetch, 'http://r', SOME_ID, SOME_TOKEN);
    expect(fetch.requests[0]!.url).toBe(`http://r/api/secrets/${SOME_ID}/receipt`);
    expect(fetch.requests[0]!.headers.authorization).toBe(`Bearer ${SOME_TOKEN}`);
  });

  it('rejects a create answer that does not match the schema', async () => {
    const fetch = recordingFetch(() => json(201, { id: 'short', manageToken: SOME_TOKEN, expiresAt: 'tomorrow' }));
    await expect(createSecret(fetch, 'http://r', REQUEST)).rejects.toMatchObject({ kind: 'bad_response' });
  });

  it('carries the error body and Retry-After of a refusal', async () => {
    const fetch = recordingFetch(() => json(429, { error: 'rate_limited', message: 'slow down' }, { 'Retry-After': '30' }));
    const error = await createSecret(fetch, 'http://r', REQUEST).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RelayError);
    expect(error).toMatchObject({ kind: 'api', status: 429, retryAfter: 30, body: { error: 'rate_limited' } });
  });

  it('keeps the status when the error body is not JSON', async () => {
    const fetch = recordingFetch(() => new Response('<html>bad gateway</html>', { status: 502 }));
    await expect(createSecret(fetch, 'http://r', REQUEST)).rejects.toMatchObject({ kind: 'api', status: 502, body: undefined });
  });

  it('reads delete answers: 204 deleted, 404 already gone', async () => {
    let status = 204;
    const fetch = recordingFetch(() => (status === 204 ? new Response(null, { status }) : json(404, { error: 'not_found', message: 'x' })));
    expect(await deleteSecret(fetch, 'http://r', SOME_ID, SOME_TOKEN)).toBe(true);
    status = 404;
    expect(await deleteSecret(fetch, 'http://r', SOME_ID, SOME_TOKEN)).toBe(false);
    expect(fetch.requests[0]!.method).toBe('DELETE');
  });

  it('answers null for the receipt of an unknown secret', async () => {
    const fetch = recordingFetch(() => json(404, { error: 'not_found', message: 'x' }));
    expect(await fetchReceipt(fetch, 'http://r', SOME_ID, SOME_TOKEN)).toBeNull();
  });

  it('checks health against /healthz', async () => {
    const fetch = recordingFetch(() => json(200, { status: 'ok' }));
    await checkHealth(fetch, 'http://r/prefix');
    expect(fetch.requests[0]!.url).toBe('http://r/prefix/healthz');
    await expect(
      checkHealth(
        recordingFetch(() => json(200, { hello: 1 })),
        'http://r',
      ),
    ).rejects.toMatchObject({ kind: 'bad_response' });
  });

  it('reads the relay settings and refuses a body that does not match them', async () => {
    const settings = { version: 1, maxTtlSeconds: 3600, maxViews: 2, maxEnvelopeBytes: 4096, createEnabled: true, proofOfWork: 'off' };
    const fetch = recordingFetch(() => json(200, settings));
    expect(await fetchRelayConfig(fetch, 'http://r')).toEqual(settings);
    expect(fetch.requests[0]).toMatchObject({ url: 'http://r/api/config', method: 'GET' });
    const bad = recordingFetch(() => json(200, { ...settings, maxViews: 'many' }));
    await expect(fetchRelayConfig(bad, 'http://r')).rejects.toMatchObject({ kind: 'bad_response' });
  });

  it('falls back to the protocol defaults only when the relay cannot be asked', async () => {
    const offline = Object.assign(async () => Promise.reject(new TypeError('Failed to fetch')), { requests: [] });
    expect(await loadRelayConfig(offline, 'http://r')).toEqual({ config: DEFAULT_RELAY_CONFIG, fromRelay: false });
    const older = recordingFetch(() => json(404, { error: 'not_found', message: 'There is nothing at this address.' }));
    expect(await loadRelayConfig(older, 'http://r')).toEqual({ config: DEFAULT_RELAY_CONFIG, fromRelay: false });
    const limited = recordingFetch(() => json(429, { error: 'rate_limited', message: 'slow down' }, { 'Retry-After': '5' }));
    await expect(loadRelayConfig(limited, 'http://r')).rejects.toMatchObject({ kind: 'api', status: 429, retryAfter: 5 });
  });
});
