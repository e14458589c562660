// zod schemas for every request and response body of the HTTP API (its lists
// of names, the error codes among them, are in names.ts): the contract, written once. The relay validates with them.
// Clients do not bundle zod: they parse responses with responses.ts, which
// checks each body against the JSON Schema zod writes for these schemas
// (response-schemas.ts, generated; responses.test.ts keeps it current and holds
// it to zod's verdicts). The API's paths are in paths.ts, the defaults a client
// assumes in responses.ts, so that a client imports types only from here.
// NOTE for users: `.parse()` throws `$ZodError` (from 'zod/v4/core', also
// `z.core.$ZodError` in 'zod/mini'), NOT classic zod's `ZodError`; messages
// are generic unless the process loads a locale (`z.config(en())`).
import * as z from 'zod/mini';
import {
  DEFAULT_MAX_TTL_SECONDS,
  DEFAULT_MAX_VIEWS,
  DEFAULT_VIEWS,
  MAX_PASSPHRASE_ATTEMPTS,
  MIN_TTL_SECONDS,
  READER_KDF_LIMITS,
} from './limits.js';
import { ERROR_CODES, GONE_REASONS, PROOF_OF_WORK_MODES, SECRET_STATES } from './names.js';

const b64u = /* @__PURE__ */ z.string().check(z.regex(/^[A-Za-z0-9_-]*$/, 'must be base64url without padding'));
/** b64u of exactly 32 bytes (a token or a verifier): 43 characters, the last one carrying 2 zero bits. Case-sensitive. */
export const B64U32_PATTERN = /^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/;
export const B64u32 = /* @__PURE__ */ z.string().check(z.regex(B64U32_PATTERN, 'must be base64url of 32 bytes'));
export const SecretId = /* @__PURE__ */ z.string().check(z.regex(/^[A-Za-z0-9_-]{21}[AQgw]$/, 'must be a 22-character secret id'));
/** ISO 8601 UTC, as the relay writes it (Date.prototype.toISOString). */
const timestamp = /* @__PURE__ */ z
  .string()
  .check(z.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/, 'must be an ISO 8601 UTC time'));
const int = (min: number, max?: number) =>
  max === undefined
    ? z.int().check(z.minimum(min, `must be at least ${min}`))
    : z.int().check(z.minimum(min, `must be at least ${min}`), z.maximum(max, `must be at most ${max}`));

export interface ApiLimits {
  maxTtlSeconds: number;
  maxViews: number;
}

const hex = /* @__PURE__ */ z.string().check(z.regex(/^[0-9a-f]*$/, 'must be lowercase hex'), z.maxLength(1_024));

/**
 * PROTOCOL.md "Proof of work": an ALTCHA PoW v2 challenge (`altcha-lib` 2.x `createChallenge`), as the relay
 * signs it. Strict: the relay checks the signature over exactly these fields.
 */
export const ProofOfWorkChallenge = /* @__PURE__ */ z.strictObject({
  parameters: z.strictObject({
    algorithm: z.string().check(z.maxLength(32)),
    nonce: hex,
    salt: hex,
    cost: int(1),
    keyLength: int(1, 64),
    keyPrefix: hex,
    keySignature: z.optional(hex),
    memoryCost: z.optional(int(1)),
    parallelism: z.optional(int(1)),
    expiresAt: z.optional(int(1)),
    data: z.optional(
      z.record(z.string().check(z.maxLength(64)), z.union([z.string().check(z.maxLength(256)), z.number(), z.boolean(), z.null()])),
    ),
  }),
  signature: hex,
});
export type ProofOfWorkChallenge = z.infer<typeof ProofOfWorkChallenge>;

/** What a create carries: the challenge as received and the solution as `solveChallenge` returns it. */
export const ProofOfWork = /* @__PURE__ */ z.strictObject({
  challenge: ProofOfWorkChallenge,
  solution: z.strictObject({ counter: int(0, 0xffff_ffff), derivedKey: hex, time: z.optional(z.number()) }),
});
export type ProofOfWork = z.infer<typeof ProofOfWork>;

