// Generated from api.ts by responses.test.ts; do not edit. To write it again after
// changing a response schema: `pnpm vitest run protocol/src/responses.test.ts -u`.
// The JSON Schema (draft 2020-12) of each response body a client reads, as
// zod's `z.toJSONSchema(schema, { io: 'input' })` writes it; shape.ts checks it.
// The lists of names are names.ts's, referred to, not written again.
import { ERROR_CODES, GONE_REASONS, PROOF_OF_WORK_MODES, SECRET_STATES } from './names.js';
import type { JsonSchema } from './shape.js';

export const LookResponse: JsonSchema = {
  type: 'object',
  properties: {
    expiresAt: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?Z$' },
    viewsLeft: { type: 'integer', minimum: 1, maximum: 9007199254740991 },
    kdf: {
      anyOf: [
        {
          type: 'object',
          properties: {
            alg: { type: 'string', const: 'scrypt' },
            log2n: { type: 'integer', minimum: 1, maximum: 18 },
            r: { type: 'integer', minimum: 1, maximum: 8 },
            p: { type: 'integer', minimum: 1, maximum: 2 },
            salt: { type: 'string', minLength: 22, maxLength: 22, pattern: '^[A-Za-z0-9_-]*$' },
          },
          required: ['alg', 'log2n', 'r', 'p', 'salt'],
        },
        { type: 'null' },
      ],
    },
  },
  required: ['expiresAt', 'viewsLeft', 'kdf'],
};

export const RevealResponse: JsonSchema = {
  type: 'object',
  properties: {
    envelope: { type: 'string', minLength: 1, pattern: '^[A-Za-z0-9_-]*$' },
    viewsLeft: { type: 'integer', minimum: 0, maximum: 9007199254740991 },
  },
  required: ['envelope', 'viewsLeft'],
};

export const ErrorResponse: JsonSchema = {
  type: 'object',
  properties: {
    error: { type: 'string', enum: ERROR_CODES },
    message: { type: 'string' },
    reason: { type: 'string', enum: GONE_REASONS },
    at: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?Z$' },
    attemptsLeft: { type: 'integer', minimum: 0, maximum: 5 },
    retryAfter: { type: 'integer', minimum: 0, maximum: 9007199254740991 },
    issues: {
      type: 'array',
      items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } }, required: ['path', 'message'] },
    },
  },
  required: ['error', 'message'],
};

export const CreateSecretResponse: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', pattern: '^[A-Za-z0-9_-]{21}[AQgw]$' },
    manageToken: { type: 'string', pattern: '^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$' },
    expiresAt: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?Z$' },
  },
  required: ['id', 'manageToken', 'expiresAt'],
};

export const ReceiptResponse: JsonSchema = {
  type: 'object',
  properties: {
    state: { type: 'string', enum: SECRET_STATES },
    createdAt: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?Z$' },
    expiresAt: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?Z$' },
    viewsLeft: { type: 'integer', minimum: 0, maximum: 9007199254740991 },
    readAt: { anyOf: [{ type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?Z$' }, { type: 'null' }] },
  },
  required: ['state', 'createdAt', 'expiresAt', 'viewsLeft', 'readAt'],
};

export const RelayConfigResponse: JsonSchema = {
  type: 'object',
  properties: {
    version: { type: 'number', const: 1 },
    maxTtlSeconds: { type: 'integer', minimum: 60, maximum: 9007199254740991 },
    maxViews: { type: 'integer', minimum: 1, maximum: 9007199254740991 },
    maxEnvelopeBytes: { type: 'integer', minimum: 1, maximum: 9007199254740991 },
    createEnabled: { type: 'boolean' },
    proofOfWork: { type: 'string', enum: PROOF_OF_WORK_MODES },
  },
  required: ['version', 'maxTtlSeconds', 'maxViews', 'maxEnvelopeBytes', 'createEnabled', 'proofOfWork'],
};

export const ProofOfWorkChallenge: JsonSchema = {
  type: 'object',
  properties: {
    parameters: {
      type: 'object',
      properties: {
        algorithm: { type: 'string', maxLength: 32 },
        nonce: { type: 'string', maxLength: 1024, pattern: '^[0-9a-f]*$' },
        salt: { type: 'string', maxLength: 1024, pattern: '^[0-9a-f]*$' },
        cost: { type: 'integer', minimum: 1, maximum: 9007199254740991 },
        keyLength: { type: 'integer', minimum: 1, maximum: 64 },
        keyPrefix: { type: 'string', maxLength: 1024, pattern: '^[0-9a-f]*$' },
        keySignature: { type: 'string', maxLength: 1024, pattern: '^[0-9a-f]*$' },
        memoryCost: { type: 'integer', minimum: 1, maximum: 9007199254740991 },
        parallelism: { type: 'integer', minimum: 1, maximum: 9007199254740991 },
        expiresAt: { type: 'integer', minimum: 1, maximum: 9007199254740991 },
        data: {
          type: 'object',
          propertyNames: { type: 'string', maxLength: 64 },
          additionalProperties: { anyOf: [{ type: 'string', maxLength: 256 }, { type: 'number' }, { type: 'boolean' }, { type: 'null' }] },
        },
      },
      required: ['algorithm', 'nonce', 'salt', 'cost', 'keyLength', 'keyPrefix'],
      additionalProperties: false,
    },
    signature: { type: 'string', maxLength: 1024, pattern: '^[0-9a-f]*$' },
  },
  required: ['parameters', 'signature'],
  additionalProperties: false,
};

export const HealthResponse: JsonSchema = { type: 'object', properties: { status: { type: 'string', const: 'ok' } }, required: ['status'] };
