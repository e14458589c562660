// Helpers for the ops tests: find the real tools (fail, never skip, when one
// is missing), run them with a time bound, start long-running ones on
// loopback ports and stop exactly the processes we started.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../../test-support/ports';

export const opsDir = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const repoDir = resolve(opsDir, '..');

/** Debian package that provides each tool (scripts/setup.sh installs them). */
const packages: Record<string, string> = {
  caddy: 'caddy',
  prometheus: 'prometheus',
  promtool: 'prometheus',
  'prometheus-node-exporter': 'prometheus-node-exporter',
  shellcheck: 'shellcheck',
  wrk: 'wrk',
  jq: 'jq',
};

/** The absolute path of a tool, or an error that says how to install it. */
export function requireTool(name: string): string {
  try {
    return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(`${name} is not installed: apt-get install ${packages[name] ?? name} (scripts/setup.sh does this)`);
  }
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion (bounded by timeoutMs) and returns its exit code and output. */
export function run(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number; input?: string } = {}) {
  return new Promise<RunResult>((resolvePromise, reject) => {
    const child = spawn(cmd, args, { env: opts.env ?? process.env, cwd: opts.cwd ?? repoDir, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
    child.stdin.end(opts.input ?? '');
  });
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000, everyMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      lastError = err;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
}

export interface Daemon {
  name: string;
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** Starts a long-running tool; its output is kept for failure messages. */
export function startDaemon(name: string, cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Daemon {
  const child = spawn(cmd, args, { env: opts.env ?? process.env, cwd: opts.cwd ?? repoDir, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const keep = (d: Buffer) => {
    out += d.toString();
    if (out.length > 200_000) out = out.slice(-100_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    name,
    child,
    output: () => out,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Resolves when the URL answers (any HTTP status), or fails with the daemon's output. */
export async function waitForHttp(url: string, daemon?: Daemon, timeoutMs = 20_000): Promise<void> {
  await waitFor(
    url,
    async () => {
      if (daemon && daemon.child.exitCode !== null)
        throw new Error(`${daemon.name} exited (${daemon.child.exitCode}):\n${daemon.output()}`);
      await fetch(url);
      return true;
    },
    timeoutMs,
  ).catch((err: unknown) => {
    throw new Error(`${String(err)}\n--- ${daemon?.name ?? ''} output ---\n${daemon?.output() ?? ''}`);
  });
}

export interface CaddyOptions {
  /** Working folder: Caddy's data and config (XDG_*) go here. */
  scratch: string;
  /** host:port of the relay. */
  upstream: string;
  webroot: string;
  accessLog: string;
  /** Default: ops/caddy/Caddyfile. */
  caddyfile?: string;
  /** More of the Caddyfile's variables (PSST_CADDY_EDGE, PSST_EDGE_HEALTH_INTERVAL, …). */
  env?: Record<string, string>;
}

/** The production Caddyfile on free loopback ports, answering once /healthz does. */
export async function startCaddy(options: CaddyOptions): Promise<{ daemon: Daemon; origin: string; admin: string; adminPort: number }> {
  const [port, adminPort] = await Promise.all([freePort(), freePort()]);
  const origin = `http://127.0.0.1:${port}`;
  const caddyfile = options.caddyfile ?? join(opsDir, 'caddy/Caddyfile');
  const daemon = startDaemon('caddy', requireTool('caddy'), ['run', '--config', caddyfile, '--adapter', 'caddyfile'], {
    cwd: options.scratch,
    env: {
      ...process.env,
      PSST_SITE_ADDRESS: origin,
      PSST_RELAY_UPSTREAM: options.upstream,
      PSST_WEBROOT: options.webroot,
      PSST_CADDY_ADMIN: `127.0.0.1:${adminPort}`,
      PSST_CADDY_ACCESS_LOG: options.accessLog,
      XDG_DATA_HOME: options.scratch,
      XDG_CONFIG_HOME: options.scratch,
      ...options.env,
    },
  });
  try {
    await waitForHttp(`${origin}/healthz`, daemon);
  } catch (error) {
    await daemon.stop();
    throw error;
  }
  return { daemon, origin, admin: `http://127.0.0.1:${adminPort}`, adminPort };
}
