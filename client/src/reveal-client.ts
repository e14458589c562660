// The two calls the page makes, Look and Reveal, turned into results the UI
// can switch on. Tokens travel only in the Authorization header; every
// request goes to the page's own origin.
import type { GoneReason, LookResponse, RevealResponse } from '@psst/protocol/api';
import { encodeB64u } from '@psst/protocol/b64u';
import { revealPath, secretPath } from '@psst/protocol/paths';
import { parseErrorResponse, parseLookResponse, parseRevealResponse } from '@psst/protocol/responses';

export type Problem =
  | { kind: 'gone'; reason: GoneReason; at?: string }
  | { kind: 'not_found' }
  | { kind: 'wrong_passphrase'; attemptsLeft: number }
  | { kind: 'rate_limited'; retryAfter: number }
  | { kind: 'unreachable' }
  | { kind: 'server_error'; status: number };

export type Result<T> = { ok: true; value: T } | { ok: false; problem: Problem };

/** When a 429 carries no usable Retry-After. */
const DEFAULT_RETRY_AFTER_SECONDS = 30;

export interface RelayClient {
  look(id: string, accessToken: Uint8Array): Promise<Result<LookResponse>>;
  reveal(id: string, accessToken: Uint8Array, passphraseToken?: Uint8Array): Promise<Result<RevealResponse>>;
}

export function createRelayClient(origin: string, fetchImpl: typeof fetch = (...args) => fetch(...args)): RelayClient {
  async function call<T>(method: 'GET' | 'POST', path: string, token: Uint8Array, body: object | undefined, parse: (v: unknown) => T) {
    const headers: Record<string, string> = { Authorization: `Bearer ${encodeB64u(token)}` };
    if (body) headers['Content-Type'] = 'application/json';
    let response: Response;
    try {
      response = await fetchImpl(`${origin}${path}`, {
        method,
        headers,
        body: body ? JSON.stringify(body) : null,
        cache: 'no-store',
        credentials: 'omit',
        redirect: 'error',
      });
    } catch {
      return { ok: false, problem: { kind: 'unreachable' } } satisfies Result<T>;
    }
    return readResponse(response, parse);
  }

  return {
    look: (id, at) => call('GET', secretPath(id), at, undefined, parseLookResponse),
    reveal: (id, at, pt) => call('POST', revealPath(id), at, pt ? { passphraseToken: encodeB64u(pt) } : {}, parseRevealResponse),
  };
}

/** The body as `parse` admits it, or null when it is not what the protocol says. */
function admitted<T>(parse: (v: unknown) => T, json: unknown): T | null {
  try {
    return parse(json);
  } catch {
    return null;
  }
}

async function readResponse<T>(response: Response, parse: (v: unknown) => T): Promise<Result<T>> {
  const json: unknown = await response.json().catch(() => undefined);
  if (response.ok) {
    const value = admitted(parse, json);
    return value ? { ok: true, value } : { ok: false, problem: { kind: 'server_error', status: response.status } };
  }
  const error = admitted(parseErrorResponse, json);
  if (response.status === 429 || error?.error === 'rate_limited') {
    const header = Number.parseInt(response.headers.get('Retry-After') ?? '', 10);
    const retryAfter = error?.retryAfter ?? (Number.isFinite(header) && header >= 0 ? header : DEFAULT_RETRY_AFTER_SECONDS);
    return { ok: false, problem: { kind: 'rate_limited', retryAfter } };
  }
  if (error?.error === 'gone' && error.reason) {
    return { ok: false, problem: error.at ? { kind: 'gone', reason: error.reason, at: error.at } : { kind: 'gone', reason: error.reason } };
  }
  if (error?.error === 'not_found') return { ok: false, problem: { kind: 'not_found' } };
  if (error?.error === 'wrong_passphrase' && error.attemptsLeft !== undefined) {
    return { ok: false, problem: { kind: 'wrong_passphrase', attemptsLeft: error.attemptsLeft } };
  }
  return { ok: false, problem: { kind: 'server_error', status: response.status } };
}
