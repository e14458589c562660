// The envelope: header || nonce || XChaCha20-Poly1305(EK, nonce, padded, aad = header).
// The header is authenticated, so flipping the passphrase flag or the scrypt
// parameters makes decryption fail.
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { DecryptError, EnvelopeError } from './errors.js';
import { assertKdfWithinLimits, type ScryptInput } from './key-schedule.js';
import { minEnvelopeBytes, NONCE_BYTES, PROTOCOL_VERSION, SALT_BYTES } from './limits.js';

export const FLAG_PASSPHRASE = 0x01;
const HEADER_PLAIN = 2;
const HEADER_PASSPHRASE = 5 + SALT_BYTES;

export interface EnvelopeHeader {
  /** scrypt parameters and salt, or null without a passphrase. */
  kdf: ScryptInput | null;
  /** Length h of the header in bytes. */
  length: number;
}

export function encodeHeader(kdf: ScryptInput | null): Uint8Array {
  if (!kdf) return Uint8Array.of(PROTOCOL_VERSION, 0);
  assertKdfWithinLimits(kdf);
  if (kdf.salt.length !== SALT_BYTES) throw new EnvelopeError('scrypt salt must be 16 bytes');
  const out = new Uint8Array(HEADER_PASSPHRASE);
  out.set([PROTOCOL_VERSION, FLAG_PASSPHRASE, kdf.log2n, kdf.r, kdf.p]);
  out.set(kdf.salt, 5);
  return out;
}

/**
 * Reads and checks the header: version, flags, scrypt limits and the minimum
 * length. Throws EnvelopeError; used by readers and by the relay at creation.
 */
export function parseEnvelopeHeader(envelope: Uint8Array): EnvelopeHeader {
  if (envelope.length < 2) throw new EnvelopeError('envelope too short');
  if (envelope[0] !== PROTOCOL_VERSION) throw new EnvelopeError(`unsupported envelope version ${envelope[0]}`);
  const flags = envelope[1] as number;
  if ((flags & ~FLAG_PASSPHRASE) !== 0) throw new EnvelopeError('unknown envelope flags');
  const hasPassphrase = (flags & FLAG_PASSPHRASE) !== 0;
  if (envelope.length < minEnvelopeBytes(hasPassphrase)) throw new EnvelopeError('envelope too short');
  if (!hasPassphrase) return { kdf: null, length: HEADER_PLAIN };
  const kdf: ScryptInput = {
    log2n: envelope[2] as number,
    r: envelope[3] as number,
    p: envelope[4] as number,
    salt: envelope.slice(5, 5 + SALT_BYTES),
  };
  assertKdfWithinLimits(kdf);
  return { kdf, length: HEADER_PASSPHRASE };
}

export function sealEnvelope(ek: Uint8Array, header: Uint8Array, nonce: Uint8Array, padded: Uint8Array): Uint8Array {
  if (nonce.length !== NONCE_BYTES) throw new EnvelopeError('nonce must be 24 bytes');
  const ciphertext = xchacha20poly1305(ek, nonce, header).encrypt(padded);
  const out = new Uint8Array(header.length + NONCE_BYTES + ciphertext.length);
  out.set(header);
  out.set(nonce, header.length);
  out.set(ciphertext, header.length + NONCE_BYTES);
  return out;
}

/** Decrypts with EK; returns the padded plaintext. Any failure is a DecryptError. */
export function openEnvelope(ek: Uint8Array, envelope: Uint8Array): Uint8Array {
  const header = parseEnvelopeHeader(envelope);
  const aad = envelope.subarray(0, header.length);
  const nonce = envelope.subarray(header.length, header.length + NONCE_BYTES);
  try {
    return xchacha20poly1305(ek, nonce, aad).decrypt(envelope.subarray(header.length + NONCE_BYTES));
  } catch (cause) {
    throw new DecryptError({ cause });
  }
}
