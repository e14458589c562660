// The secret endpoints of PROTOCOL.md: create, look, reveal, delete, receipt.
// Whoever holds only an id learns nothing: an unknown id, a malformed id and
// a wrong token all get the same 404, and a wrong access token never counts.
import { createSecretRequestSchema, type LookResponse, type ReceiptResponse, RevealRequest, SecretId } from '@psst/protocol/api';
import { b64uDecodedLength, decodeB64u, encodeB64u } from '@psst/protocol/b64u';
import { parseEnvelopeHeader } from '@psst/protocol/envelope';
import { EncodingError, EnvelopeError } from '@psst/protocol/errors';
import { ID_BYTES, TOKEN_BYTES } from '@psst/protocol/limits';
import { clientIdentity } from '../client-key.js';
import type { Config } from '../config.js';
import { HttpError } from '../http-error.js';
import type { RelayResponse } from '../http-types.js';
import { freshRandomBytes } from '../random.js';
import { type NewSecret, type SecretRecord, StorageUnavailableError } from '../store/types.js';
import { checkProofOfWork } from './challenge.js';
import {
  gone,
  isJsonContentType,
  json,
  notFound,
  payloadTooLarge,
  type RouteContext,
  type RouteDeps,
  readJsonBody,
  validate,
} from './context.js';
import { quotaExceeded, storageFull } from './refusals.js';
import { readBearer, sha256, tokenMatches } from './tokens.js';

/** How often a freshly drawn id may collide before the relay gives up (it never should). */
const ID_ATTEMPTS = 3;

const iso = (ms: number) => new Date(ms).toISOString();

/** The create schema under this relay's limits, built once per config (building one is costly). */
const createSchemas = new WeakMap<Config, ReturnType<typeof createSecretRequestSchema>>();
function createSchema(config: Config) {
  let schema = createSchemas.get(config);
  if (!schema) {
    schema = createSecretRequestSchema({ maxTtlSeconds: config.maxTtlSeconds, maxViews: config.maxViews });
    createSchemas.set(config, schema);
  }
  return schema;
}

function invalid(deps: RouteDeps, path: string, message: string): HttpError {
  deps.metrics.rejected('invalid_request');
  return new HttpError(400, 'invalid_request', 'The request does not match the API.', { issues: [{ path, message }] });
}

/**
 * Runs one store operation; a database that does not answer becomes 503 storage_unavailable (nothing was
 * acknowledged, and the relay keeps serving: the store reconnects on its own when the database is back).
 */
async function withStore<T>(deps: RouteDeps, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (!(error instanceof StorageUnavailableError)) throw error;
    deps.metrics.rejected('storage_unavailable');
    throw new HttpError(503, 'storage_unavailable', 'The relay cannot reach its database right now; try again shortly.');
  }
}

/** Validation happens synchronously (bad input is answered in the same tick); only the insert waits for the disk. */
export function createSecret(ctx: RouteContext, deps: RouteDeps) {
  const { config, metrics } = deps;
  if (!config.createEnabled) {
    metrics.rejected('creation_disabled');
    throw new HttpError(503, 'creation_disabled', 'This relay does not accept new secrets right now; existing links keep working.');
  }
  const body = validate(createSchema(config), readJsonBody(ctx.req, metrics), metrics);
  if (b64uDecodedLength(body.envelope.length) > config.maxEnvelopeBytes) {
    metrics.rejected('payload_too_large');
    throw payloadTooLarge();
  }
  let envelope: Uint8Array;
  let header: ReturnType<typeof parseEnvelopeHeader>;
  try {
    envelope = decodeB64u(body.envelope);
    header = parseEnvelopeHeader(envelope);
  } catch (error) {
    // Both messages come from protocol/ and describe the bytes, never echo them.
    if (error instanceof EncodingError || error instanceof EnvelopeError) throw invalid(deps, 'envelope', error.message);
    throw error;
  }
  if ((header.kdf !== null) !== (body.passphraseVerifier !== undefined)) {
    throw invalid(
      deps,
      'passphraseVerifier',
      header.kdf ? 'required: the envelope is sealed with a passphrase' : 'not allowed: the envelope is sealed without a passphrase',
    );
  }
  // Last of the checks (each challenge is used up here), right before the insert.
  return checkProofOfWork(ctx, deps, body.proofOfWork).then(() =>
    insertSecret(deps, {
      envelope,
      accessVerifier: decodeB64u(body.accessVerifier),
      passphraseVerifier: body.passphraseVerifier === undefined ? null : decodeB64u(body.passphraseVerifier),
      kdf: header.kdf,
      views: body.views,
      createdAt: ctx.now,
      expiresAt: ctx.now + body.ttl * 1000,
      client: clientIdentity(ctx.req, config),
    }),
  );
}

