// Creating a link, for every host (extension, web composer, CLI): check the
// relay's limits before anything is encrypted, seal text or a file with the
// protocol, create it on the relay, build the link. The key stays here and in
// the returned link; only the envelope and the verifiers are sent.
import type { CreateSecretRequest, CreateSecretResponse, RelayConfigResponse } from '@psst/protocol/api';
import { encodeB64u } from '@psst/protocol/b64u';
import { bucketSize, encodeMeta, type SecretMeta } from '@psst/protocol/framing';
import { loadScrypt, type ProgressCallback } from '@psst/protocol/key-schedule';
import { type KdfParams, MIN_TTL_SECONDS, NONCE_BYTES, TAG_BYTES } from '@psst/protocol/limits';
import { buildLink } from '@psst/protocol/link';
import { createSecret, type FetchLike, fetchChallenge, isProofOfWorkRequired, RelayError } from './relay-client.js';

export type SecretInput = { type: 'text'; text: string } | { type: 'file'; name: string; mime: string; bytes: Uint8Array };

export interface CreateLinkInput {
  /** The relay's origin, already normalised (no trailing slash). */
  relayUrl: string;
  secret: SecretInput;
  ttl: number;
  views: number;
  /** Empty or absent: no passphrase. */
  passphrase?: string;
  /** scrypt parameters; the protocol default when omitted (tests pass smaller ones). */
  kdf?: KdfParams;
  /** The relay's settings (loadRelayConfig): the secret is checked against them before it is encrypted. */
  config: Readonly<RelayConfigResponse>;
  /** What is happening now, for a progress display; `fraction` is known only while deriving and proving. */
  onPhase?: (phase: CreatePhase, fraction?: number) => void;
  /** Cancels a proof of work in progress (the only step that may take long without the user's passphrase). */
  signal?: AbortSignal;
}

/** `proving`: solving the relay's proof-of-work challenge (PROTOCOL.md), when it asks for one. */
export type CreatePhase = 'deriving' | 'encrypting' | 'proving' | 'uploading';

export interface CreatedLink {
  /** The full link with the key in its fragment: shown or copied, never stored. */
  link: string;
  created: CreateSecretResponse;
}

/** Refused before anything was encrypted or sent: the relay would refuse it (its settings say so). */
export class CreateRefusedError extends Error {
  override name = 'CreateRefusedError';
  constructor(
    readonly reason: 'empty' | 'too_large' | 'creation_disabled' | 'ttl' | 'views',
    message: string,
    /** too_large: the largest envelope the relay accepts, and this secret's. */
    readonly limitBytes?: number,
    readonly envelopeBytes?: number,
  ) {
    super(message);
  }
}

const encoder = new TextEncoder();

/** The exact envelope size of a secret (PROTOCOL.md: header, nonce, the padded bucket, the tag). */
export function envelopeBytesFor(meta: SecretMeta, bodyBytes: number, hasPassphrase: boolean): number {
  const content = 4 + encodeMeta(meta).length + bodyBytes;
  return (hasPassphrase ? 21 : 2) + NONCE_BYTES + bucketSize(content + 4) + TAG_BYTES;
}

function metaOf(secret: SecretInput): SecretMeta {
  return secret.type === 'text' ? { type: 'text' } : { type: 'file', name: secret.name, mime: secret.mime };
}

function bodyOf(secret: SecretInput): Uint8Array {
  return secret.type === 'text' ? encoder.encode(secret.text) : secret.bytes;
}

