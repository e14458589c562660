// Helpers for the relay's fault tests: the built relay as a child process that
// can be killed and restarted on the same database, a small HTTP client with a
// per-request timeout, sealed secrets, and /proc readings.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeB64u } from '@psst/protocol/b64u';
import { sealSecret } from '@psst/protocol/secret';

export const ENGINES = ['hyper-express', 'node'] as const;
export type Engine = (typeof ENGINES)[number];

const relayDir = fileURLToPath(new URL('..', import.meta.url));
/** PSST_RELAY_MAIN runs the suite against another build of the relay. */
export const RELAY_MAIN = process.env.PSST_RELAY_MAIN ?? join(relayDir, 'dist/main.js');

export function requireBuiltRelay(): void {
  if (!existsSync(RELAY_MAIN)) throw new Error(`${RELAY_MAIN} is missing: run \`pnpm build\` (or pnpm --filter @psst/relay build) first`);
}

export interface TempDir {
  dir: string;
  remove(): void;
}

export function makeTempDir(prefix = 'psst-fault-'): TempDir {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface SpawnedRelay {
  origin: string;
  pid: number;
  child: ChildProcess;
  dbPath: string;
  /** Resolves with the exit code (null when killed by a signal) once the process is gone. */
  exited: Promise<number | null>;
  /** Sends the signal and waits for the exit (SIGKILL after `timeoutMs`). */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | null>;
  logs(): string;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Kills every relay these helpers started that is still running (for afterAll). */
export async function killAllRelays(): Promise<void> {
  const waits = [...running].map(
    (child) =>
      new Promise<void>((resolve) =>
        child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve()),
      ),
  );
  for (const child of running) child.kill('SIGKILL');
  await Promise.all(waits);
}

/** Starts `node relay/dist/main.js` on an ephemeral port with the given database and settings. */
export async function spawnRelay(options: { engine: Engine; dbPath: string; env?: Record<string, string> }): Promise<SpawnedRelay> {
  requireBuiltRelay();
  const child = spawn(process.execPath, [RELAY_MAIN], {
    cwd: relayDir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      PSST_HOST: '127.0.0.1',
      PSST_PORT: '0',
      PSST_METRICS_PORT: '0',
      PSST_DB_PATH: options.dbPath,
      PSST_HTTP_ENGINE: options.engine,
      PSST_RATE_LIMIT_CREATE: '0',
      PSST_RATE_LIMIT_READ: '0',
      ...options.env,
    },
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let output = '';
  const onData = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-200_000);
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`the relay did not log "listening" within 20 s:\n${output}`)), 20_000);
    const onExit = (code: number | null, signal: string | null) =>
      fail(new Error(`the relay exited (${code ?? signal}) before listening:\n${output}`));
    function fail(error: Error) {
      clearTimeout(timer);
      child.stdout?.off('data', check);
      child.off('exit', onExit);
      child.kill('SIGKILL');
      reject(error);
    }
    function check() {
      for (const line of output.split('\n')) {
        if (!line.includes('listening')) continue;
        try {
          const parsed = JSON.parse(line) as { event?: string; msg?: string; port?: number; address?: { port?: number } };
          const p = parsed.port ?? parsed.address?.port;
          if ((parsed.event === 'listening' || parsed.msg === 'listening') && p) {
            clearTimeout(timer);
            child.stdout?.off('data', check);
            child.off('exit', onExit);
            resolve(p);
            return;
          }
        } catch {
          // not a JSON line
        }
      }
    }
    child.stdout?.on('data', check);
    child.once('exit', onExit);
  });
  const pid = child.pid as number;
  return {
    origin: `http://127.0.0.1:${port}`,
    pid,
    child,
    dbPath: options.dbPath,
    exited,
    async stop(signal = 'SIGTERM', timeoutMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      child.kill(signal);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
    logs: () => output,
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
    req.end(options.body);
  });
}

export interface SealedBody {
  body: string;
  accessToken: string;
}

/** A create body for a small text secret, sealed for real, and the access token that reads it. */
export async function sealBody(views = 1, text = 'correct horse battery staple'): Promise<SealedBody> {
  const sealed = await sealSecret({ meta: { type: 'text' }, body: text });
  return {
    body: JSON.stringify({ envelope: encodeB64u(sealed.envelope), accessVerifier: sealed.accessVerifier, ttl: 3600, views }),
    accessToken: encodeB64u(sealed.keys.at),
  };
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
  const { id, manageToken } = reply.json as { id: string; manageToken: string };
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
