// Starts the built relay (`relay/dist/main.js`) as a child process on
// ephemeral ports with a fresh SQLite file, and creates real secrets on it.
// Shared by the tests of every package that talks to a relay.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
// Relative imports: test-support belongs to no package, so it reaches protocol's sources directly.
import { type CreateSecretRequest, CreateSecretResponse } from '../protocol/src/api.js';
import { encodeB64u } from '../protocol/src/b64u.js';
import type { SecretMeta } from '../protocol/src/framing.js';
import type { KdfParams } from '../protocol/src/limits.js';
import { buildLink } from '../protocol/src/link.js';
import { sealSecret } from '../protocol/src/secret.js';

/**
 * The relay's abuse brakes, off for tests: a test makes many requests from one address, many at once
 * (races), and one address holds every secret it makes. A test that wants a brake sets it again. Both
 * ways tests start a relay use it: a child process (startRelay here) and in process
 * (relay/src/testing/harness.ts).
 */
export const BRAKES_OFF_ENV: Readonly<Record<string, string>> = Object.freeze({
  PSST_RATE_LIMIT_CREATE: '0',
  PSST_RATE_LIMIT_READ: '0',
  PSST_MAX_CLIENT_REQUESTS: '0',
  // Proof of work's default, auto, would ask once a small test quota is half full.
  PSST_PROOF_OF_WORK: 'off',
  PSST_CLIENT_MAX_SECRETS: '0',
  PSST_CLIENT_MAX_STORE_BYTES: '0',
  PSST_NETWORK_MAX_SECRETS: '0',
  PSST_NETWORK_MAX_STORE_BYTES: '0',
});

/** The built reveal page (`pnpm --filter @psst/reveal-page build`), for a relay's PSST_STATIC_DIR. */
export const REVEAL_DIST = fileURLToPath(new URL('../reveal-page/dist', import.meta.url));
/** PSST_RELAY_MAIN runs the tests against another build of the relay. */
export const RELAY_MAIN = process.env.PSST_RELAY_MAIN ?? fileURLToPath(new URL('../relay/dist/main.js', import.meta.url));
/** The V8 flags every launcher gives the relay's node (relay/node-flags.json): tests run it as it is deployed. */
export const RELAY_NODE_FLAGS: readonly string[] = (
  JSON.parse(readFileSync(new URL('../relay/node-flags.json', import.meta.url), 'utf8')) as { flags: string[] }
).flags;

/** The relay's two HTTP engines: the tests of everything engine-dependent run on both. */
export const ENGINES = ['hyper-express', 'node'] as const;
export type Engine = (typeof ENGINES)[number];

export interface RunningRelay {
  /** http://127.0.0.1:PORT */
  origin: string;
  metricsOrigin: string;
  dbPath: string;
  dataDir: string;
  pid: number;
  child: ChildProcess;
  /** Resolves with the exit code (null when killed by a signal) once the process is gone. */
  exited: Promise<number | null>;
  /**
   * Sends the signal (SIGTERM by default; SIGKILL after `timeoutMs`), waits for the exit and removes the
   * data folder unless the caller chose the database; resolves with the exit code.
   */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | null>;
  /** Everything the relay printed so far (stdout and stderr). */
  logs(): string;
}

export interface StartRelayOptions {
  env?: Record<string, string>;
  staticDir?: string;
  engine?: Engine;
  /** A database to open (and reopen after a crash); kept on stop. Default: a fresh folder, removed on stop. */
  dbPath?: string;
  /** The relay's entry point; default RELAY_MAIN (e.g. a release's copy instead). */
  main?: string;
}

const STARTUP_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 15_000;
/** Logs kept per relay: long fault runs must not grow without bound. */
const MAX_LOG_CHARS = 200_000;

const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

/** Kills every relay started here that is still running (for afterAll). */
export async function killAllRelays(): Promise<void> {
  const waits = [...children].map(
    (child) =>
      new Promise<void>((resolve) =>
        child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve()),
      ),
  );
  for (const child of children) child.kill('SIGKILL');
  await Promise.all(waits);
}

