// Plaintext framing and padding. Padding hides a secret's exact length from
// the relay, which only learns the bucket.
import { BUCKET_STEP, MIN_BUCKET } from './limits.js';

export type SecretMeta = { type: 'text' } | { type: 'file'; name: string; mime: string };

/** Raised for framed plaintext that is not well formed (only after a successful decryption). */
export class FramingError extends Error {
  override readonly name = 'FramingError';
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

function writeU32(out: Uint8Array, offset: number, value: number): void {
  new DataView(out.buffer, out.byteOffset, out.byteLength).setUint32(offset, value, false);
}

function readU32(data: Uint8Array, offset: number): number {
  return new DataView(data.buffer, data.byteOffset, data.byteLength).getUint32(offset, false);
}

/** Serialises meta with its keys in a fixed order, so the bytes are reproducible. */
export function encodeMeta(meta: SecretMeta): Uint8Array {
  const ordered = meta.type === 'text' ? { type: 'text' } : { type: 'file', name: meta.name, mime: meta.mime };
  return encoder.encode(JSON.stringify(ordered));
}

/** content = u32be(len(meta)) || meta || body */
export function frameContent(meta: SecretMeta, body: Uint8Array): Uint8Array {
  const metaBytes = encodeMeta(meta);
  const out = new Uint8Array(4 + metaBytes.length + body.length);
  writeU32(out, 0, metaBytes.length);
  out.set(metaBytes, 4);
  out.set(body, 4 + metaBytes.length);
  return out;
}

/** Smallest power of two ≥ n (at least 256) up to 65536, then the next multiple of 65536. */
export function bucketSize(framedLength: number): number {
  if (framedLength <= MIN_BUCKET) return MIN_BUCKET;
  if (framedLength <= BUCKET_STEP) return 2 ** Math.ceil(Math.log2(framedLength));
  return Math.ceil(framedLength / BUCKET_STEP) * BUCKET_STEP;
}

/** padded = u32be(len(content)) || content || zeros up to the bucket */
export function padContent(content: Uint8Array): Uint8Array {
  const out = new Uint8Array(bucketSize(content.length + 4));
  writeU32(out, 0, content.length);
  out.set(content, 4);
  return out;
}

export function unpadContent(padded: Uint8Array): Uint8Array {
  if (padded.length < 4) throw new FramingError('padded plaintext too short');
  const length = readU32(padded, 0);
  if (length > padded.length - 4) throw new FramingError('content length exceeds the padded plaintext');
  return padded.subarray(4, 4 + length);
}

function parseMeta(bytes: Uint8Array): SecretMeta {
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(bytes));
  } catch (cause) {
    throw new FramingError('meta is not JSON', { cause });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new FramingError('meta is not a JSON object');
  const record = value as Record<string, unknown>;
  if (record.type === 'text') return { type: 'text' };
  if (record.type === 'file') {
    const name = typeof record.name === 'string' && record.name !== '' ? record.name : 'secret.bin';
    const mime = typeof record.mime === 'string' && record.mime !== '' ? record.mime : 'application/octet-stream';
    return { type: 'file', name, mime };
  }
  throw new FramingError('meta has an unknown type');
}

export function parseContent(content: Uint8Array): { meta: SecretMeta; body: Uint8Array } {
  if (content.length < 4) throw new FramingError('content too short');
  const metaLength = readU32(content, 0);
  if (metaLength > content.length - 4) throw new FramingError('meta length exceeds the content');
  return { meta: parseMeta(content.subarray(4, 4 + metaLength)), body: content.subarray(4 + metaLength) };
}
