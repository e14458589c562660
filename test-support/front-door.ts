// A reverse proxy in front of a relay that records every request before the
// relay sees it: the relay's request log, for the browser tests that check
// what reached the server (and what did not). It can also answer chosen
// requests itself, as a failing relay would (options.answer).
import { createServer, request as httpRequest, type OutgoingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** Path and query, as received. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface FrontDoor {
  origin: string;
  /** Every request that arrived, `METHOD /path?query`, in order. */
  log: string[];
  /** The same requests with their headers and bodies (UTF-8), in order. */
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** What the front door answers in the relay's place. */
export interface CannedAnswer {
  status: number;
  headers?: OutgoingHttpHeaders;
  body?: string;
}

export interface FrontDoorOptions {
  /** Called for each request (after it is recorded): an answer is sent instead of passing the request on; undefined passes it on. */
  answer?: (request: { method: string; url: string }) => CannedAnswer | undefined;
}

/** Listens on 127.0.0.1 (on ::1 for host '[::1]'); `host` names it in `origin` (e.g. 'localhost', a host the extension holds no permission for). */
export async function startFrontDoor(relayOrigin: string, host = '127.0.0.1', options: FrontDoorOptions = {}): Promise<FrontDoor> {
  const target = new URL(relayOrigin);
  const log: string[] = [];
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    log.push(`${req.method} ${req.url}`);
    const recorded: RecordedRequest = { method: req.method ?? '', url: req.url ?? '', headers: { ...req.headers }, body: '' };
    requests.push(recorded);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      recorded.body = Buffer.concat(chunks).toString('utf8');
    });
    const canned = options.answer?.({ method: recorded.method, url: recorded.url });
    if (canned) {
      res.writeHead(canned.status, canned.headers).end(canned.body);
      return;
    }
    // A connection of its own for each request (agent: false): a kept-alive one that the relay closes just as it
    // is reused would fail the request with a 502 (the composer test's own proxy met that once in a full CI run).
    const upstream = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: target.host },
        agent: false,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, host === '[::1]' ? '::1' : '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://${host}:${port}`,
    log,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
