// The typed errors of the protocol. Decryption failures all share one message,
// so nobody can tell a wrong key from a tampered envelope.

/** The envelope is structurally invalid: version, flags, length or limits. */
export class EnvelopeError extends Error {
  override readonly name = 'EnvelopeError';
}

export const DECRYPT_FAILED_MESSAGE = 'The secret could not be decrypted: the link or passphrase is wrong, or the data was damaged.';

/** Any failure to decrypt or to parse what was decrypted. One message whatever the cause. */
export class DecryptError extends Error {
  override readonly name = 'DecryptError';
  constructor(options?: { cause?: unknown }) {
    super(DECRYPT_FAILED_MESSAGE, options);
  }
}

/** A link, id or key that is not of the v1 form. */
export class LinkError extends Error {
  override readonly name = 'LinkError';
  constructor(
    readonly reason: 'malformed_url' | 'wrong_path' | 'missing_key' | 'malformed_id' | 'malformed_key',
    message: string,
  ) {
    super(message);
  }
}

/** Bytes that are not strict base64url without padding. */
export class EncodingError extends Error {
  override readonly name = 'EncodingError';
}
