// Test harness: a real relay in this process (real SQLite file in a temp
// folder, real listener on an ephemeral port) with a clock the test moves,
// its log lines kept for inspection, and sealed secrets to feed it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateSecretResponse, ErrorResponse } from '@psst/protocol/api';
import { expect } from 'vitest';
import { type Engine, type SealedTestSecret, sealTestSecret, TEST_KDF } from '../../../test-support/relay.js';
import { loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { type RelayServer, startRelayServer } from '../server.js';

export { STORES, type StoreChoice, useStoreEnv } from '../../../test-support/postgres.js';
export { ENGINES, type Engine } from '../../../test-support/relay.js';

import { STORES, type StoreChoice } from '../../../test-support/postgres.js';
import { BRAKES_OFF_ENV, ENGINES } from '../../../test-support/relay.js';

/**
 * The relays the HTTP suites run on: both engines on SQLite, and PostgreSQL on one engine (the engines
 * are already held to the same wire; the store is what changes underneath).
 */
export const RELAY_SETUPS: readonly { engine: Engine; store: StoreChoice }[] = [
  ...ENGINES.map((engine) => ({ engine, store: 'sqlite' as const })),
  ...(STORES.includes('postgres') ? [{ engine: 'hyper-express' as const, store: 'postgres' as const }] : []),
];

export interface TestRelay {
  origin: string;
  metricsOrigin: string;
  server: RelayServer;
  dbPath: string;
  dir: string;
  /** Every log line so far, raw. */
  logs: string[];
  clock: { now(): number; advance(ms: number): void };
  /** Closes the relay; keeps the folder (for restarts) unless `remove`. */
  close(remove?: boolean): Promise<void>;
}

export async function startTestRelay(
  engine: Engine,
  env: Record<string, string> = {},
  reuse?: { dir: string; startMs?: number },
): Promise<TestRelay> {
  const dir = reuse?.dir ?? mkdtempSync(join(tmpdir(), 'psst-http-'));
  const dbPath = join(dir, 'psst.db');
  const { config } = loadConfig({
    PSST_PORT: '0',
    PSST_METRICS_PORT: '0',
    PSST_DB_PATH: dbPath,
    PSST_HTTP_ENGINE: engine,
    ...BRAKES_OFF_ENV,
    PSST_LOG_LEVEL: 'debug',
    ...env,
  });
  const logs: string[] = [];
  let nowMs = reuse?.startMs ?? Date.now();
  const clock = {
    now: () => nowMs,
    advance(ms: number) {
      nowMs += ms;
    },
  };
  const server = await startRelayServer({ config, logger: createLogger(config.logLevel, (line) => logs.push(line)), now: clock.now });
  return {
    origin: `http://127.0.0.1:${server.port}`,
    metricsOrigin: `http://127.0.0.1:${server.metricsPort}`,
    server,
    dbPath,
    dir,
    logs,
    clock,
    async close(remove = true) {
      await server.close();
      if (remove) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A text secret sealed for real (small scrypt with a passphrase), and its create body. */
export function sealRequest(options: { text?: string; passphrase?: string; ttl?: number; views?: number } = {}): Promise<SealedTestSecret> {
  return sealTestSecret({ text: options.text ?? 'the launch code is 0000', ...options, ...(options.passphrase ? { kdf: TEST_KDF } : {}) });
}

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests inspect answers loosely, after checking them with the protocol's schemas
  json: any;
}

/** An error answer as PROTOCOL.md has them: the status, a JSON content type, a body the protocol's schema accepts, exactly `body`. */
export function expectError(answer: Answer, status: number, body: Record<string, unknown>): void {
  expect(answer.status, answer.text).toBe(status);
  expect(answer.headers.get('content-type')).toBe('application/json; charset=utf-8');
  ErrorResponse.parse(answer.json);
  expect(answer.json).toEqual(body);
}

export async function call(
  origin: string,
  method: string,
  path: string,
  init: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  let body: string | undefined = init.raw;
  if (init.body !== undefined) {
    body = JSON.stringify(init.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(new URL(path, origin), { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

export interface Created {
  id: string;
  manageToken: string;
  expiresAt: string;
  sealed: SealedTestSecret;
}

export async function create(origin: string, options: Parameters<typeof sealRequest>[0] = {}): Promise<Created> {
  const sealed = await sealRequest(options);
  const answer = await call(origin, 'POST', '/api/secrets', { body: sealed.body });
  if (answer.status !== 201) throw new Error(`create answered ${answer.status} ${answer.text}`);
  return { ...CreateSecretResponse.parse(answer.json), sealed };
}
