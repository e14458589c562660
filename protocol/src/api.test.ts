import { describe, expect, it } from 'vitest';
import {
  CreateSecretRequest,
  createSecretRequestSchema,
  ErrorResponse,
  LookResponse,
  RelayConfigResponse,
  RevealRequest,
  SecretId,
} from './api.js';
import { encodeB64u } from './b64u.js';
import { DEFAULT_RELAY_CONFIG } from './responses.js';

const v32 = encodeB64u(new Uint8Array(32).fill(7));

describe('API schemas', () => {
  it('accepts a create request and defaults views to 1', () => {
    const parsed = CreateSecretRequest.parse({ envelope: 'AQA', accessVerifier: v32, ttl: 3600 });
    expect(parsed.views).toBe(1);
  });

  it('rejects unknown fields, bad bounds and non-canonical verifiers', () => {
    expect(CreateSecretRequest.safeParse({ envelope: 'AQA', accessVerifier: v32, ttl: 3600, extra: 1 }).success).toBe(false);
    expect(CreateSecretRequest.safeParse({ envelope: 'AQA', accessVerifier: v32, ttl: 59 }).success).toBe(false);
    expect(CreateSecretRequest.safeParse({ envelope: 'AQA', accessVerifier: v32, ttl: 604_801 }).success).toBe(false);
    expect(CreateSecretRequest.safeParse({ envelope: 'AQA', accessVerifier: v32, ttl: 60.5 }).success).toBe(false);
    expect(CreateSecretRequest.safeParse({ envelope: 'AQA', accessVerifier: v32, ttl: 60, views: 11 }).success).toBe(false);
    expect(CreateSecretRequest.safeParse({ envelope: 'AQA', accessVerifier: `${v32.slice(0, 42)}B`, ttl: 60 }).success).toBe(false);
    expect(CreateSecretRequest.safeParse({ envelope: 'AQ=', accessVerifier: v32, ttl: 60 }).success).toBe(false);
  });

  it('takes the relay’s own maxima', () => {
    const schema = createSecretRequestSchema({ maxTtlSeconds: 120, maxViews: 2 });
    expect(schema.safeParse({ envelope: 'AQA', accessVerifier: v32, ttl: 121 }).success).toBe(false);
    expect(schema.safeParse({ envelope: 'AQA', accessVerifier: v32, ttl: 120, views: 3 }).success).toBe(false);
    expect(schema.safeParse({ envelope: 'AQA', accessVerifier: v32, ttl: 120, views: 2 }).success).toBe(true);
  });

  it('parses responses and error bodies', () => {
    expect(LookResponse.parse({ expiresAt: '2026-01-01T00:00:00.000Z', viewsLeft: 1, kdf: null }).kdf).toBeNull();
    expect(ErrorResponse.parse({ error: 'gone', message: 'x', reason: 'read', at: '2026-01-01T00:00:00Z' }).reason).toBe('read');
    expect(ErrorResponse.safeParse({ error: 'teapot', message: 'x' }).success).toBe(false);
    // Every code PROTOCOL.md names, including the proof-of-work refusal a relay may send.
    for (const error of ['proof_of_work_required', 'method_not_allowed', 'storage_full', 'creation_disabled']) {
      expect(ErrorResponse.safeParse({ error, message: 'x' }).success, error).toBe(true);
    }
    expect(RevealRequest.safeParse({ passphraseToken: v32, x: 1 }).success).toBe(false);
  });

  it('accepts only canonical secret ids', () => {
    expect(SecretId.safeParse('AAECAwQFBgcICQoLDA0ODw').success).toBe(true);
    expect(SecretId.safeParse('AAECAwQFBgcICQoLDA0ODx').success).toBe(false);
  });

  it('parses the relay settings, ignoring fields a newer relay adds, and refuses unknown modes', () => {
    const body = { version: 1, maxTtlSeconds: 3600, maxViews: 3, maxEnvelopeBytes: 65_536, createEnabled: false, proofOfWork: 'auto' };
    expect(RelayConfigResponse.parse({ ...body, later: true })).toEqual(body);
    expect(RelayConfigResponse.safeParse({ ...body, proofOfWork: 'sometimes' }).success).toBe(false);
    expect(RelayConfigResponse.safeParse({ ...body, version: 2 }).success).toBe(false);
    expect(RelayConfigResponse.safeParse({ ...body, maxTtlSeconds: 59 }).success).toBe(false);
  });

  it('falls back to the protocol defaults for the relay settings', () => {
    expect(RelayConfigResponse.parse(DEFAULT_RELAY_CONFIG)).toEqual({
      version: 1,
      maxTtlSeconds: 604_800,
      maxViews: 10,
      maxEnvelopeBytes: 1_048_576,
      createEnabled: true,
      proofOfWork: 'off',
    });
  });
});
