// Writing a revealed secret to a file: never over an existing file without
// --force, mode 0600, and a file secret's own name only as a cleaned base name
// (sanitiseFileName), never as a path.
import { existsSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { sanitiseFileName } from '@psst/client/file-name';
import { CliError, EXIT } from './exit-codes.js';

export type OutTarget = { kind: 'file'; path: string } | { kind: 'folder'; path: string };

/** Checked before anything is revealed, so a refusal costs no view. */
export function checkOutTarget(out: string, force: boolean): OutTarget {
  let isFolder = false;
  try {
    isFolder = statSync(out).isDirectory();
  } catch {
    return { kind: 'file', path: out };
  }
  if (isFolder) return { kind: 'folder', path: out };
  if (!force)
    throw new CliError(
      EXIT.local,
      'file_exists',
      `${out} exists: psst does not overwrite it (use --force, or another --out). Nothing was opened.`,
    );
  return { kind: 'file', path: out };
}

/** `name`, or `name (2).ext`, `name (3).ext`… in `folder`: the first that does not exist. */
export function freePath(folder: string, name: string): string {
  const clean = sanitiseFileName(name);
  const ext = extname(clean);
  const stem = ext && ext !== clean ? clean.slice(0, -ext.length) : clean;
  for (let n = 1; n < 1000; n++) {
    const candidate = join(folder, n === 1 ? clean : `${stem} (${n})${ext}`);
    if (!existsSync(candidate)) return candidate;
  }
  throw new CliError(EXIT.local, 'file_exists', `Too many files named like ${clean} in ${folder}`);
}

/**
 * Writes the bytes, mode 0600. `exclusive` fails rather than replace a file
 * that appeared meanwhile; otherwise (--force) a 0600 temporary file is
 * renamed over the old one, which never holds the secret with its old mode.
 */
export function writeSecretFile(path: string, bytes: Uint8Array, exclusive: boolean): void {
  const temporary = `${path}.psst-${process.pid}.tmp`;
  try {
    if (exclusive) writeFileSync(path, bytes, { mode: 0o600, flag: 'wx' });
    else {
      writeFileSync(temporary, bytes, { mode: 0o600, flag: 'wx' });
      renameSync(temporary, path);
    }
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new CliError(EXIT.local, 'file_unwritable', `Cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
}
