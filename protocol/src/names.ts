// The API's lists of names (PROTOCOL.md "HTTP API"), without zod: api.ts makes
// its enums of them, and the generated response-schemas.ts refers to them, so
// each list is written once and a client's bundle carries each once.

/** What a receipt says of a secret. */
export const SECRET_STATES = ['active', 'read', 'expired', 'deleted', 'burned'] as const;

/** Why a secret is gone (a 410's `reason`). */
export const GONE_REASONS = ['read', 'expired', 'deleted', 'burned'] as const;

/** Every error body's `error`. */
export const ERROR_CODES = [
  'invalid_request',
  'payload_too_large',
  'unsupported_media_type',
  'rate_limited',
  'storage_full',
  'creation_disabled',
  'storage_unavailable',
  'not_found',
  'gone',
  'wrong_passphrase',
  /** PROTOCOL.md "Proof of work": the relay asks for a solved challenge (missing, invalid, expired or already used). */
  'proof_of_work_required',
  'method_not_allowed',
  'internal',
] as const;

/** How a relay asks for proof of work: never, for every create, or only under pressure. */
export const PROOF_OF_WORK_MODES = ['off', 'always', 'auto'] as const;
