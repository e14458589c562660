// The node:http adapter: for hosts where uWebSockets.js cannot load (musl,
// old glibc). Bodies are counted while they stream in and never buffered past
// the route's limit; slow headers, slow bodies and idle keep-alive
// connections are cut by node's own timers.
import http from 'node:http';
import net, { type Socket } from 'node:net';
import type { App } from '../app.js';
import { BODY_TOO_LARGE, type RelayRequest, type RelayResponse } from '../http-types.js';
import type { Logger } from '../logger.js';
import { drain, type EngineOptions, type RunningEngine } from './types.js';

function send(res: http.ServerResponse, response: RelayResponse, draining = false): void {
  if (res.headersSent || res.destroyed) return;
  const headers: Record<string, string | number> = { ...response.headers };
  if (response.body !== null) headers['content-length'] = Buffer.byteLength(response.body);
  if (response.close || draining) headers.connection = 'close';
  res.writeHead(response.status, headers);
  res.end(response.body ?? undefined);
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
  const server = http.createServer({
    headersTimeout: Math.min(options.headersTimeoutMs, options.requestTimeoutMs),
    requestTimeout: options.requestTimeoutMs,
    keepAliveTimeout: options.keepAliveTimeoutMs,
    connectionsCheckingInterval: Math.min(1_000, options.headersTimeoutMs),
  });
  // A connection with no traffic at all for this long is closed (e.g. a client that never reads).
  server.setTimeout(options.requestTimeoutMs);

  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    inFlight++;
    let settled = false;
    const done = () => {
      if (!settled) {
        settled = true;
        inFlight--;
      }
    };
    res.once('close', done);
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const path = query === -1 ? url : url.slice(0, query);
    const limit = app.bodyLimit(method, path);
    const respond = (body: RelayRequest['body']) => {
      const headers: Record<string, string | undefined> = {};
      for (const [name, value] of Object.entries(req.headers)) headers[name] = Array.isArray(value) ? value.join(', ') : value;
      const failed = (error: unknown) => {
        logger.error('adapter_error', { engine: 'node', error: error instanceof Error ? error.name : 'unknown' });
        res.destroy();
      };
      try {
        const result = app.handle({ method, path, headers, peerAddress: req.socket.remoteAddress ?? '', body });
        if (result instanceof Promise) result.then((response) => send(res, response, draining), failed);
        else send(res, result, draining);
      } catch (error) {
        failed(error);
      }
    };

    const declared = req.headers['content-length'] === undefined ? 0 : Number(req.headers['content-length']);
    if (declared > limit) {
      // Answer at once; the unread body is never read: the connection closes after the answer.
      req.pause();
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
      req.pause();
      send(res, app.timedOut(method), draining);
    }, options.requestTimeoutMs);
    req.on('data', (chunk: Buffer) => {
      if (stopped) return;
      received += chunk.length;
      if (received > limit) {
        stopped = true;
        clearTimeout(timer);
        chunks.length = 0;
        req.pause();
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