async function insertSecret(deps: RouteDeps, secret: Omit<NewSecret, 'id' | 'manageVerifier'>): Promise<RelayResponse> {
  const { store, metrics } = deps;
  const manageToken = freshRandomBytes(TOKEN_BYTES);
  const manageVerifier = sha256(manageToken);
  for (let attempt = 0; attempt < ID_ATTEMPTS; attempt++) {
    const id = encodeB64u(freshRandomBytes(ID_BYTES));
    const result = await withStore(deps, () => store.create({ ...secret, id, manageVerifier }));
    if (result.kind === 'created') {
      metrics.created();
      return json(201, { id, manageToken: encodeB64u(manageToken), expiresAt: iso(secret.expiresAt) });
    }
    if (result.kind === 'storage_full') throw storageFull(deps, result.limit);
    if (result.kind === 'quota_exceeded') throw quotaExceeded(deps, result);
  }
  throw new Error('could not draw an unused secret id');
}

/** The record behind a valid id and token, or the 404 that hides everything else. */
async function authorize(ctx: RouteContext, deps: RouteDeps, credential: 'access' | 'manage'): Promise<SecretRecord> {
  const id = ctx.params.id ?? '';
  const token = readBearer(ctx.req.headers.authorization);
  const record = SecretId.safeParse(id).success ? await withStore(deps, () => deps.store.get(id, ctx.now)) : undefined;
  const verifier = credential === 'access' ? record?.accessVerifier : record?.manageVerifier;
  if (!tokenMatches(token, verifier) || !record) throw notFound();
  return record;
}

function goneUnlessActive(record: SecretRecord): void {
  if (record.state !== 'active') throw gone(record.state, record.endedAt ?? record.expiresAt);
}

export async function lookSecret(ctx: RouteContext, deps: RouteDeps) {
  const record = await authorize(ctx, deps, 'access');
  goneUnlessActive(record);
  const kdf = record.kdf
    ? { alg: 'scrypt' as const, log2n: record.kdf.log2n, r: record.kdf.r, p: record.kdf.p, salt: encodeB64u(record.kdf.salt) }
    : null;
  const body: LookResponse = { expiresAt: iso(record.expiresAt), viewsLeft: record.viewsLeft, kdf };
  return json(200, body);
}

/**
 * A reveal that asks for nothing but the envelope: an empty body (no Content-Type) or a JSON body that is
 * exactly {}. Anything else (a passphrase token, a body to refuse) takes the usual path, so every refusal
 * keeps its order and its words.
 */
function asksForNothing(req: RouteContext['req']): boolean {
  if (req.body.length === 0) return req.headers['content-type'] === undefined;
  if (!isJsonContentType(req.headers['content-type']) || req.body.length > 64) return false;
  try {
    const body: unknown = JSON.parse(Buffer.from(req.body).toString('utf8'));
    return typeof body === 'object' && body !== null && !Array.isArray(body) && Object.keys(body).length === 0;
  } catch {
    return false;
  }
}

