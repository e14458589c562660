// Every size, bound and default of protocol v1, defined once. The relay, the
// extension and the reveal page import these; nobody writes the numbers again.

export const PROTOCOL_VERSION = 1;

export const KEY_BYTES = 32;
export const ID_BYTES = 16;
export const TOKEN_BYTES = 32;
export const SALT_BYTES = 16;
export const NONCE_BYTES = 24;
export const TAG_BYTES = 16;

/** Smallest padding bucket, largest power-of-two bucket, then multiples of it. */
export const MIN_BUCKET = 256;
export const BUCKET_STEP = 65_536;

export interface KdfParams {
  log2n: number;
  r: number;
  p: number;
}

/** scrypt parameters for new secrets. */
export const DEFAULT_KDF: Readonly<KdfParams> = Object.freeze({ log2n: 17, r: 8, p: 1 });
/**
 * Readers refuse anything above these; the relay refuses them at creation.
 * At most 256 MiB and 4x the default work (PROTOCOL.md, amended in v1 from
 * 20/16/4): a hostile creator must not be able to freeze a recipient's device.
 */
export const READER_KDF_LIMITS: Readonly<KdfParams> = Object.freeze({ log2n: 18, r: 8, p: 2 });

export const MIN_TTL_SECONDS = 60;
export const DEFAULT_MAX_TTL_SECONDS = 604_800;
export const DEFAULT_MAX_VIEWS = 10;
export const DEFAULT_VIEWS = 1;
export const DEFAULT_MAX_ENVELOPE_BYTES = 1_048_576;
/** Wrong passphrase tokens before a secret is burned. */
export const MAX_PASSPHRASE_ATTEMPTS = 5;
/** Tombstones are purged this long after `expiresAt`. */
export const DEFAULT_TOMBSTONE_RETENTION_SECONDS = 86_400;

/** Smallest valid envelope: header, nonce, the smallest bucket, the tag. */
export function minEnvelopeBytes(hasPassphrase: boolean): number {
  return (hasPassphrase ? 21 : 2) + NONCE_BYTES + MIN_BUCKET + TAG_BYTES;
}

/** Largest plaintext body (text or file bytes) that fits an envelope of `maxEnvelopeBytes`. */
export function maxBodyBytes(maxEnvelopeBytes: number, metaBytes: number, hasPassphrase = true): number {
  const overhead = (hasPassphrase ? 21 : 2) + NONCE_BYTES + TAG_BYTES;
  const maxPadded = maxEnvelopeBytes - overhead;
  const bucket = maxPadded > BUCKET_STEP ? Math.floor(maxPadded / BUCKET_STEP) * BUCKET_STEP : 2 ** Math.floor(Math.log2(maxPadded));
  return Math.max(0, bucket - 4 - 4 - metaBytes);
}
