// The parsers of every response body a client reads: each checks the body
// against the JSON Schema zod writes for api.ts's schema (response-schemas.ts)
// and returns a fresh value of api.ts's type, or throws ShapeError naming
// where the body differs. No cast on data from the network, and no zod in a
// client's bundle (the reveal page's 30 KB budget).
import type {
  CreateSecretResponse,
  ErrorResponse,
  HealthResponse,
  LookResponse,
  ProofOfWorkChallenge,
  ReceiptResponse,
  RelayConfigResponse,
  RevealResponse,
} from './api.js';
import { DEFAULT_MAX_ENVELOPE_BYTES, DEFAULT_MAX_TTL_SECONDS, DEFAULT_MAX_VIEWS } from './limits.js';
import * as schemas from './response-schemas.js';
import { admit, type JsonSchema } from './shape.js';

const parser =
  <T>(schema: JsonSchema) =>
  (body: unknown): T =>
    admit(schema, body) as T;

export const parseLookResponse = /* @__PURE__ */ parser<LookResponse>(schemas.LookResponse);
export const parseRevealResponse = /* @__PURE__ */ parser<RevealResponse>(schemas.RevealResponse);
export const parseErrorResponse = /* @__PURE__ */ parser<ErrorResponse>(schemas.ErrorResponse);
export const parseCreateSecretResponse = /* @__PURE__ */ parser<CreateSecretResponse>(schemas.CreateSecretResponse);
export const parseReceiptResponse = /* @__PURE__ */ parser<ReceiptResponse>(schemas.ReceiptResponse);
export const parseRelayConfigResponse = /* @__PURE__ */ parser<RelayConfigResponse>(schemas.RelayConfigResponse);
export const parseProofOfWorkChallenge = /* @__PURE__ */ parser<ProofOfWorkChallenge>(schemas.ProofOfWorkChallenge);
export const parseHealthResponse = /* @__PURE__ */ parser<HealthResponse>(schemas.HealthResponse);

/** What a client assumes when it cannot reach `GET /api/config`: the defaults of PROTOCOL.md. */
export const DEFAULT_RELAY_CONFIG: Readonly<RelayConfigResponse> = Object.freeze({
  version: 1,
  maxTtlSeconds: DEFAULT_MAX_TTL_SECONDS,
  maxViews: DEFAULT_MAX_VIEWS,
  maxEnvelopeBytes: DEFAULT_MAX_ENVELOPE_BYTES,
  createEnabled: true,
  proofOfWork: 'off',
});
