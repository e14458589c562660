// The node:http adapter: for hosts where uWebSockets.js cannot load (musl,
// old glibc). Each request is admitted (app.admit: caps, rate limit) when its
// headers arrive, before any of its body is read; bodies are counted while
// they stream in and never buffered past the route's limit; slow headers,
// slow bodies and idle keep-alive connections are cut by node's own timers.
// An answer sent before the body was read closes the connection lingeringly
// (lingeringClose, linger.ts). Connections past PSST_MAX_CONNECTIONS get a
// 503 to their first request and close the same way.
import http from 'node:http';
import net, { type Socket } from 'node:net';
import type { App } from '../app.js';
import { BODY_TOO_LARGE, type RelayRequest, type RelayResponse } from '../http-types.js';
import type { Logger } from '../logger.js';
import { type LingerBounds, lingerBounds, startLinger } from './linger.js';
import { drain, type EngineOptions, type RunningEngine } from './types.js';

/** Sockets in a lingering close: what more arrives on them is dropped, never served. */
const lingering = new WeakSet<Socket>();
/** Connections accepted past PSST_MAX_CONNECTIONS: their first request is refused (503) and they close. */
const overCap = new WeakSet<Socket>();

function send(req: http.IncomingMessage, res: http.ServerResponse, response: RelayResponse, bounds: LingerBounds, draining = false): void {
  if (res.headersSent || res.destroyed) return;
  const headers: Record<string, string | number> = { ...response.headers };
  if (response.body !== null) headers['content-length'] = Buffer.byteLength(response.body);
  if (response.close || draining) headers.connection = 'close';
  // Part of the body is still unread: answering and closing at once would reset the answer away.
  if (response.close && !req.complete && bounds.timeoutMs > 0) lingeringClose(req, res, bounds);
  res.writeHead(response.status, headers);
  res.end(response.body ?? undefined);
}

/**
 * The one path of every answer sent before the body was read (413, and the 429 and 503 of admit):
 * call it just before ending the response, which must say `Connection: close`. The answer is flushed,
 * the write side is shut (FIN), and the rest of the body is read and dropped until it ends, or for
 * `bounds.timeoutMs` / `bounds.maxBytes` at most; then the socket is closed. A client that keeps sending
 * past a bound is cut off (that close may reset: it was told to stop).
 */
function lingeringClose(req: http.IncomingMessage, res: http.ServerResponse, bounds: LingerBounds): void {
  const socket = req.socket;
  if (lingering.has(socket)) return;
  lingering.add(socket);
  // Nothing is left unread: close once the answer and the FIN are out (a plain close, no reset).
  const close = () => {
    if (socket.destroyed) return;
    socket.end();
    if (socket.writableFinished) socket.destroy();
    else socket.once('finish', () => socket.destroy());
  };
  const linger = startLinger(bounds, (reason) => (reason === 'complete' ? close() : socket.destroy()));
  // node ends a `Connection: close` response with socket.destroySoon(): end() then destroy(), which is the
  // reset. Here it only shuts the write side; the socket closes when the body has ended or the client has
  // closed its side (after reading the answer), or at a bound.
  socket.destroySoon = () => socket.end();
  socket.once('close', () => linger.end('complete'));
  socket.once('end', () => linger.end('complete'));
  req.on('data', (chunk: Buffer) => linger.discard(chunk.length));
  req.once('end', () => linger.end('complete'));
  req.resume();
  res.once('close', () => {
    // node:http removes the request's listeners when the response is done; the body still arrives on it.
    if (!linger.ended && !req.complete && req.listenerCount('data') === 0) {
      req.on('data', (chunk: Buffer) => linger.discard(chunk.length));
      req.resume();
    }
  });
}

