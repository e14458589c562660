// The hyper-express (uWebSockets.js) adapter, the default engine. Each
// request is admitted (app.admit: caps, rate limit) when its headers arrive;
// a refused one never has its body collected (refuseAfterDraining drops it
// as it arrives, then answers). uWS shows the relay no connection that has
// no request yet, so its connection cap counts requests in progress. The body
// limit is enforced while the body streams in: a declared Content-Length over
// the limit is refused at once, and a chunked body is cut the moment it
// passes the limit; either way the rest is read and dropped (never kept),
// within the linger bounds, before the 413 goes out and the connection closes
// (refuseAfterDraining: uWS cannot half-close, see linger.ts). uWS has its own
// idle timeout (10 s without traffic); a timer per request cuts bodies that
// trickle in slower than that allows.
//
// Answers that need no write are sent synchronously, inside the uWS callback
// that completed the request: uWS closes a connection when the bytes after a
// request are not valid HTTP (or on a half-close), and an answer still waiting
// for a microtask would be lost with it.
//
// Three hooks reach into hyper-express 6.18 (pinned exactly): an
// instance-level `_body_parser_enforce_limit` to learn when a body passes the
// limit, its buffering body parser driven with our own collector (so the last
// chunk arrives synchronously, not through a promise), and `received = true`
// so that a 413 can be sent before the body was read.
import { createRequire } from 'node:module';
import type { Request, Response } from 'hyper-express';
import type { App } from '../app.js';
import { BODY_TOO_LARGE, type RelayRequest, type RelayResponse } from '../http-types.js';
import type { Logger } from '../logger.js';
import { lingerBounds, startLinger } from './linger.js';
import { drain, type EngineOptions, type RunningEngine } from './types.js';

/** The internals of hyper-express's Request that the limit hooks use. */
interface BodyInternals {
  received: boolean;
  _body_received_bytes: number;
  /** The declared Content-Length, 0 for chunked, -1 when the request has no body. */
  _body_expected_bytes: number;
  _body_parser_mode: number;
  _body_parser_buffered: Uint8Array[] | null;
  _body_parser_passthrough(chunk: Uint8Array, isLast: boolean): void;
  _body_parser_flush_buffered(): void;
  _body_parser_stop(): void;
  _body_parser_enforce_limit(response: Response): boolean;
  /** What uWS's onData calls, through `this` (so an instance property replaces it). */
  _body_parser_on_chunk(response: Response, chunk: ArrayBuffer, isLast: boolean): void;
}

type BodyOutcome = RelayRequest['body'] | 'timeout' | 'aborted';

/** Whether uWebSockets.js loads natively here; its package silently falls back to a slow JS imitation otherwise. */
export function probeUws(): { ok: true } | { ok: false; reason: string } {
  const require = createRequire(import.meta.url);
  const warnings: string[] = [];
  const { warn, log } = console;
  // The package explains itself on the console; the relay logs JSON only, so the words go into the reason.
  console.warn = console.log = (...args: unknown[]) => warnings.push(args.map(String).join(' '));
  try {
    const uws = createRequire(require.resolve('hyper-express'))('uWebSockets.js') as Record<string, unknown>;
    if (typeof uws.SSLApp === 'function') return { ok: true };
    const why = warnings.join(' ').replace(/\s+/g, ' ').trim();
    return { ok: false, reason: why || 'the uWebSockets.js native binary did not load' };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? (error.message.split('\n')[0] ?? error.name) : String(error) };
  } finally {
    console.warn = warn;
    console.log = log;
  }
}

