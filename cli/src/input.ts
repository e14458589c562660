// What `psst create` shares: FILE, or standard input when it is not a
// terminal, or one line typed without echo. Read with a byte cap (from the
// relay's settings) so a huge pipe is refused before it fills memory, then
// classified: valid UTF-8 without NUL bytes is text, anything else a file.
import { open } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import type { SecretInput } from '@psst/client/create-link';
import { sanitiseFileName } from '@psst/client/file-name';
import { CliError, EXIT, unreadableFile } from './exit-codes.js';
import { withTerminal } from './terminal.js';

/** Read more than this and the input is too large (the caller passes the relay's envelope limit). */
export type ByteCap = number;

export class InputTooLargeError extends Error {
  override name = 'InputTooLargeError';
}

export async function readCapped(chunks: AsyncIterable<Uint8Array | string>, cap: ByteCap): Promise<Uint8Array> {
  const parts: Buffer[] = [];
  let total = 0;
  for await (const chunk of chunks) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    total += buffer.length;
    if (total > cap) throw new InputTooLargeError(`more than ${cap} bytes`);
    parts.push(buffer);
  }
  return new Uint8Array(Buffer.concat(parts, total));
}

export async function readFileCapped(path: string, cap: ByteCap): Promise<Uint8Array> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw unreadableFile(
      error,
      path,
      'There is no such file. psst FILE shares a file; text is never taken from the command line: pipe it in (… | psst), or run psst alone and type it hidden.',
    );
  }
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) throw new CliError(EXIT.local, 'file_unreadable', `Cannot read ${path}: it is a folder`);
    if (stat.isFile() && stat.size > cap) throw new InputTooLargeError(`${stat.size} bytes`);
    return await readCapped(handle.createReadStream({ autoClose: false }), cap);
  } finally {
    await handle.close();
  }
}

export interface RawInput {
  bytes: Uint8Array;
  /** The base name of FILE; undefined for standard input and typed input. */
  fileName?: string;
}

export async function readSecretInput(file: string | undefined, cap: ByteCap): Promise<RawInput> {
  if (file !== undefined && file !== '-') return { bytes: await readFileCapped(file, cap), fileName: basename(file) };
  if (!process.stdin.isTTY || file === '-') return { bytes: await readCapped(process.stdin, cap) };
  const text = await withTerminal('pipe the secret in or name a FILE', (terminal) =>
    terminal.readHidden('Secret (typing is hidden, Enter ends): '),
  );
  return { bytes: new TextEncoder().encode(text) };
}

// A leading BOM is dropped, as the recipient's decoder drops it: what is sent is what they get.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The text, when the bytes are valid UTF-8 with no NUL byte; otherwise null. */
export function asText(bytes: Uint8Array): string | null {
  if (bytes.includes(0)) return null;
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return null;
  }
}

const MIME: Record<string, string> = {
  '.pdf': 'application/pdf',
  '.zip': 'application/zip',
  '.gz': 'application/gzip',
  '.tar': 'application/x-tar',
  '.json': 'application/json',
  '.txt': 'text/plain',
  '.csv': 'text/csv',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.pem': 'application/x-pem-file',
  '.key': 'application/octet-stream',
  '.p12': 'application/x-pkcs12',
  '.kdbx': 'application/octet-stream',
};

export function mimeFor(name: string): string {
  return MIME[extname(name).toLowerCase()] ?? 'application/octet-stream';
}

export interface ClassifyOptions {
  /** --file: always a file. */
  forceFile: boolean;
  /** --file-name: the name to send (implies a file). */
  fileName?: string;
}

/** Text unless --file or --file-name, or the bytes are not text. */
export function classifyInput(raw: RawInput, options: ClassifyOptions): SecretInput {
  const text = options.forceFile || options.fileName !== undefined ? null : asText(raw.bytes);
  if (text !== null) return { type: 'text', text };
  const name = sanitiseFileName(options.fileName ?? raw.fileName ?? 'secret.bin');
  return { type: 'file', name, mime: mimeFor(name), bytes: raw.bytes };
}