/** The create body under the given relay limits. */
export function createSecretRequestSchema(limits: ApiLimits) {
  return z.strictObject({
    envelope: b64u.check(z.minLength(1, 'must not be empty')),
    accessVerifier: B64u32,
    passphraseVerifier: z.optional(B64u32),
    ttl: int(MIN_TTL_SECONDS, limits.maxTtlSeconds),
    views: z._default(int(1, limits.maxViews), DEFAULT_VIEWS),
    proofOfWork: z.optional(ProofOfWork),
  });
}

export const CreateSecretRequest = /* @__PURE__ */ createSecretRequestSchema({
  maxTtlSeconds: DEFAULT_MAX_TTL_SECONDS,
  maxViews: DEFAULT_MAX_VIEWS,
});
export type CreateSecretRequest = z.input<typeof CreateSecretRequest>;

export const CreateSecretResponse = /* @__PURE__ */ z.object({ id: SecretId, manageToken: B64u32, expiresAt: timestamp });
export type CreateSecretResponse = z.infer<typeof CreateSecretResponse>;

export const KdfDescription = /* @__PURE__ */ z.object({
  alg: z.literal('scrypt'),
  log2n: int(1, READER_KDF_LIMITS.log2n),
  r: int(1, READER_KDF_LIMITS.r),
  p: int(1, READER_KDF_LIMITS.p),
  salt: b64u.check(z.length(22)),
});
export type KdfDescription = z.infer<typeof KdfDescription>;

export const LookResponse = /* @__PURE__ */ z.object({
  expiresAt: timestamp,
  viewsLeft: int(1),
  kdf: z.nullable(KdfDescription),
});
export type LookResponse = z.infer<typeof LookResponse>;

export const RevealRequest = /* @__PURE__ */ z.strictObject({ passphraseToken: z.optional(B64u32) });
export type RevealRequest = z.infer<typeof RevealRequest>;

export const RevealResponse = /* @__PURE__ */ z.object({ envelope: b64u.check(z.minLength(1)), viewsLeft: int(0) });
export type RevealResponse = z.infer<typeof RevealResponse>;

export const SecretState = /* @__PURE__ */ z.enum(SECRET_STATES);
export type SecretState = z.infer<typeof SecretState>;

export const GoneReason = /* @__PURE__ */ z.enum(GONE_REASONS);
export type GoneReason = z.infer<typeof GoneReason>;

export const ReceiptResponse = /* @__PURE__ */ z.object({
  state: SecretState,
  createdAt: timestamp,
  expiresAt: timestamp,
  viewsLeft: int(0),
  readAt: z.nullable(timestamp),
});
export type ReceiptResponse = z.infer<typeof ReceiptResponse>;

export const ErrorCode = /* @__PURE__ */ z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCode>;

/** Every error body: a code, words for people, and the fields some codes add. */
export const ErrorResponse = /* @__PURE__ */ z.object({
  error: ErrorCode,
  message: z.string(),
  /** gone */
  reason: z.optional(GoneReason),
  at: z.optional(timestamp),
  /** wrong_passphrase */
  attemptsLeft: z.optional(int(0, MAX_PASSPHRASE_ATTEMPTS)),
  /** rate_limited: seconds, as in the Retry-After header */
  retryAfter: z.optional(int(0)),
  /** invalid_request: which fields are wrong */
  issues: z.optional(z.array(z.object({ path: z.string(), message: z.string() }))),
});
export type ErrorResponse = z.infer<typeof ErrorResponse>;

/** How a relay asks for proof of work: never, for every create, or only under pressure. */
export const ProofOfWorkMode = /* @__PURE__ */ z.enum(PROOF_OF_WORK_MODES);
export type ProofOfWorkMode = z.infer<typeof ProofOfWorkMode>;

/** `GET /api/config`: what a client needs to know before it creates. Unknown fields are ignored (a newer relay may add some). */
export const RelayConfigResponse = /* @__PURE__ */ z.object({
  version: z.literal(1),
  maxTtlSeconds: int(MIN_TTL_SECONDS),
  maxViews: int(1),
  maxEnvelopeBytes: int(1),
  createEnabled: z.boolean(),
  proofOfWork: ProofOfWorkMode,
});
export type RelayConfigResponse = z.infer<typeof RelayConfigResponse>;

export const HealthResponse = /* @__PURE__ */ z.object({ status: z.literal('ok') });
export type HealthResponse = z.infer<typeof HealthResponse>;
