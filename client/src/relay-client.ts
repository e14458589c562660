// The creator's calls to the relay's HTTP API (create, config, receipt,
// delete, health), shared by the extension, the web composer and the CLI.
// Every response is parsed with the protocol's parsers (the JSON Schema of
// its zod schema); anything unexpected is a RelayError, never a cast.
import type {
  CreateSecretRequest,
  CreateSecretResponse,
  ErrorResponse,
  ProofOfWorkChallenge,
  ReceiptResponse,
  RelayConfigResponse,
} from '@psst/protocol/api';
import { apiPaths } from '@psst/protocol/paths';
import {
  DEFAULT_RELAY_CONFIG,
  parseCreateSecretResponse,
  parseErrorResponse,
  parseHealthResponse,
  parseProofOfWorkChallenge,
  parseReceiptResponse,
  parseRelayConfigResponse,
} from '@psst/protocol/responses';

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export type RelayErrorKind = 'unreachable' | 'api' | 'bad_response';

export class RelayError extends Error {
  override name = 'RelayError';
  constructor(
    readonly kind: RelayErrorKind,
    message: string,
    readonly status?: number,
    readonly body?: ErrorResponse,
    /** Seconds, from Retry-After or the body. */
    readonly retryAfter?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

async function send(fetchFn: FetchLike, url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetchFn(url, { ...init, credentials: 'omit', cache: 'no-store', referrerPolicy: 'no-referrer' });
  } catch (cause) {
    throw new RelayError('unreachable', 'the relay could not be reached', undefined, undefined, undefined, { cause });
  }
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch (cause) {
    throw new RelayError('bad_response', `the relay answered ${response.status} without JSON`, response.status, undefined, undefined, {
      cause,
    });
  }
}

/** Turns a non-success response into a RelayError carrying the parsed error body. */
async function failure(response: Response): Promise<RelayError> {
  const header = Number.parseInt(response.headers.get('Retry-After') ?? '', 10);
  let body: ErrorResponse | undefined;
  try {
    body = parseErrorResponse(await response.json());
  } catch {
    // not JSON, or not an error body: the status alone must do
  }
  const retryAfter = Number.isFinite(header) ? header : body?.retryAfter;
  return new RelayError('api', body?.message ?? `the relay answered ${response.status}`, response.status, body, retryAfter);
}

function parse<T>(parser: (data: unknown) => T, data: unknown, what: string): T {
  try {
    return parser(data);
  } catch (cause) {
    throw new RelayError('bad_response', `the relay sent an unexpected ${what}`, undefined, undefined, undefined, { cause });
  }
}

function bearer(token: string): Record<string, string> {
  return { Authorization: `Bearer ${token}` };
}

export async function createSecret(fetchFn: FetchLike, relayUrl: string, request: CreateSecretRequest): Promise<CreateSecretResponse> {
  const response = await send(fetchFn, relayUrl + apiPaths.secrets, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(request),
  });
  if (response.status !== 201) throw await failure(response);
  return parse(parseCreateSecretResponse, await readJson(response), 'answer to create');
}

/** True when deleted, false when the relay does not know it (already gone or purged). */
export async function deleteSecret(fetchFn: FetchLike, relayUrl: string, id: string, manageToken: string): Promise<boolean> {
  const response = await send(fetchFn, relayUrl + apiPaths.secret(id), { method: 'DELETE', headers: bearer(manageToken) });
  if (response.status === 204) return true;
  if (response.status === 404) return false;
  throw await failure(response);
}

/** The receipt, or null when the relay answers 404 (purged or unknown). */
export async function fetchReceipt(fetchFn: FetchLike, relayUrl: string, id: string, manageToken: string): Promise<ReceiptResponse | null> {
  const response = await send(fetchFn, relayUrl + apiPaths.receipt(id), { method: 'GET', headers: bearer(manageToken) });
  if (response.status === 404) return null;
  if (response.status !== 200) throw await failure(response);
  return parse(parseReceiptResponse, await readJson(response), 'receipt');
}

export async function checkHealth(fetchFn: FetchLike, relayUrl: string): Promise<void> {
  const response = await send(fetchFn, relayUrl + apiPaths.healthz, { method: 'GET' });
  if (response.status !== 200) throw await failure(response);
  parse(parseHealthResponse, await readJson(response), 'health answer');
}

/** `GET /api/challenge` (PROTOCOL.md "Proof of work"): a challenge to solve for the next create. */
export async function fetchChallenge(fetchFn: FetchLike, relayUrl: string): Promise<ProofOfWorkChallenge> {
  const response = await send(fetchFn, relayUrl + apiPaths.challenge, { method: 'GET' });
  if (response.status !== 200) throw await failure(response);
  return parse(parseProofOfWorkChallenge, await readJson(response), 'proof-of-work challenge');
}

/** The relay refused a create for want of a (valid, unexpired, unused) proof of work. */
export function isProofOfWorkRequired(error: unknown): boolean {
  return error instanceof RelayError && error.status === 403 && error.body?.error === 'proof_of_work_required';
}

/** `GET /api/config`: the relay's limits and whether it creates at all. */
export async function fetchRelayConfig(fetchFn: FetchLike, relayUrl: string): Promise<RelayConfigResponse> {
  const response = await send(fetchFn, relayUrl + apiPaths.config, { method: 'GET' });
  if (response.status !== 200) throw await failure(response);
  return parse(parseRelayConfigResponse, await readJson(response), 'relay settings');
}

export interface KnownRelayConfig {
  config: Readonly<RelayConfigResponse>;
  /** False when the relay could not be asked (unreachable, or older than GET /api/config): `config` is then the protocol defaults. */
  fromRelay: boolean;
}

/**
 * The relay's settings, or PROTOCOL.md's defaults when the relay cannot be
 * asked (PROTOCOL.md: "a client that cannot reach it falls back to the
 * defaults"). A relay that answers but refuses (429, 5xx) still throws: the
 * create would fail the same way, and its words say why.
 */
export async function loadRelayConfig(fetchFn: FetchLike, relayUrl: string): Promise<KnownRelayConfig> {
  try {
    return { config: await fetchRelayConfig(fetchFn, relayUrl), fromRelay: true };
  } catch (error) {
    const older = error instanceof RelayError && (error.status === 404 || error.status === 405);
    if (error instanceof RelayError && (error.kind === 'unreachable' || older)) return { config: DEFAULT_RELAY_CONFIG, fromRelay: false };
    throw error;
  }
}
