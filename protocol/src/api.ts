// zod schemas for every request and response body of the HTTP API, and the
// error codes. The relay validates with them; clients parse every response
// with them (no casts on data from the network).
import { z } from 'zod';
import {
  DEFAULT_MAX_TTL_SECONDS,
  DEFAULT_MAX_VIEWS,
  DEFAULT_VIEWS,
  MAX_PASSPHRASE_ATTEMPTS,
  MIN_TTL_SECONDS,
  READER_KDF_LIMITS,
} from './limits.js';

const b64u = z.string().regex(/^[A-Za-z0-9_-]*$/, 'must be base64url without padding');
/** b64u of exactly 32 bytes: 43 characters, the last one carrying 2 zero bits. */
export const B64u32 = z.string().regex(/^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/, 'must be base64url of 32 bytes');
export const SecretId = z.string().regex(/^[A-Za-z0-9_-]{21}[AQgw]$/, 'must be a 22-character secret id');
const timestamp = z.iso.datetime({ offset: false });

export interface ApiLimits {
  maxTtlSeconds: number;
  maxViews: number;
}

/** The create body under the given relay limits. */
export function createSecretRequestSchema(limits: ApiLimits) {
  return z.strictObject({
    envelope: b64u.min(1, 'must not be empty'),
    accessVerifier: B64u32,
    passphraseVerifier: B64u32.optional(),
    ttl: z.number().int().min(MIN_TTL_SECONDS).max(limits.maxTtlSeconds),
    views: z.number().int().min(1).max(limits.maxViews).default(DEFAULT_VIEWS),
  });
}

export const CreateSecretRequest = createSecretRequestSchema({ maxTtlSeconds: DEFAULT_MAX_TTL_SECONDS, maxViews: DEFAULT_MAX_VIEWS });
export type CreateSecretRequest = z.input<typeof CreateSecretRequest>;

export const CreateSecretResponse = z.object({ id: SecretId, manageToken: B64u32, expiresAt: timestamp });
export type CreateSecretResponse = z.infer<typeof CreateSecretResponse>;

export const KdfDescription = z.object({
  alg: z.literal('scrypt'),
  log2n: z.number().int().min(1).max(READER_KDF_LIMITS.log2n),
  r: z.number().int().min(1).max(READER_KDF_LIMITS.r),
  p: z.number().int().min(1).max(READER_KDF_LIMITS.p),
  salt: b64u.length(22),
});
export type KdfDescription = z.infer<typeof KdfDescription>;

export const LookResponse = z.object({
  expiresAt: timestamp,
  viewsLeft: z.number().int().min(1),
  kdf: KdfDescription.nullable(),
});
export type LookResponse = z.infer<typeof LookResponse>;

export const RevealRequest = z.strictObject({ passphraseToken: B64u32.optional() });
export type RevealRequest = z.infer<typeof RevealRequest>;

export const RevealResponse = z.object({ envelope: b64u.min(1), viewsLeft: z.number().int().min(0) });
export type RevealResponse = z.infer<typeof RevealResponse>;

export const SecretState = z.enum(['active', 'read', 'expired', 'deleted', 'burned']);
export type SecretState = z.infer<typeof SecretState>;

export const GoneReason = z.enum(['read', 'expired', 'deleted', 'burned']);
export type GoneReason = z.infer<typeof GoneReason>;

export const ReceiptResponse = z.object({
  state: SecretState,
  createdAt: timestamp,
  expiresAt: timestamp,
  viewsLeft: z.number().int().min(0),
  readAt: timestamp.nullable(),
});
export type ReceiptResponse = z.infer<typeof ReceiptResponse>;

export const ErrorCode = z.enum([
  'invalid_request',
  'payload_too_large',
  'unsupported_media_type',
  'rate_limited',
  'storage_full',
  'creation_disabled',
  'not_found',
  'gone',
  'wrong_passphrase',
  'method_not_allowed',
  'internal',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

/** Every error body: a code, words for people, and the fields some codes add. */
export const ErrorResponse = z.object({
  error: ErrorCode,
  message: z.string(),
  /** gone */
  reason: GoneReason.optional(),
  at: timestamp.optional(),
  /** wrong_passphrase */
  attemptsLeft: z.number().int().min(0).max(MAX_PASSPHRASE_ATTEMPTS).optional(),
  /** rate_limited: seconds, as in the Retry-After header */
  retryAfter: z.number().int().min(0).optional(),
  /** invalid_request: which fields are wrong */
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type ErrorResponse = z.infer<typeof ErrorResponse>;

export const HealthResponse = z.object({ status: z.literal('ok') });
export type HealthResponse = z.infer<typeof HealthResponse>;

/** The API paths, relative to the origin. */
export const apiPaths = {
  secrets: '/api/secrets',
  secret: (id: string) => `/api/secrets/${id}`,
  reveal: (id: string) => `/api/secrets/${id}/reveal`,
  receipt: (id: string) => `/api/secrets/${id}/receipt`,
  healthz: '/healthz',
  readyz: '/readyz',
} as const;
