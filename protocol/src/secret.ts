// Sealing and opening a whole secret: the key schedule, framing, padding and
// the envelope in the order PROTOCOL.md gives them.

import { encodeHeader, openEnvelope, parseEnvelopeHeader, sealEnvelope } from './envelope.js';
import { DecryptError, EnvelopeError } from './errors.js';
import { type FramingError, frameContent, padContent, parseContent, type SecretMeta, unpadContent } from './framing.js';
import { type DerivedKeys, deriveKeys, type ProgressCallback, type ScryptInput, verifierOf } from './key-schedule.js';
import { DEFAULT_KDF, type KdfParams, KEY_BYTES } from './limits.js';
import { generateKey, generateNonce, generateSalt } from './random.js';

export interface SealInput {
  meta: SecretMeta;
  /** The text (encoded as UTF-8) or the file's bytes. */
  body: string | Uint8Array;
  passphrase?: string;
  /** scrypt parameters for a passphrase; DEFAULT_KDF when omitted. */
  kdf?: KdfParams;
  /** Fixed inputs, for test vectors only; random when omitted. */
  key?: Uint8Array;
  salt?: Uint8Array;
  nonce?: Uint8Array;
  onProgress?: ProgressCallback;
}

export interface SealedSecret {
  key: Uint8Array;
  envelope: Uint8Array;
  accessVerifier: string;
  /** Present exactly when a passphrase was used. */
  passphraseVerifier?: string;
  keys: DerivedKeys;
}

export interface OpenedSecret {
  meta: SecretMeta;
  body: Uint8Array;
}

const encoder = new TextEncoder();

export async function sealSecret(input: SealInput): Promise<SealedSecret> {
  const key = input.key ?? generateKey();
  if (key.length !== KEY_BYTES) throw new EnvelopeError('the key must be 32 bytes');
  const usePassphrase = input.passphrase !== undefined && input.passphrase !== '';
  const scrypt: ScryptInput | null = usePassphrase ? { ...(input.kdf ?? DEFAULT_KDF), salt: input.salt ?? generateSalt() } : null;
  const keys = await deriveKeys(key, scrypt ? { passphrase: input.passphrase as string, kdf: scrypt } : undefined, input.onProgress);
  const body = typeof input.body === 'string' ? encoder.encode(input.body) : input.body;
  const envelope = sealEnvelope(keys.ek, encodeHeader(scrypt), input.nonce ?? generateNonce(), padContent(frameContent(input.meta, body)));
  const sealed: SealedSecret = { key, envelope, accessVerifier: verifierOf(keys.at), keys };
  if (keys.pt) sealed.passphraseVerifier = verifierOf(keys.pt);
  return sealed;
}

/** Whether opening this envelope needs a passphrase, and with which scrypt parameters. */
export function envelopeKdf(envelope: Uint8Array): ScryptInput | null {
  return parseEnvelopeHeader(envelope).kdf;
}

export interface OpenInput {
  envelope: Uint8Array;
  key: Uint8Array;
  passphrase?: string;
  /** Keys already derived (the reveal page derives PT before it reveals); skips scrypt. */
  keys?: DerivedKeys;
  onProgress?: ProgressCallback;
}

/**
 * Opens an envelope. Structural problems are EnvelopeError; everything that
 * fails after that (wrong key, wrong passphrase, tampering, bad framing) is
 * one DecryptError.
 */
export async function openSecret(input: OpenInput): Promise<OpenedSecret> {
  const { kdf } = parseEnvelopeHeader(input.envelope);
  let keys = input.keys;
  if (!keys) {
    if (kdf && (input.passphrase === undefined || input.passphrase === '')) throw new EnvelopeError('this secret needs a passphrase');
    keys = await deriveKeys(input.key, kdf ? { passphrase: input.passphrase as string, kdf } : undefined, input.onProgress);
  }
  const padded = openEnvelope(keys.ek, input.envelope);
  try {
    return parseContent(unpadContent(padded));
  } catch (cause) {
    throw new DecryptError({ cause: cause as FramingError });
  }
}

const strictDecoder = new TextDecoder('utf-8', { fatal: true });

/** Decodes a text secret's body; invalid UTF-8 is a DecryptError. */
export function decodeText(body: Uint8Array): string {
  try {
    return strictDecoder.decode(body);
  } catch (cause) {
    throw new DecryptError({ cause });
  }
}