/** The checks need only the record; the writes (a counted wrong passphrase, the reveal itself) wait for the commit. */
export async function revealSecret(ctx: RouteContext, deps: RouteDeps): Promise<RelayResponse> {
  const { metrics } = deps;
  // The common case in one step: the store counts the view only if the token's verifier matches and the
  // secret has no passphrase (one database round trip instead of two). Whatever else, it changes nothing
  // and the usual path below gives the answer.
  const id = ctx.params.id ?? '';
  const token = readBearer(ctx.req.headers.authorization);
  if (token !== null && SecretId.safeParse(id).success && asksForNothing(ctx.req)) {
    const quick = await withStore(deps, () => deps.store.revealIfAuthorized(id, sha256(token), ctx.now));
    if (quick.kind === 'revealed') {
      metrics.revealed((ctx.now - quick.createdAt) / 1000);
      return json(200, { envelope: encodeB64u(quick.envelope), viewsLeft: quick.viewsLeft });
    }
  }
  const record = await authorize(ctx, deps, 'access');
  // An empty body stands for {} (a POST without a body is common); any body must be JSON.
  const body = validate(RevealRequest, readJsonBody(ctx.req, metrics, true) ?? {}, metrics);
  goneUnlessActive(record);
  if (record.passphraseVerifier) {
    if (body.passphraseToken === undefined) throw invalid(deps, 'passphraseToken', 'required: this secret is protected by a passphrase');
    if (!tokenMatches(decodeB64u(body.passphraseToken), record.passphraseVerifier)) return countWrongPassphrase(ctx, deps, record);
  } else if (body.passphraseToken !== undefined) {
    throw invalid(deps, 'passphraseToken', 'not allowed: this secret has no passphrase');
  }
  return hand(ctx, deps, record);
}

async function countWrongPassphrase(ctx: RouteContext, deps: RouteDeps, record: SecretRecord): Promise<never> {
  deps.metrics.rejected('wrong_passphrase');
  const result = await withStore(deps, () => deps.store.recordWrongPassphrase(record.id, ctx.now));
  switch (result.kind) {
    case 'counted':
      throw new HttpError(403, 'wrong_passphrase', 'The passphrase is wrong.', { attemptsLeft: result.attemptsLeft });
    case 'burned':
      deps.metrics.burned();
      throw gone('burned', result.at);
    case 'gone':
      throw gone(result.reason, result.at);
    case 'not_found':
      throw notFound();
  }
}

/** The view is counted (and the envelope erased when it was the last) before the envelope is answered. */
async function hand(ctx: RouteContext, deps: RouteDeps, record: SecretRecord): Promise<RelayResponse> {
  const result = await withStore(deps, () => deps.store.reveal(record.id, ctx.now));
  switch (result.kind) {
    case 'revealed':
      deps.metrics.revealed((ctx.now - record.createdAt) / 1000);
      return json(200, { envelope: encodeB64u(result.envelope), viewsLeft: result.viewsLeft });
    case 'gone':
      throw gone(result.reason, result.at);
    case 'not_found':
      throw notFound();
  }
}

export async function deleteSecret(ctx: RouteContext, deps: RouteDeps): Promise<RelayResponse> {
  const record = await authorize(ctx, deps, 'manage');
  const result = await withStore(deps, () => deps.store.delete(record.id, ctx.now));
  // PROTOCOL.md: 204 when the envelope was erased, 404 otherwise (already read, expired, deleted or burned).
  if (result.kind !== 'deleted') throw notFound();
  deps.metrics.deleted();
  return { status: 204, headers: {}, body: null };
}

export async function getReceipt(ctx: RouteContext, deps: RouteDeps) {
  const record = await authorize(ctx, deps, 'manage');
  const body: ReceiptResponse = {
    state: record.state,
    createdAt: iso(record.createdAt),
    expiresAt: iso(record.expiresAt),
    viewsLeft: record.viewsLeft,
    readAt: record.readAt === null ? null : iso(record.readAt),
  };
  return json(200, body);
}
