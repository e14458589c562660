// The engine-agnostic core: one request value in, one response value out.
// Routing, rate limits, security headers, the request log and the HTTP
// metrics all happen here, so both engines answer exactly alike. Engines ask
// `admit` when a request's headers arrive and read its body only if it lets
// the request in: a refused body is never read into memory.
import { performance } from 'node:perf_hooks';
import { b64uLength } from '@psst/protocol/b64u';
import { errorResponse } from './error-response.js';
import { createGate, type GateRefusal } from './gate.js';
import { HttpError } from './http-error.js';
import { BODY_TOO_LARGE, hasBody, type RelayRequest, type RelayResponse } from './http-types.js';
import { clampMethod, type RejectReason } from './metrics.js';
import { clientKey, resolveClientAddress } from './net/cidr.js';
import { createRateLimiter, type RateLimiter } from './rate-limit.js';
import { json, payloadTooLarge, type RouteDeps } from './routes/context.js';
import { type LimitKind, matchRoute } from './routes/table.js';
import { CONTENT_SECURITY_POLICY, type StaticSite } from './static-site.js';

export interface AppDeps extends RouteDeps {
  engine: string;
  staticSite: StaticSite | null;
}

/** A request as its headers arrive, before any of its body is read. */
export type RequestHead = Omit<RelayRequest, 'body'>;

export interface Admission {
  /** The answer to a request refused before its body is read (with `close` when a body is on its way), or null. */
  readonly refusal: RelayResponse | null;
  /** Gives back what the request holds (its client's slot, its share of the body buffer); only the first call counts. */
  release(): void;
}

export interface App {
  /** The most body bytes the adapter may read for this request; beyond it, it passes BODY_TOO_LARGE. */
  bodyLimit(method: string, path: string): number;
  /**
   * The checks made when a request's headers arrive, before a byte of its body is read: the relay's and the
   * client's requests in progress, the body bytes being buffered (gate.ts), then the route's rate limit.
   * Adapters call it first and read the body only when `refusal` is null; they call `release` once the
   * answer is sent or the client went away. `overConnectionCap`: the adapter counted this connection past
   * PSST_MAX_CONNECTIONS (node:http).
   */
  admit(head: RequestHead, overConnectionCap?: boolean): Admission;
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
/** Retry-After of a refusal by a cap: requests in progress end within milliseconds to seconds. */
const BUSY_RETRY_AFTER_SECONDS = 1;
/** Health checks hold nothing and pass every cap: a relay under attack must not look dead to Caddy's check. */
const ADMITTED: Admission = { refusal: null, release() {} };

/** What a cap's refusal answers: 429 for the client's own cap, 503 for the relay's; the code clients already handle. */
const GATE_REFUSALS: Record<GateRefusal, { status: number; message: string }> = {
  concurrency: { status: 429, message: 'Too many requests at once from your address; wait for them to finish and try again.' },
  connections: { status: 503, message: 'The relay is serving too many connections at once; try again in a moment.' },
  body_buffer: { status: 503, message: 'The relay is receiving too many uploads at once; try again in a moment.' },
};

/** Whether a body follows the head: a declared length above 0, or chunked. */
function bodyFollows(head: RequestHead): boolean {
  return Number(head.headers['content-length'] ?? 0) > 0 || /chunked/i.test(head.headers['transfer-encoding'] ?? '');
}

export function createApp(deps: AppDeps): App {
  const { config, metrics, logger } = deps;
  const limiters: Record<Exclude<LimitKind, null>, RateLimiter> = {
    create: createRateLimiter(config.rateLimitCreate),
    read: createRateLimiter(config.rateLimitRead),
  };
  const createLimit = b64uLength(config.maxEnvelopeBytes) + CREATE_BODY_SLACK;
  const gate = createGate({
    maxRequests: config.maxConnections,
    maxClientRequests: config.maxClientRequests,
    maxBufferedBytes: config.maxBufferedBytes,
  });
  const clientKeys = new WeakMap<Uint8Array, string>();
  const bodyLimit = (method: string, path: string) => (method === 'POST' && path === '/api/secrets' ? createLimit : SMALL_BODY_LIMIT);

  /** The client's key (IPv4 address, IPv6 /64) for the rate limits and the caps; never logged. */
  function clientOf(head: RequestHead): string {
    const address = resolveClientAddress(head.peerAddress, head.headers['x-forwarded-for'], config.trustedProxies);
    if (!address) return 'unknown';
    // parseIp hands out one array per recently seen address: its key is made once, not per request.
    let key = clientKeys.get(address);
    if (key === undefined) {
      key = clientKey(address);
      clientKeys.set(address, key);
    }
    return key;
  }

  /** The body bytes a request may make the adapter buffer: its declared length, or the route's limit for a chunked body. */
  function bodyReservation(head: RequestHead): number {
    const limit = bodyLimit(head.method, head.path);
    const declared = head.headers['content-length'];
    // Over the limit: refused with 413 and dropped as it arrives, never buffered.
    if (declared !== undefined) return Number(declared) > limit ? 0 : Number(declared) || 0;
    const encoding = head.headers['transfer-encoding'];
    return encoding !== undefined && /chunked/i.test(encoding) ? limit : 0;
  }

  function refuse(head: RequestHead, started: number, error: HttpError, reason: RejectReason): Admission {
    metrics.rejected(reason);
    const route = matchRoute(head.path)?.route.template ?? deps.staticSite?.lookup(head.path)?.template ?? 'unmatched';
    const response = errorResponse(error, logger);
    // The body is on its way and stays unread: the adapter closes lingeringly (engines/linger.ts).
    if (bodyFollows(head)) response.close = true;
    return { refusal: finish(head.method, route, response, started), release() {} };
  }

  function admit(head: RequestHead, overConnectionCap = false): Admission {
    const started = performance.now();
    const match = matchRoute(head.path);
    const endpoint = match?.route.methods[head.method];
    if (endpoint && endpoint.limit === null) return ADMITTED;
    if (overConnectionCap) return busy(head, started, 'connections');
    const client = clientOf(head);
    const pass = gate.enter(client, bodyReservation(head));
    if (typeof pass === 'string') return busy(head, started, pass);
    const kind = endpoint?.limit;
    if (kind) {
      const retryAfter = limiters[kind].take(client, Date.now());
      if (retryAfter > 0) {
        pass.release();
        const error = new HttpError(
          429,
          'rate_limited',
          'Too many requests from your address; wait a little and try again.',
          { retryAfter },
          { 'retry-after': String(retryAfter) },
        );
        return refuse(head, started, error, 'rate_limited');
      }
    }
    return pass;
  }

  function busy(head: RequestHead, started: number, cause: GateRefusal): Admission {
    const { status, message } = GATE_REFUSALS[cause];
    const retryAfter = BUSY_RETRY_AFTER_SECONDS;
    const error = new HttpError(status, 'rate_limited', message, { retryAfter }, { 'retry-after': String(retryAfter) });
    return refuse(head, started, error, cause);
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
      // The rate limit was taken in admit, when the headers arrived. Before the id or the token is looked at:
      // an oversized body is refused whatever it is sent to.
      if (!hasBody(req)) {
        metrics.rejected('payload_too_large');
        throw payloadTooLarge();
      }
      const kind = endpoint.limit;
      const pastSoftRate = () => (kind ? limiters[kind].pastSoftRate(clientOf(req), Date.now()) : false);
      return endpoint.handler({ req, params: match.params, now: deps.now(), pastSoftRate }, deps);
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
    bodyLimit,
    admit,
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