/** Checks a secret against the relay's settings; throws CreateRefusedError with the reason. */
export function checkAgainstConfig(input: Omit<CreateLinkInput, 'onPhase' | 'kdf'>, body = bodyOf(input.secret)): void {
  const { config, secret } = input;
  if (!config.createEnabled) throw new CreateRefusedError('creation_disabled', 'this relay does not accept new secrets right now');
  if (secret.type === 'text' && secret.text === '') throw new CreateRefusedError('empty', 'there is nothing to share');
  if (!Number.isInteger(input.ttl) || input.ttl < MIN_TTL_SECONDS || input.ttl > config.maxTtlSeconds)
    throw new CreateRefusedError('ttl', `the expiry must be between ${MIN_TTL_SECONDS} and ${config.maxTtlSeconds} seconds`);
  if (!Number.isInteger(input.views) || input.views < 1 || input.views > config.maxViews)
    throw new CreateRefusedError('views', `the views must be between 1 and ${config.maxViews}`);
  const hasPassphrase = input.passphrase !== undefined && input.passphrase !== '';
  const size = envelopeBytesFor(metaOf(secret), body.length, hasPassphrase);
  if (size > config.maxEnvelopeBytes)
    throw new CreateRefusedError('too_large', `the secret is larger than this relay accepts`, config.maxEnvelopeBytes, size);
}

let sealer: Promise<typeof import('@psst/protocol/secret')> | undefined;

/**
 * The sealing code (the envelope, XChaCha20-Poly1305) is a chunk of its own in a page bundle, so a composer shows
 * at once. A load that fails (offline, the relay gone) is an unreachable relay, before anything is sent; it is
 * tried again on the next create.
 */
function loadSealer(): Promise<typeof import('@psst/protocol/secret')> {
  sealer ??= import('@psst/protocol/secret').catch((error: unknown) => {
    sealer = undefined;
    throw new RelayError('unreachable', 'the sealing code could not be loaded', undefined, undefined, undefined, { cause: error });
  });
  return sealer;
}

/** Loads what a create needs beyond what shows the composer (sealing, scrypt): a page calls it once it shows, so a create made offline later still seals. */
export function prepareCreate(): void {
  loadSealer().catch(() => undefined);
  loadScrypt().catch(() => undefined);
}

export async function createLink(fetchFn: FetchLike, input: CreateLinkInput): Promise<CreatedLink> {
  const body = bodyOf(input.secret);
  checkAgainstConfig(input, body);
  const passphrase = input.passphrase === '' ? undefined : input.passphrase;
  const onProgress: ProgressCallback | undefined = input.onPhase ? (fraction) => input.onPhase?.('deriving', fraction) : undefined;
  input.onPhase?.(passphrase === undefined ? 'encrypting' : 'deriving', passphrase === undefined ? undefined : 0);
  const { sealSecret } = await loadSealer();
  const sealed = await sealSecret({
    meta: metaOf(input.secret),
    body,
    ...(passphrase !== undefined ? { passphrase } : {}),
    ...(input.kdf ? { kdf: input.kdf } : {}),
    ...(onProgress ? { onProgress } : {}),
  });
  const request: CreateSecretRequest = {
    envelope: encodeB64u(sealed.envelope),
    accessVerifier: sealed.accessVerifier,
    ...(sealed.passphraseVerifier ? { passphraseVerifier: sealed.passphraseVerifier } : {}),
    ttl: input.ttl,
    views: input.views,
  };
  const prove = async (): Promise<CreateSecretRequest> => {
    input.onPhase?.('proving', 0);
    // The solver is a chunk of its own in a page bundle: only a relay that asks for proof of work needs it.
    const [challenge, { solveProofOfWork }] = await Promise.all([fetchChallenge(fetchFn, input.relayUrl), import('./proof-of-work.js')]);
    const proofOfWork = await solveProofOfWork(challenge, {
      onProgress: (fraction) => input.onPhase?.('proving', fraction),
      ...(input.signal ? { signal: input.signal } : {}),
    });
    return { ...request, proofOfWork };
  };
  // A relay that always asks gets the proof with the first create; any other is asked only when it answers 403
  // proof_of_work_required, and then the create is retried once, with a freshly solved challenge.
  const first = input.config.proofOfWork === 'always' ? await prove() : request;
  input.onPhase?.('uploading');
  let created: CreateSecretResponse;
  try {
    created = await createSecret(fetchFn, input.relayUrl, first);
  } catch (error) {
    if (!isProofOfWorkRequired(error)) throw error;
    const retry = await prove();
    input.onPhase?.('uploading');
    created = await createSecret(fetchFn, input.relayUrl, retry);
  }
  return { link: buildLink(input.relayUrl, created.id, sealed.key), created };
}
