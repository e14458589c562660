// base64url without padding (RFC 4648 §5), strict: no padding, no other
// alphabet, and canonical (unused trailing bits must be zero).
import { EncodingError } from './errors.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const CHARS: readonly string[] = ALPHABET.split('');
const ch = (i: number): string => CHARS[i] as string;
const LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;

export const B64U_PATTERN = /^[A-Za-z0-9_-]*$/;

/**
 * Node's Buffer, where there is one (the relay): it converts natively, several
 * times faster than the loops below on a 2 KiB envelope. Its decoder is lenient
 * (it skips foreign characters, accepts padding and '+/'), so decodeB64u checks
 * the text first. Browsers have no Buffer and use the loops.
 */
interface NativeBuffer {
  from(
    data: ArrayBufferLike,
    byteOffset: number,
    length: number,
  ): { toString(encoding: 'base64url'): string; write(text: string, encoding: 'base64url'): number };
}
const native = (globalThis as { Buffer?: NativeBuffer }).Buffer;

export function encodeB64u(bytes: Uint8Array): string {
  return native ? native.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url') : encodeB64uPortable(bytes);
}

/** The encoder without Buffer (browsers); exported so tests can hold both to the same results. */
export function encodeB64uPortable(bytes: Uint8Array): string {
  let out = '';
  const n = bytes.length;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
    out += ch(v >> 18) + ch((v >> 12) & 63) + ch((v >> 6) & 63) + ch(v & 63);
  }
  if (n - i === 1) {
    const v = (bytes[i] as number) << 16;
    out += ch(v >> 18) + ch((v >> 12) & 63);
  } else if (n - i === 2) {
    const v = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8);
    out += ch(v >> 18) + ch((v >> 12) & 63) + ch((v >> 6) & 63);
  }
  return out;
}

function sextet(text: string, index: number): number {
  const code = text.charCodeAt(index);
  const v = code < 128 ? (LOOKUP[code] as number) : -1;
  if (v < 0) throw new EncodingError(`invalid base64url character at position ${index}`);
  return v;
}

export function decodeB64u(text: string): Uint8Array {
  if (!native || !B64U_PATTERN.test(text)) return decodeB64uPortable(text); // the portable decoder names the bad character
  const rem = text.length % 4;
  if (rem === 1) throw new EncodingError('invalid base64url length');
  if (rem > 1 && sextet(text, text.length - 1) & (rem === 2 ? 15 : 3)) throw new EncodingError('non-canonical base64url');
  const out = new Uint8Array(Math.floor(text.length / 4) * 3 + (rem === 0 ? 0 : rem - 1));
  // Written in place: `out` owns its memory (Buffer.from(string) would hand out a slice of Node's shared pool).
  native.from(out.buffer, 0, out.length).write(text, 'base64url');
  return out;
}

/** The strict decoder without Buffer (browsers); exported so tests can hold both to the same results. */
export function decodeB64uPortable(text: string): Uint8Array {
  const rem = text.length % 4;
  if (rem === 1) throw new EncodingError('invalid base64url length');
  const out = new Uint8Array(Math.floor(text.length / 4) * 3 + (rem === 0 ? 0 : rem - 1));
  let o = 0;
  let i = 0;
  for (; i + 3 < text.length; i += 4) {
    const v = (sextet(text, i) << 18) | (sextet(text, i + 1) << 12) | (sextet(text, i + 2) << 6) | sextet(text, i + 3);
    out[o++] = v >> 16;
    out[o++] = (v >> 8) & 255;
    out[o++] = v & 255;
  }
  if (rem === 2) {
    const a = sextet(text, i);
    const b = sextet(text, i + 1);
    if (b & 15) throw new EncodingError('non-canonical base64url');
    out[o] = (a << 2) | (b >> 4);
  } else if (rem === 3) {
    const a = sextet(text, i);
    const b = sextet(text, i + 1);
    const c = sextet(text, i + 2);
    if (c & 3) throw new EncodingError('non-canonical base64url');
    out[o++] = (a << 2) | (b >> 4);
    out[o] = ((b & 15) << 4) | (c >> 2);
  }
  return out;
}

/** Length in characters of the b64u encoding of `bytes` bytes. */
export function b64uLength(bytes: number): number {
  return Math.ceil((bytes * 4) / 3);
}

/** Number of bytes a b64u string of `chars` characters decodes to. */
export function b64uDecodedLength(chars: number): number {
  return Math.floor((chars * 3) / 4);
}