export async function startRelay(options: StartRelayOptions = {}): Promise<RunningRelay> {
  const main = options.main ?? RELAY_MAIN;
  if (!existsSync(main)) {
    throw new Error(
      `${main} is missing: build the relay first (pnpm build, or pnpm --filter @psst/protocol build && pnpm --filter @psst/relay build)`,
    );
  }
  const ownsData = options.dbPath === undefined;
  const dataDir = ownsData ? mkdtempSync(join(tmpdir(), 'psst-relay-')) : dirname(options.dbPath as string);
  const dbPath = options.dbPath ?? join(dataDir, 'psst.db');
  const removeData = () => {
    if (ownsData) rmSync(dataDir, { recursive: true, force: true });
  };
  const env: Record<string, string | undefined> = {
    ...process.env,
    PSST_HOST: '127.0.0.1',
    PSST_PORT: '0',
    PSST_METRICS_HOST: '127.0.0.1',
    PSST_METRICS_PORT: '0',
    PSST_DB_PATH: dbPath,
    ...BRAKES_OFF_ENV,
    ...(options.engine ? { PSST_HTTP_ENGINE: options.engine } : {}),
    ...(options.staticDir ? { PSST_STATIC_DIR: options.staticDir } : {}),
    ...options.env,
  };
  const child = spawn(process.execPath, [...RELAY_NODE_FLAGS, main], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      children.delete(child);
      resolve(code);
    }),
  );
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-MAX_LOG_CHARS);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);

  const ports = await new Promise<{ port: number; metricsPort: number }>((resolve, reject) => {
    const timer = setTimeout(
      () => done(new Error(`the relay did not log "listening" within ${STARTUP_TIMEOUT_MS} ms:\n${output}`)),
      STARTUP_TIMEOUT_MS,
    );
    const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
      done(new Error(`the relay exited (${code ?? signal}) before listening:\n${output}`));
    const onData = () => {
      for (const line of output.split('\n')) {
        if (!line.includes('"listening"')) continue;
        const event = JSON.parse(line) as { event?: string; port?: number; metricsPort?: number };
        if (event.event === 'listening' && event.port && event.metricsPort) {
          done(undefined, { port: event.port, metricsPort: event.metricsPort });
          return;
        }
      }
    };
    function done(error?: Error, value?: { port: number; metricsPort: number }) {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      if (error) {
        child.kill('SIGKILL');
        removeData();
        reject(error);
      } else resolve(value as { port: number; metricsPort: number });
    }
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
  });

  return {
    origin: `http://127.0.0.1:${ports.port}`,
    metricsOrigin: `http://127.0.0.1:${ports.metricsPort}`,
    dbPath,
    dataDir,
    pid: child.pid as number,
    child,
    exited,
    async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = STOP_TIMEOUT_MS) {
      let code: number | null = child.exitCode;
      if (child.exitCode === null && child.signalCode === null) {
        const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
        child.kill(signal);
        code = await exited;
        clearTimeout(timer);
      }
      removeData();
      return code;
    },
    logs: () => output,
  };
}

export interface TestSecretOptions {
  text?: string;
  file?: { name: string; mime: string; bytes: Uint8Array };
  passphrase?: string;
  /** Seconds; 3600 by default. */
  ttl?: number;
  /** Left out of the request when not given, so the relay's default applies. */
  views?: number;
  /** scrypt parameters for a passphrase; keep them small in tests, e.g. TEST_KDF. */
  kdf?: KdfParams;
}

/** Small scrypt parameters: tests need the passphrase path, not its cost. */
export const TEST_KDF: KdfParams = { log2n: 10, r: 8, p: 1 };

export interface SealedTestSecret {
  /** The create body, ready to POST as JSON. */
  body: CreateSecretRequest;
  /** b64u of the envelope, as sent. */
  envelope: string;
  key: Uint8Array;
  /** b64u(AT), for `Authorization: Bearer`. */
  accessToken: string;
  /** b64u(PT), present with a passphrase. */
  passphraseToken?: string;
}

/** Seals a secret with the protocol's code and builds its create request; nothing is sent. */
export async function sealTestSecret(options: TestSecretOptions = {}): Promise<SealedTestSecret> {
  const meta: SecretMeta = options.file ? { type: 'file', name: options.file.name, mime: options.file.mime } : { type: 'text' };
  const sealed = await sealSecret({
    meta,
    body: options.file ? options.file.bytes : (options.text ?? 'a test secret'),
    ...(options.passphrase !== undefined ? { passphrase: options.passphrase } : {}),
    ...(options.kdf ? { kdf: options.kdf } : {}),
  });
  const envelope = encodeB64u(sealed.envelope);
  return {
    body: {
      envelope,
      accessVerifier: sealed.accessVerifier,
      ...(sealed.passphraseVerifier ? { passphraseVerifier: sealed.passphraseVerifier } : {}),
      ttl: options.ttl ?? 3600,
      ...(options.views !== undefined ? { views: options.views } : {}),
    },
    envelope,
    key: sealed.key,
    accessToken: encodeB64u(sealed.keys.at),
    ...(sealed.keys.pt ? { passphraseToken: encodeB64u(sealed.keys.pt) } : {}),
  };
}

export interface TestSecret {
  id: string;
  link: string;
  key: Uint8Array;
  manageToken: string;
  expiresAt: string;
  /** b64u(AT), for `Authorization: Bearer`. */
  accessToken: string;
  /** b64u(PT), present with a passphrase. */
  passphraseToken?: string;
}

/** Seals a secret with the protocol's code and creates it on the relay at `origin`. */
export async function createTestSecret(origin: string, options: TestSecretOptions = {}): Promise<TestSecret> {
  const sealed = await sealTestSecret(options);
  const response = await fetch(new URL('/api/secrets', origin), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(sealed.body),
  });
  const text = await response.text();
  if (response.status !== 201) throw new Error(`creating a test secret failed: ${response.status} ${text}`);
  const created = CreateSecretResponse.parse(JSON.parse(text));
  return {
    id: created.id,
    link: buildLink(origin, created.id, sealed.key),
    key: sealed.key,
    manageToken: created.manageToken,
    expiresAt: created.expiresAt,
    accessToken: sealed.accessToken,
    ...(sealed.passphraseToken ? { passphraseToken: sealed.passphraseToken } : {}),
  };
}
