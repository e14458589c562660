// What every route handler gets, and the helpers they share: the JSON body
// (content type, size, syntax, schema), and the 404/410 answers.
import type { GoneReason } from '@psst/protocol/api';
import type { Config } from '../config.js';
import { HttpError } from '../http-error.js';
import type { ReadRequest, RelayResponse } from '../http-types.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { Store } from '../store/types.js';

export interface RouteDeps {
  config: Config;
  store: Store;
  metrics: Metrics;
  logger: Logger;
  /** Epoch milliseconds; injectable so tests can move time. */
  now: () => number;
}

export interface RouteContext {
  req: ReadRequest;
  params: { id?: string };
  now: number;
  /**
   * Whether this request's client has used more than half of its rate budget for this route (the soft rate
   * of proof of work's `auto` mode; RateLimiter.pastSoftRate). Takes nothing from the budget.
   */
  pastSoftRate(): boolean;
}

export type RouteHandler = (ctx: RouteContext, deps: RouteDeps) => Promise<RelayResponse> | RelayResponse;

export function json(status: number, body: unknown): RelayResponse {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(body) };
}

const JSON_TYPE = /^application\/json *(;.*)?$/i;
const decoder = new TextDecoder('utf-8', { fatal: true });

export function isJsonContentType(value: string | undefined): boolean {
  return value !== undefined && JSON_TYPE.test(value.trim());
}

/**
 * The parsed JSON body. An empty body is `undefined` when `allowEmpty` (and
 * its content type, if any, must still be JSON); otherwise 415 or 400. (An
 * oversized body never gets here: app.ts answers 413 before any route.)
 */
export function readJsonBody(req: ReadRequest, metrics: Metrics, allowEmpty = false): unknown {
  const type = req.headers['content-type'];
  const empty = req.body.length === 0;
  if (!(allowEmpty && empty && type === undefined) && !isJsonContentType(type)) {
    metrics.rejected('unsupported_media_type');
    throw new HttpError(415, 'unsupported_media_type', 'Send the request body as JSON with Content-Type: application/json.');
  }
  if (empty) {
    if (allowEmpty) return undefined;
    metrics.rejected('invalid_request');
    throw new HttpError(400, 'invalid_request', 'The request body is empty; send a JSON object.');
  }
  try {
    return JSON.parse(decoder.decode(req.body));
  } catch {
    metrics.rejected('invalid_request');
    throw new HttpError(400, 'invalid_request', 'The request body is not valid JSON.');
  }
}

export function payloadTooLarge(): HttpError {
  return new HttpError(413, 'payload_too_large', 'The request body is larger than this relay accepts.');
}

interface SafeParser<T> {
  safeParse(
    value: unknown,
  ): { success: true; data: T } | { success: false; error: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> } };
}

/** Checks a value against a protocol schema; 400 with every issue when it does not fit. */
export function validate<T>(schema: SafeParser<T>, value: unknown, metrics: Metrics): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  metrics.rejected('invalid_request');
  throw new HttpError(400, 'invalid_request', 'The request does not match the API.', { issues: formatIssues(result.error.issues) });
}

export function formatIssues(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): { path: string; message: string }[] {
  return issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}

export function notFound(): HttpError {
  return new HttpError(404, 'not_found', 'There is no secret here: the link is wrong, or the secret is long gone.');
}

const GONE_MESSAGES: Record<GoneReason, string> = {
  read: 'This secret has already been read, and it is erased.',
  expired: 'This secret expired before it was read, and it is erased.',
  deleted: 'The sender deleted this secret before it was read.',
  burned: 'This secret was destroyed after too many wrong passphrases.',
};

export function gone(reason: GoneReason, atMs: number): HttpError {
  return new HttpError(410, 'gone', GONE_MESSAGES[reason], { reason, at: new Date(atMs).toISOString() });
}
