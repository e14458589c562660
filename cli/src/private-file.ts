// Reading and writing psst's own JSON files: folders 0700, files 0600,
// written to a temporary file and renamed, so a crash never leaves half a file
// and nobody else on the machine can read a manage token.
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
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
    throw new CliError(EXIT.local, 'file_unwritable', `Cannot write ${path}: ${(error as Error).message}`);
  }
}
