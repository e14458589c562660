// The hyper-express (uWebSockets.js) adapter, the default engine. The body
// limit is enforced while the body streams in: a declared Content-Length over
// the limit is answered at once, and a chunked body is cut the moment it
// passes the limit; either way the connection closes after the 413, so the
// rest is never read. uWS has its own idle timeout (10 s without traffic);
// a timer per request cuts bodies that trickle in slower than that allows.
//
// Two hooks reach into hyper-express 6.18 (pinned exactly): an instance-level
// `_body_parser_enforce_limit` to learn when a chunked body passes the limit,
// and `received = true` so that a 413 can be sent before the body was read.
import { createRequire } from 'node:module';
import type { Request, Response } from 'hyper-express';
import type { App } from '../app.js';
import { BODY_TOO_LARGE, type RelayRequest, type RelayResponse } from '../http-types.js';
import type { Logger } from '../logger.js';
import { type EngineOptions, type RunningEngine, waitFor } from './types.js';

/** The internals of hyper-express's Request that the limit hooks use. */
interface BodyInternals {
  received: boolean;
  _body_received_bytes: number;
  _body_expected_bytes: number;
  _body_parser_stop(): void;
  _body_parser_enforce_limit(response: Response): boolean;
}

/** Whether uWebSockets.js loads natively here; its package silently falls back to a slow JS imitation otherwise. */
export function probeUws(): { ok: true } | { ok: false; reason: string } {
  const require = createRequire(import.meta.url);
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => warnings.push(args.map(String).join(' '));
  try {
    const uws = createRequire(require.resolve('hyper-express'))('uWebSockets.js') as Record<string, unknown>;
    if (typeof uws.SSLApp === 'function') return { ok: true };
    const why = warnings.join(' ').replace(/\s+/g, ' ').trim();
    return { ok: false, reason: why || 'the uWebSockets.js native binary did not load' };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? (error.message.split('\n')[0] ?? error.name) : String(error) };
  } finally {
    console.warn = warn;
  }
}

export async function startHyperExpressEngine(app: App, options: EngineOptions, logger: Logger): Promise<RunningEngine> {
  const { default: HyperExpress } = await import('hyper-express');
  // hyper-express's own limit is off (the adapter enforces the route's), and it must not bind signal handlers.
  const server = new HyperExpress.Server({ auto_close: false, max_body_length: Number.MAX_SAFE_INTEGER });
  let inFlight = 0;

  function send(req: Request, res: Response, response: RelayResponse): void {
    if (res.completed) return;
    res.status(response.status);
    for (const [name, value] of Object.entries(response.headers)) res.header(name, value, true);
    // The unread rest of the body is dropped with the connection; hyper-express would otherwise wait for it.
    if (response.close) (req as unknown as BodyInternals).received = true;
    const body =
      response.body instanceof Uint8Array
        ? Buffer.from(response.body.buffer, response.body.byteOffset, response.body.byteLength)
        : response.body;
    res.send(body ?? undefined, response.close === true);
  }

  function readBody(req: Request, limit: number): Promise<RelayRequest['body'] | 'timeout'> {
    const internals = req as unknown as BodyInternals;
    const declared = req.headers['content-length'];
    const chunked = /chunked/i.test(req.headers['transfer-encoding'] ?? '');
    if (declared !== undefined && Number(declared) > limit) return Promise.resolve(BODY_TOO_LARGE);
    if (!chunked && !(Number(declared) > 0)) return Promise.resolve(new Uint8Array(0));
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve('timeout'), options.requestTimeoutMs);
      const finish = (body: RelayRequest['body'] | 'timeout') => {
        clearTimeout(timer);
        resolve(body);
      };
      internals._body_parser_enforce_limit = () => {
        if (Math.max(internals._body_received_bytes, internals._body_expected_bytes) <= limit) return false;
        internals._body_parser_stop();
        finish(BODY_TOO_LARGE);
        return true;
      };
      req.buffer().then(
        (buffer) => finish(buffer),
        () => finish('timeout'),
      );
    });
  }

  server.any('/*', (req: Request, res: Response) => {
    inFlight++;
    const method = req.method.toUpperCase();
    const path = req.path;
    // uWS frees the request's native parts when this callback returns: read everything now.
    const peerAddress = req.ip;
    const headers: Record<string, string | undefined> = { ...req.headers };
    readBody(req, app.bodyLimit(method, path))
      .then(async (body) => {
        if (body === 'timeout') {
          send(req, res, app.timedOut(method));
          return;
        }
        send(req, res, await app.handle({ method, path, headers, peerAddress, body }));
      })
      .catch((error: unknown) => {
        logger.error('adapter_error', { engine: 'hyper-express', error: error instanceof Error ? error.name : 'unknown' });
        if (!res.completed) res.close();
      })
      .finally(() => {
        inFlight--;
      });
  });
  server.set_error_handler((_req: Request, res: Response, error: Error) => {
    logger.error('adapter_error', { engine: 'hyper-express', error: error.name });
    if (!res.completed) res.close();
  });

  await server.listen(options.port, options.host);
  return {
    engine: 'hyper-express',
    port: server.port,
    get inFlight() {
      return inFlight;
    },
    async close(timeoutMs) {
      server.close();
      await waitFor(() => inFlight === 0, timeoutMs);
      // Closes every remaining connection (idle keep-alives included).
      (server.uws_instance as unknown as { close(): void }).close();
    },
  };
}
