// Reading and writing psst's own JSON files: folders 0700, files 0600,
// written to a temporary file and renamed, so a crash never leaves half a file
// and nobody else on the machine can read a manage token.
import { chmodSync, closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { CliError, EXIT } from './exit-codes.js';

/** The parsed JSON, or undefined when the file does not exist. */
export function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CliError(EXIT.local, 'file_unreadable', `Cannot read ${path}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new CliError(EXIT.local, 'file_damaged', `${path} is not valid JSON: fix or remove it`);
  }
}

export function writePrivateJson(path: string, value: unknown): void {
  const dir = dirname(path);
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(temporary, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
    // The mode of writeFileSync is masked by the umask and ignored for an existing file: set it.
    chmodSync(temporary, 0o600);
    renameSync(temporary, path);
  } catch (error) {
    // No half-written copy of a manage token is left behind beside the file.
    rmSync(temporary, { force: true });
    throw new CliError(EXIT.local, 'file_unwritable', `Cannot write ${path}: ${(error as Error).message}`);
  }
}

const LOCK_WAIT_MS = 3000;
/** A lock older than this is from a process that died holding it. */
const STALE_LOCK_MS = 10_000;

/**
 * Runs `update` while holding `path.lock` (created exclusively), so that two
 * psst processes writing the history at once (`xargs -P`, parallel CI jobs)
 * never lose each other's entries.
 */
export function withFileLock<T>(path: string, update: () => T): T {
  const lock = `${path}.lock`;
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      closeSync(openSync(lock, 'wx', 0o600));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST')
        throw new CliError(EXIT.local, 'file_unwritable', `Cannot lock ${path}: ${(error as Error).message}`);
      try {
        if (Date.now() - statSync(lock).mtimeMs > STALE_LOCK_MS) rmSync(lock, { force: true });
      } catch {
        // gone meanwhile: try again
      }
      if (Date.now() > deadline)
        throw new CliError(EXIT.local, 'file_locked', `${path} stays locked by another psst (remove ${lock} if none runs)`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10 + Math.random() * 20);
    }
  }
  try {
    return update();
  } finally {
    rmSync(lock, { force: true });
  }
}
