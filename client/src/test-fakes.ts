// Small fakes shared by the lib tests: a fetch that records what it was asked
// and answers from a script, and a fake relay state behind it.
import { encodeB64u } from '@psst/protocol/b64u';
import type { FetchLike } from './relay-client.js';

export interface RecordedRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string;
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}

/** A fetch that records every request and answers with `answer`. */
export function recordingFetch(
  answer: (request: RecordedRequest) => Response | Promise<Response>,
): FetchLike & { requests: RecordedRequest[] } {
  const requests: RecordedRequest[] = [];
  const fn = async (input: string, init?: RequestInit) => {
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((value, key) => {
      headers[key] = value;
    });
    const request = { url: input, method: init?.method ?? 'GET', headers, body: typeof init?.body === 'string' ? init.body : '' };
    requests.push(request);
    return answer(request);
  };
  return Object.assign(fn, { requests });
}

export const SOME_ID = 'AbCdEfGhIjKlMnOpQrStUw';
export const SOME_TOKEN = encodeB64u(new Uint8Array(32).fill(7));

export function createdAnswer(expiresAt = new Date(Date.now() + 3600_000).toISOString()): Response {
  return json(201, { id: SOME_ID, manageToken: SOME_TOKEN, expiresAt: expiresAt.replace(/\.\d{3}Z$/, '.000Z') });
}

/** A small scrypt cost so tests with a passphrase stay fast. */
export const TEST_KDF = { log2n: 10, r: 8, p: 1 };
