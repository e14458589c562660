// The engine-agnostic core: one request value in, one response value out.
// Routing, rate limits, security headers, the request log and the HTTP
// metrics all happen here, so both engines answer exactly alike.
import { performance } from 'node:perf_hooks';
import { b64uLength } from '@psst/protocol/b64u';
import { errorResponse } from './error-response.js';
import { HttpError } from './http-error.js';
import { BODY_TOO_LARGE, hasBody, type RelayRequest, type RelayResponse } from './http-types.js';
import { clampMethod } from './metrics.js';
import { clientKey, resolveClientAddress } from './net/cidr.js';
import { createRateLimiter, type RateLimiter } from './rate-limit.js';
import { json, payloadTooLarge, type RouteDeps } from './routes/context.js';
import { type LimitKind, matchRoute } from './routes/table.js';
import { CONTENT_SECURITY_POLICY, type StaticSite } from './static-site.js';

export interface AppDeps extends RouteDeps {
  engine: string;
  staticSite: StaticSite | null;
}

export interface App {
  /** The most body bytes the adapter may read for this request; beyond it, it passes BODY_TOO_LARGE. */
  bodyLimit(method: string, path: string): number;
  /** Synchronous when no write is needed (every refusal, look, receipt): adapters can answer in the same tick. */
  handle(req: RelayRequest): RelayResponse | Promise<RelayResponse>;
  /** The answer to a request that did not arrive in time (slow headers or body), logged like any other. */
  timedOut(method?: string): RelayResponse;
  /** The answer to bytes that are not valid HTTP. */
  malformed(): RelayResponse;
  /** Forgets idle rate-limit buckets (called by the sweeper's timer). */
  pruneRateLimits(): void;
}

const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
};
/** API answers are JSON, never a document: nothing may load or frame them. */
const API_CSP = "default-src 'none'; frame-ancestors 'none'";
/** JSON around the envelope (verifiers, ttl, views, whitespace). */
const CREATE_BODY_SLACK = 4_096;
/** Reveal bodies hold one token at most. */
const SMALL_BODY_LIMIT = 4_096;

export function createApp(deps: AppDeps): App {
  const { config, metrics, logger } = deps;
  const limiters: Record<Exclude<LimitKind, null>, RateLimiter> = {
    create: createRateLimiter(config.rateLimitCreate),
    read: createRateLimiter(config.rateLimitRead),
  };
  const createLimit = b64uLength(config.maxEnvelopeBytes) + CREATE_BODY_SLACK;

  function rateLimit(kind: LimitKind, req: RelayRequest): void {
    if (!kind) return;
    const address = resolveClientAddress(req.peerAddress, req.headers['x-forwarded-for'], config.trustedProxies);
    const retryAfter = limiters[kind].take(address ? clientKey(address) : 'unknown', Date.now());
    if (retryAfter > 0) {
      metrics.rejected('rate_limited');
      throw new HttpError(
        429,
        'rate_limited',
        'Too many requests from your address; wait a little and try again.',
        { retryAfter },
        { 'retry-after': String(retryAfter) },
      );
    }
  }

  function serveStatic(req: RelayRequest, site: StaticSite, setRoute: (template: string) => void): RelayResponse | null {
    const match = site.lookup(req.path);
    if (!match) return null;
    setRoute(match.template);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      throw new HttpError(405, 'method_not_allowed', 'Use GET or HEAD for this address.', {}, { allow: 'GET, HEAD' });
    }
    const { file } = match;
    const headers = {
      'content-type': file.contentType,
      etag: file.etag,
      'cache-control': file.cacheControl,
      'content-security-policy': CONTENT_SECURITY_POLICY,
    };
    if (req.headers['if-none-match'] === file.etag) return { status: 304, headers, body: null };
    return { status: 200, headers, body: file.body };
  }

  function dispatch(req: RelayRequest, setRoute: (template: string) => void): RelayResponse | Promise<RelayResponse> {
    const match = matchRoute(req.path);
    if (match) {
      setRoute(match.route.template);
      const endpoint = match.route.methods[req.method];
      if (!endpoint) {
        const allow = Object.keys(match.route.methods).join(', ');
        throw new HttpError(405, 'method_not_allowed', `Use ${allow} for this address.`, {}, { allow });
      }
      rateLimit(endpoint.limit, req);
      // Before the id or the token is looked at: an oversized body is refused whatever it is sent to.
      if (!hasBody(req)) {
        metrics.rejected('payload_too_large');
        throw payloadTooLarge();
      }
      return endpoint.handler({ req, params: match.params, now: deps.now() }, deps);
    }
    const page = deps.staticSite ? serveStatic(req, deps.staticSite, setRoute) : null;
    if (page) return page;
    if (req.body === BODY_TOO_LARGE) throw payloadTooLarge();
    throw new HttpError(404, 'not_found', 'There is nothing at this address.');
  }

  function finish(method: string, route: string, response: RelayResponse, started: number): RelayResponse {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.headers[name] ??= value;
    response.headers['content-security-policy'] ??= API_CSP;
    const seconds = (performance.now() - started) / 1000;
    metrics.observeRequest(method, route, response.status, seconds);
    logger.info('request', {
      method: clampMethod(method),
      route,
      status: response.status,
      durationMs: Math.round(seconds * 10_000) / 10,
      engine: deps.engine,
    });
    return response;
  }

  return {
    bodyLimit(method, path) {
      return method === 'POST' && path === '/api/secrets' ? createLimit : SMALL_BODY_LIMIT;
    },
    handle(req) {
      const started = performance.now();
      let route = 'unmatched';
      const done = (response: RelayResponse) => {
        if (req.body === BODY_TOO_LARGE) response.close = true;
        return finish(req.method, route, response, started);
      };
      const failed = (error: unknown) => done(errorResponse(error, logger));
      let result: RelayResponse | Promise<RelayResponse>;
      try {
        result = dispatch(req, (template) => {
          route = template;
        });
      } catch (error) {
        return failed(error);
      }
      return result instanceof Promise ? result.then(done, failed) : done(result);
    },
    timedOut(method = 'OTHER') {
      const response = json(408, { error: 'invalid_request', message: 'The request took too long to arrive.' });
      response.close = true;
      return finish(method, 'unmatched', response, performance.now());
    },
    malformed() {
      const response = json(400, { error: 'invalid_request', message: 'The request is not valid HTTP.' });
      response.close = true;
      return finish('OTHER', 'unmatched', response, performance.now());
    },
    pruneRateLimits() {
      const now = Date.now();
      limiters.create.prune(now);
      limiters.read.prune(now);
    },
  };
}