function pathOf(req: http.IncomingMessage): string {
  const url = req.url ?? '/';
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

function declaredLength(req: http.IncomingMessage): number {
  return req.headers['content-length'] === undefined ? 0 : Number(req.headers['content-length']);
}

/** A raw response for a socket that never produced a usable request. */
function rawResponse(response: RelayResponse): string {
  const body = typeof response.body === 'string' ? response.body : '';
  const reason = http.STATUS_CODES[response.status] ?? '';
  const lines = Object.entries(response.headers).map(([name, value]) => `${name}: ${value}`);
  return [
    `HTTP/1.1 ${response.status} ${reason}`,
    ...lines,
    `content-length: ${Buffer.byteLength(body)}`,
    'connection: close',
    '',
    body,
  ].join('\r\n');
}

export async function startNodeEngine(app: App, options: EngineOptions, logger: Logger): Promise<RunningEngine> {
  let inFlight = 0;
  let draining = false;
  const bounds = lingerBounds(app, options.lingerTimeoutMs, options.lingerMaxBytes);
  const server = http.createServer({
    headersTimeout: Math.min(options.headersTimeoutMs, options.requestTimeoutMs),
    requestTimeout: options.requestTimeoutMs,
    keepAliveTimeout: options.keepAliveTimeoutMs,
    connectionsCheckingInterval: Math.min(1_000, options.headersTimeoutMs),
  });
  // A connection with no traffic at all for this long is closed (e.g. a client that never reads).
  server.setTimeout(options.requestTimeoutMs);

  function onRequest(req: http.IncomingMessage, res: http.ServerResponse, expectsContinue = false): void {
    // A request after the body of a refused one, on a connection that was told it closes: not served.
    if (lingering.has(req.socket)) {
      req.socket.destroy();
      return;
    }
    const method = req.method ?? 'GET';
    const path = pathOf(req);
    const headers: Record<string, string | undefined> = {};
    for (const [name, value] of Object.entries(req.headers)) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    const peerAddress = req.socket.remoteAddress ?? '';
    // Before a byte of the body is read (and before a 100 Continue): the caps and the rate limit.
    const admission = app.admit({ method, path, headers, peerAddress }, overCap.has(req.socket));
    if (admission.refusal) {
      // A connection past the cap closes after its answer, body or not.
      if (overCap.has(req.socket)) admission.refusal.close = true;
      // Answered at once; the unread body is then dropped as it arrives (lingeringClose), never kept.
      send(req, res, admission.refusal, bounds, draining);
      return;
    }
    const limit = app.bodyLimit(method, path);
    if (expectsContinue && !(declaredLength(req) > limit)) res.writeContinue();
    inFlight++;
    let settled = false;
    const done = () => {
      if (!settled) {
        settled = true;
        inFlight--;
        admission.release();
      }
    };
    res.once('close', done);
    const respond = (body: RelayRequest['body']) => {
      const failed = (error: unknown) => {
        logger.error('adapter_error', { engine: 'node', error: error instanceof Error ? error.name : 'unknown' });
        res.destroy();
      };
      try {
        const result = app.handle({ method, path, headers, peerAddress, body });
        if (result instanceof Promise) result.then((response) => send(req, res, response, bounds, draining), failed);
        else send(req, res, result, bounds, draining);
      } catch (error) {
        failed(error);
      }
    };

    if (declaredLength(req) > limit) {
      // Answer at once; the unread body is then dropped as it arrives (lingeringClose), never kept.
      respond(BODY_TOO_LARGE);
      return;
    }
    const chunks: Buffer[] = [];
    let received = 0;
    let stopped = false;
    // node's requestTimeout does not cover a body that trickles in after the headers: this timer does.
    const timer = setTimeout(() => {
      if (stopped) return;
      stopped = true;
      chunks.length = 0;
      send(req, res, app.timedOut(method), bounds, draining);
    }, options.requestTimeoutMs);
    req.on('data', (chunk: Buffer) => {
      if (stopped) return;
      received += chunk.length;
      if (received > limit) {
        stopped = true;
        clearTimeout(timer);
        chunks.length = 0;
        respond(BODY_TOO_LARGE);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      clearTimeout(timer);
      if (!stopped) respond(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks));
    });
    // A client that goes away mid-body gets no answer; nothing was done for it.
    req.on('error', () => {
      stopped = true;
      clearTimeout(timer);
    });
    req.on('close', () => clearTimeout(timer));
  }
  server.on('request', onRequest);
  // A client that asked `Expect: 100-continue` has not sent its body yet: a body it declares too large, or a
  // request admit refuses, is answered without the 100 (node would send it, and the client would then
  // upload what is dropped).
  server.on('checkContinue', (req: http.IncomingMessage, res: http.ServerResponse) => onRequest(req, res, true));

  // The total connection cap: counted from the accept, so idle and slow connections count too.
  let connections = 0;
  server.on('connection', (socket: Socket) => {
    connections++;
    if (options.maxConnections > 0 && connections > options.maxConnections) overCap.add(socket);
    socket.once('close', () => connections--);
  });

  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    if (!socket.writable || error.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    const response = error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? app.timedOut() : app.malformed();
    socket.end(rawResponse(response));
    socket.destroySoon();
  });

  server.on('timeout', (socket: Socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;

  return {
    engine: 'node',
    port,
    get inFlight() {
      return inFlight;
    },
    async close(timeoutMs) {
      let closed: Promise<void> = Promise.resolve();
      await drain(timeoutMs, {
        stopAccepting() {
          draining = true;
          // The net.Server close only: http.Server#close would also close the idle connections at once (node >= 19).
          closed = new Promise<void>((resolve) => net.Server.prototype.close.call(server, () => resolve()));
        },
        closeIdle: () => server.closeIdleConnections(),
        inFlight: () => inFlight,
        closeAll() {
          server.closeAllConnections();
          server.close(); // http's own bookkeeping (its connection-checking timer); the listener is already closed
        },
      });
      await closed;
    },
  };
}
