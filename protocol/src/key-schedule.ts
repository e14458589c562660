// The v1 key schedule: scrypt for the passphrase, HKDF-SHA256 for the
// encryption key and the two tokens, SHA-256 verifiers for the relay.
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { encodeB64u } from './b64u.js';
import { EnvelopeError } from './errors.js';
import { type KdfParams, KEY_BYTES, READER_KDF_LIMITS, SALT_BYTES } from './limits.js';

const encoder = new TextEncoder();
const EMPTY = new Uint8Array(0);
const INFO_ENCRYPT = encoder.encode('psst/v1/encrypt');
const INFO_ACCESS = encoder.encode('psst/v1/access');
const INFO_PASSPHRASE = encoder.encode('psst/v1/passphrase');

export interface ScryptInput extends KdfParams {
  salt: Uint8Array;
}

export interface DerivedKeys {
  /** Encryption key. */
  ek: Uint8Array;
  /** Access token: proves the holder has the link. */
  at: Uint8Array;
  /** Passphrase token, only with a passphrase. */
  pt?: Uint8Array;
  /** scrypt output, only with a passphrase (exposed for the test vectors). */
  pk?: Uint8Array;
}

export type ProgressCallback = (fraction: number) => void;

/** Throws EnvelopeError when scrypt parameters exceed what a reader accepts. */
export function assertKdfWithinLimits(kdf: KdfParams): void {
  const { log2n, r, p } = kdf;
  const ok =
    Number.isInteger(log2n) &&
    Number.isInteger(r) &&
    Number.isInteger(p) &&
    log2n >= 1 &&
    r >= 1 &&
    p >= 1 &&
    log2n <= READER_KDF_LIMITS.log2n &&
    r <= READER_KDF_LIMITS.r &&
    p <= READER_KDF_LIMITS.p;
  if (!ok) {
    throw new EnvelopeError(
      `scrypt parameters out of bounds (log2n ≤ ${READER_KDF_LIMITS.log2n}, r ≤ ${READER_KDF_LIMITS.r}, p ≤ ${READER_KDF_LIMITS.p})`,
    );
  }
}

export function encodePassphrase(passphrase: string): Uint8Array {
  return encoder.encode(passphrase.normalize('NFC'));
}

/** scrypt, imported when first needed: in a page bundle it is a chunk of its own, loaded only for a passphrase. */
export const loadScrypt = () => import('@noble/hashes/scrypt.js');

/** PK = scrypt(NFC(passphrase), salt, N = 2^log2n, r, p, 32). */
export async function derivePassphraseKey(passphrase: string, kdf: ScryptInput, onProgress?: ProgressCallback): Promise<Uint8Array> {
  assertKdfWithinLimits(kdf);
  if (kdf.salt.length !== SALT_BYTES) throw new EnvelopeError('scrypt salt must be 16 bytes');
  const N = 2 ** kdf.log2n;
  const { scryptAsync } = await loadScrypt();
  return scryptAsync(encodePassphrase(passphrase), kdf.salt, {
    N,
    r: kdf.r,
    p: kdf.p,
    dkLen: KEY_BYTES,
    maxmem: 128 * kdf.r * (N + kdf.p + 2) + 1024,
    asyncTick: 20,
    ...(onProgress ? { onProgress } : {}),
  });
}

function expand(ikm: Uint8Array, info: Uint8Array): Uint8Array {
  return hkdf(sha256, ikm, EMPTY, info, 32);
}

/** AT = HKDF(K, "psst/v1/access"); needs no passphrase, so a reader can Look first. */
export function deriveAccessToken(key: Uint8Array): Uint8Array {
  if (key.length !== KEY_BYTES) throw new EnvelopeError('the key must be 32 bytes');
  return expand(key, INFO_ACCESS);
}

/** Derives EK, AT and, given the scrypt output PK, PT. */
export function deriveKeysFrom(key: Uint8Array, pk?: Uint8Array): DerivedKeys {
  const at = deriveAccessToken(key);
  if (!pk) return { ek: expand(key, INFO_ENCRYPT), at };
  const ikm = new Uint8Array(key.length + pk.length);
  ikm.set(key);
  ikm.set(pk, key.length);
  return { ek: expand(ikm, INFO_ENCRYPT), at, pt: expand(ikm, INFO_PASSPHRASE), pk };
}

/** The whole schedule: scrypt when a passphrase is given, then HKDF. */
export async function deriveKeys(
  key: Uint8Array,
  passphrase?: { passphrase: string; kdf: ScryptInput },
  onProgress?: ProgressCallback,
): Promise<DerivedKeys> {
  const pk = passphrase ? await derivePassphraseKey(passphrase.passphrase, passphrase.kdf, onProgress) : undefined;
  return deriveKeysFrom(key, pk);
}

/** b64u(SHA-256(token)): what the relay stores and compares against. */
export function verifierOf(token: Uint8Array): string {
  return encodeB64u(sha256(token));
}

export function sha256Bytes(data: Uint8Array): Uint8Array {
  return sha256(data);
}
