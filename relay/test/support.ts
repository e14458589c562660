// Helpers for the relay's fault tests: the built relay as a child process that
// can be killed and restarted on the same database (the shared starter in
// test-support/relay.ts), a small HTTP client with a per-request timeout,
// sealed secrets, the relay's metrics, and /proc readings.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateSecretResponse } from '@psst/protocol/api';
import { afterAll, beforeAll } from 'vitest';
import { killAllRelays, type RunningRelay, sealTestSecret } from '../../test-support/relay.js';

export { ENGINES, type Engine, killAllRelays, type RunningRelay, startRelay } from '../../test-support/relay.js';

export interface TempDir {
  dir: string;
  remove(): void;
}

export function makeTempDir(prefix = 'psst-fault-'): TempDir {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A temp folder for one describe block; after it, no relay these helpers started is left running. */
export function useTempDir(): { readonly dir: string } {
  let tmp: TempDir | undefined;
  beforeAll(() => {
    tmp = makeTempDir();
  });
  afterAll(async () => {
    await killAllRelays();
    tmp?.remove();
  });
  return {
    get dir() {
      if (!tmp) throw new Error('useTempDir: the folder exists only inside the tests of its describe block');
      return tmp.dir;
    },
  };
}

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json: unknown;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  timeoutMs?: number;
  agent?: http.Agent;
}

/** One HTTP request with a hard timeout; rejects on a connection error or when no complete response arrives in time. */
export function request(origin: string, path: string, options: RequestOptions = {}): Promise<Reply> {
  // The path goes out as given (a URL object would read '//x' as a host).
  const url = new URL(origin);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path,
        method: options.method ?? 'GET',
        headers: options.headers,
        agent: options.agent ?? false,
        timeout: options.timeoutMs ?? 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.on('timeout', () =>
      req.destroy(new Error(`no response to ${options.method ?? 'GET'} ${path} within ${options.timeoutMs ?? 10_000} ms`)),
    );
    req.on('error', reject);
    writeBody(req, options.body === undefined ? undefined : Buffer.from(options.body));
  });
}

/** Sends a body for real, in 16 KiB writes that respect backpressure (a server that refuses early stops the flow). */
function writeBody(req: http.ClientRequest, body: Buffer | undefined): void {
  if (body === undefined) {
    req.end();
    return;
  }
  let at = 0;
  const writeMore = () => {
    while (at < body.length) {
      const ok = req.write(body.subarray(at, at + 16_384));
      at += 16_384;
      if (!ok) {
        req.once('drain', writeMore);
        return;
      }
    }
    req.end();
  };
  writeMore();
}

export interface SealedBody {
  body: string;
  accessToken: string;
}

/** A create body for a small text secret, sealed for real, and the access token that reads it. */
export async function sealBody(views = 1, text = 'correct horse battery staple'): Promise<SealedBody> {
  const sealed = await sealTestSecret({ text, views });
  return { body: JSON.stringify(sealed.body), accessToken: sealed.accessToken };
}

export interface CreatedSecret {
  id: string;
  accessToken: string;
  manageToken: string;
  views: number;
}

const json = { 'content-type': 'application/json' };

export async function createSecret(origin: string, views = 1, agent?: http.Agent): Promise<CreatedSecret> {
  const sealed = await sealBody(views);
  const reply = await request(origin, '/api/secrets', { method: 'POST', headers: json, body: sealed.body, agent });
  if (reply.status !== 201) throw new Error(`create answered ${reply.status}: ${reply.text}`);
  const { id, manageToken } = CreateSecretResponse.parse(reply.json);
  return { id, manageToken, accessToken: sealed.accessToken, views };
}

export function look(origin: string, secret: { id: string; accessToken: string }, agent?: http.Agent): Promise<Reply> {
  return request(origin, `/api/secrets/${secret.id}`, { headers: { authorization: `Bearer ${secret.accessToken}` }, agent });
}

export function reveal(origin: string, secret: { id: string; accessToken: string }, agent?: http.Agent): Promise<Reply> {
  return request(origin, `/api/secrets/${secret.id}/reveal`, {
    method: 'POST',
    headers: { ...json, authorization: `Bearer ${secret.accessToken}` },
    body: '{}',
    agent,
  });
}

/** The value of `series` (its name, with its labels as the relay writes them) on the relay's /metrics; NaN when absent. */
export async function metricValue(relay: RunningRelay, series: string): Promise<number> {
  const text = (await request(relay.metricsOrigin, '/metrics')).text;
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return Number(line?.slice(series.length + 1) ?? Number.NaN);
}

/** psst_requests_rejected_total for one reason. */
export function rejectedCount(relay: RunningRelay, reason: string): Promise<number> {
  return metricValue(relay, `psst_requests_rejected_total{reason="${reason}"}`);
}

export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? Number.NaN) * 1024;
}

export function openFds(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `condition` every 50 ms until it holds or `timeoutMs` passes; returns whether it held. */
export async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await sleep(50);
  }
  return condition();
}
