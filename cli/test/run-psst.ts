// Runs the built command, cli/dist/psst.mjs, as a real child process with its
// own state and config folders, bounded in time, and collects what it wrote.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PSST_MJS = fileURLToPath(new URL('../dist/psst.mjs', import.meta.url));
const TIMEOUT_MS = 30_000;

export interface PsstResult {
  code: number | null;
  stdout: Buffer;
  stderr: string;
  /** stdout as UTF-8 */
  out: string;
}

export interface PsstHome {
  dir: string;
  env: Record<string, string>;
  historyFile: string;
  configFile: string;
  remove(): void;
}

/** A fresh HOME with XDG folders, and PSST_RELAY when given. */
export function makeHome(relay?: string): PsstHome {
  if (!existsSync(PSST_MJS)) throw new Error(`${PSST_MJS} is missing: run pnpm --filter @psst/cli build first`);
  const dir = mkdtempSync(join(tmpdir(), 'psst-cli-'));
  const env: Record<string, string> = {
    HOME: dir,
    XDG_STATE_HOME: join(dir, 'state'),
    XDG_CONFIG_HOME: join(dir, 'config'),
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    ...(relay ? { PSST_RELAY: relay } : {}),
  };
  return {
    dir,
    env,
    historyFile: join(dir, 'state', 'psst', 'history.json'),
    configFile: join(dir, 'config', 'psst', 'config.json'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export function runPsst(
  args: string[],
  options: { home: PsstHome; input?: string | Uint8Array; env?: Record<string, string>; cwd?: string },
): Promise<PsstResult> {
  return new Promise((resolve, reject) => {
    // Only the variables given: no DISPLAY, no PSST_* of the machine running the tests.
    const child = spawn(process.execPath, [PSST_MJS, ...args], {
      env: { ...options.home.env, ...options.env },
      cwd: options.cwd ?? options.home.dir,
      stdio: ['pipe', 'pipe', 'pipe'],
      // A new session has no controlling terminal: /dev/tty cannot be opened, as in CI, even when the
      // tests run from someone's terminal (else psst would ask its questions there).
      detached: true,
    });
    const stdout: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`psst ${args.join(' ')} did not finish within ${TIMEOUT_MS} ms; stderr: ${stderr}`));
    }, TIMEOUT_MS);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      const out = Buffer.concat(stdout);
      resolve({ code, stdout: out, stderr, out: out.toString('utf8') });
    });
    child.stdin.on('error', () => {}); // the command may exit before reading everything (a refusal)
    child.stdin.end(options.input ?? '');
  });
}