export async function startHyperExpressEngine(app: App, options: EngineOptions, logger: Logger): Promise<RunningEngine> {
  const { default: HyperExpress } = await import('hyper-express');
  // hyper-express's own limit is off (the adapter enforces the route's), and it must not bind signal handlers.
  const server = new HyperExpress.Server({ auto_close: false, max_body_length: Number.MAX_SAFE_INTEGER });
  let inFlight = 0;
  let draining = false;
  const bounds = lingerBounds(app, options.lingerTimeoutMs, options.lingerMaxBytes);

  function send(req: Request, res: Response, response: RelayResponse): void {
    if (res.completed) return;
    res.status(response.status);
    for (const [name, value] of Object.entries(response.headers)) res.header(name, value, true);
    if (response.close) {
      // The unread rest of the body is dropped with the connection: hyper-express must neither wait for it
      // nor buffer it (buffering would pause the uWS response after it is gone, which throws).
      const internals = req as unknown as BodyInternals;
      internals._body_parser_stop();
      internals.received = true;
    }
    const body =
      response.body instanceof Uint8Array
        ? Buffer.from(response.body.buffer, response.body.byteOffset, response.body.byteLength)
        : response.body;
    if (body === undefined || body === null) patchBodilessEnd(res);
    // While draining (see close), every answer ends its connection.
    res.send(body ?? undefined, response.close === true || draining);
  }

  /**
   * hyper-express ends a 204 with `endWithoutBody(undefined, close)`, which uWebSockets.js 20.30 turns into
   * `Content-Length: 9223372036854775808` (a proxy then fails the next request on that connection). Called
   * without a length, uWS writes no Content-Length at all, as RFC 9110 wants for 204.
   */
  function patchBodilessEnd(res: Response): void {
    const raw = (res as unknown as { _raw_response: RawBodilessEnd })._raw_response;
    const original = raw.endWithoutBody;
    raw.endWithoutBody = (length?: number, close?: boolean) =>
      length === undefined && !close ? original.call(raw) : original.call(raw, length ?? 0, close === true);
  }

  /**
   * Sends a response and then calls `done`: an early refusal through refuseAfterDraining, anything else at
   * once. A client that asked `Expect: 100-continue` has not sent its body: uWS has already written the
   * 100 (it does so before the handler runs), and the refusal goes out with it in the same write, so the
   * client reads both before it starts the upload (curl does) and there is nothing to hear out.
   */
  function deliver(req: Request, res: Response, response: RelayResponse, expectsContinue: boolean, done: () => void): void {
    if (response.close && !expectsContinue && !(req as unknown as BodyInternals).received) {
      refuseAfterDraining(req, res, response, done);
      return;
    }
    send(req, res, response);
    done();
  }

  /**
   * The one path of every answer decided before the body was read (413, and the 429 and 503 of admit),
   * and the closest uWebSockets.js comes to a lingering close: it cannot half-close (its end() with close
   * shuts down and closes at once, the reset) and a response cannot be touched once it has answered.
   * So the rest of the body is read and dropped first, until it ends or for `bounds.timeoutMs` /
   * `bounds.maxBytes` at most, and then the answer goes out and the connection closes; with the body
   * complete nothing is left unread and the close is a plain FIN. A body declared larger than
   * `bounds.maxBytes` could not be heard out: it is answered at once, as before.
   */
  function refuseAfterDraining(req: Request, res: Response, response: RelayResponse, done: () => void): void {
    const internals = req as unknown as BodyInternals;
    const answer = () => {
      send(req, res, response);
      done();
    };
    // The declared Content-Length (0 for a chunked body); -1: the request has no body at all.
    const declared = internals._body_expected_bytes;
    if (res.completed || bounds.timeoutMs === 0 || declared > bounds.maxBytes || declared === -1) {
      answer();
      return;
    }
    const linger = startLinger(bounds, answer);
    // hyper-express ignores the chunks from now on (it only counts them), and drops what it had buffered.
    internals._body_parser_stop();
    internals._body_parser_buffered = null;
    // With the parser stopped, hyper-express calls this once more with the last chunk: the body is complete.
    internals._body_parser_enforce_limit = () => {
      if (internals.received) linger.end('complete');
      return true;
    };
    const onChunk = internals._body_parser_on_chunk;
    internals._body_parser_on_chunk = (wrapped, chunk, isLast) => {
      onChunk.call(internals, wrapped, chunk, isLast);
      if (!isLast) linger.discard(chunk.byteLength);
    };
    // hyper-express pauses uWS once it has buffered 16 KiB for a handler that has not read the body yet.
    req.resume();
  }

  /** Calls `onBody` exactly once: synchronously when there is no body or it is refused at once, else from the last chunk's callback. */
  function collectBody(req: Request, res: Response, limit: number, onBody: (body: BodyOutcome) => void): void {
    const internals = req as unknown as BodyInternals;
    const declared = req.headers['content-length'];
    const chunked = /chunked/i.test(req.headers['transfer-encoding'] ?? '');
    if (declared !== undefined && Number(declared) > limit) {
      onBody(BODY_TOO_LARGE);
      return;
    }
    if (!chunked && !(Number(declared) > 0)) {
      onBody(new Uint8Array(0));
      return;
    }
    let settled = false;
    const finish = (body: BodyOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      onBody(body);
    };
    const timer = setTimeout(() => finish('timeout'), options.requestTimeoutMs);
    // Chunks are copied: uWS reuses the memory behind them once the callback returns.
    const chunks: Uint8Array[] = [];
    let size = 0;
    // hyper-express stops the parser when uWS reports the client gone (the response is completed by then):
    // what was collected is dropped at once, not kept until the timer.
    const stop = internals._body_parser_stop;
    internals._body_parser_stop = () => {
      stop.call(internals);
      if (!res.completed) return;
      chunks.length = 0;
      finish('aborted');
    };
    internals._body_parser_enforce_limit = () => {
      if (Math.max(internals._body_received_bytes, internals._body_expected_bytes) <= limit) return false;
      internals._body_parser_stop();
      finish(BODY_TOO_LARGE);
      return true;
    };
    internals._body_parser_passthrough = (chunk, isLast) => {
      if (chunk.byteLength) {
        // Uint8Array's slice copies; a Buffer's own slice would only be a view of uWS's memory.
        chunks.push(Uint8Array.prototype.slice.call(chunk));
        size += chunk.byteLength;
      }
      if (!isLast) return;
      // One chunk (the usual case: a create body arrives whole) is already a copy of its own.
      if (chunks.length === 1) {
        finish(chunks[0] as Uint8Array);
        return;
      }
      const body = new Uint8Array(size);
      let offset = 0;
      for (const part of chunks) {
        body.set(part, offset);
        offset += part.byteLength;
      }
      finish(body);
    };
    internals._body_parser_mode = 1;
    internals._body_parser_flush_buffered();
  }

  server.any('/*', (req: Request, res: Response) => {
    inFlight++;
    let counted = true;
    const release = () => {
      if (counted) {
        counted = false;
        inFlight--;
      }
    };
    const failed = (error: unknown) => {
      logger.error('adapter_error', { engine: 'hyper-express', error: error instanceof Error ? error.name : 'unknown' });
      if (!res.completed) res.close();
      release();
    };
    try {
      const method = req.method.toUpperCase();
      const path = req.path;
      // uWS frees the request's native parts when this callback returns: read everything now.
      const peerAddress = req.ip;
      const headers: Record<string, string | undefined> = { ...req.headers };
      const expectsContinue = /^\s*100-continue\s*$/i.test(headers.expect ?? '');
      // Before a byte of the body is collected: the caps and the rate limit.
      const admission = app.admit({ method, path, headers, peerAddress });
      if (admission.refusal) {
        deliver(req, res, admission.refusal, expectsContinue, release);
        return;
      }
      const done = () => {
        admission.release();
        release();
      };
      const broke = (error: unknown) => {
        admission.release();
        failed(error);
      };
      collectBody(req, res, app.bodyLimit(method, path), (body) => {
        try {
          if (body === 'aborted') {
            done();
            return;
          }
          if (body === 'timeout') {
            send(req, res, app.timedOut(method));
            done();
            return;
          }
          const result = app.handle({ method, path, headers, peerAddress, body });
          if (result instanceof Promise) result.then((response) => deliver(req, res, response, expectsContinue, done), broke);
          else deliver(req, res, result, expectsContinue, done);
        } catch (error) {
          broke(error);
        }
      });
    } catch (error) {
      failed(error);
    }
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
      await drain(timeoutMs, {
        stopAccepting() {
          draining = true;
          server.close(); // the listening socket only
        },
        closeIdle() {}, // uWS has no such step: the final close below takes the idle connections with it
        inFlight: () => inFlight,
        closeAll: () => (server.uws_instance as unknown as { close(): void }).close(),
      });
    },
  };
}

interface RawBodilessEnd {
  endWithoutBody(length?: number, close?: boolean): unknown;
}
