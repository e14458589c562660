// The page's flow without the UI: Look on load (consumes nothing), then, only
// after the click, derive the passphrase token if needed, Reveal and decrypt.
import type { LookResponse } from '@psst/protocol/api';
import { decodeB64u } from '@psst/protocol/b64u';
import { EnvelopeError } from '@psst/protocol/errors';
import { deriveAccessToken, deriveKeysFrom, derivePassphraseKey, type ProgressCallback } from '@psst/protocol/key-schedule';
import type { ParsedLink } from '@psst/protocol/link';
// The decrypting code is part of a page's first load, not a chunk of its own: every reveal needs it, and one
// file gzips ~1 KB smaller than two, which keeps the reveal page within its 30 KB.
import { decodeText, openSecret } from '@psst/protocol/secret';
import type { Problem, RelayClient } from './reveal-client.js';

export type RevealedSecret = { type: 'text'; text: string } | { type: 'file'; name: string; mime: string; bytes: Uint8Array<ArrayBuffer> };

/** Everything the page can show. Each kind has its own words in strings.ts. */
export type View =
  | { kind: 'looking' }
  | { kind: 'invalid'; problem: 'incomplete' | 'not_a_link'; revealedAt?: Date }
  | { kind: 'waiting'; look: LookResponse; attemptsLeft?: number }
  | { kind: 'revealed'; secret: RevealedSecret; viewsLeft: number }
  | { kind: 'decrypt_failed' }
  | Exclude<Problem, { kind: 'wrong_passphrase' }>;

/** Look: tells what is waiting without consuming anything. */
export async function lookUp(link: ParsedLink, client: RelayClient): Promise<View> {
  const result = await client.look(link.id, deriveAccessToken(link.key));
  return result.ok ? { kind: 'waiting', look: result.value } : problemView(result.problem);
}

export type RevealOutcome = { view: View } | { wrongPassphrase: number };

/**
 * Reveal: the only step that consumes a view. With a passphrase, scrypt runs
 * first (reporting progress) so that a typo costs an attempt, never a view.
 */
export async function revealSecret(
  link: ParsedLink,
  look: LookResponse,
  client: RelayClient,
  passphrase: string,
  onPhase: (phase: 'deriving' | 'revealing', progress: number) => void,
): Promise<RevealOutcome> {
  let pk: Uint8Array | undefined;
  if (look.kdf) {
    const { log2n, r, p } = look.kdf;
    const onProgress: ProgressCallback = (fraction) => onPhase('deriving', fraction);
    onPhase('deriving', 0);
    try {
      pk = await derivePassphraseKey(passphrase, { log2n, r, p, salt: decodeB64u(look.kdf.salt) }, onProgress);
    } catch (error) {
      // Parameters out of bounds cannot be opened; anything else (scrypt's chunk did not load) is worth a retry.
      // Either way nothing was sent: the view is not spent.
      return { view: error instanceof EnvelopeError ? { kind: 'decrypt_failed' } : { kind: 'unreachable' } };
    }
  }
  onPhase('revealing', 1);
  const keys = deriveKeysFrom(link.key, pk);
  const result = await client.reveal(link.id, keys.at, keys.pt);
  if (!result.ok) {
    const { problem } = result;
    if (problem.kind !== 'wrong_passphrase') return { view: problemView(problem) };
    if (problem.attemptsLeft > 0) return { wrongPassphrase: problem.attemptsLeft };
    return { view: { kind: 'gone', reason: 'burned', at: new Date().toISOString() } };
  }
  try {
    const opened = await openSecret({ envelope: decodeB64u(result.value.envelope), key: link.key, keys });
    const secret: RevealedSecret =
      opened.meta.type === 'text'
        ? { type: 'text', text: decodeText(opened.body) }
        : { type: 'file', name: opened.meta.name, mime: opened.meta.mime, bytes: opened.body.slice() };
    return { view: { kind: 'revealed', secret, viewsLeft: result.value.viewsLeft } };
  } catch {
    return { view: { kind: 'decrypt_failed' } };
  }
}

function problemView(problem: Exclude<Problem, { kind: 'wrong_passphrase' }> | Problem): View {
  // A wrong passphrase is only possible on Reveal and handled there; on Look it would be a relay bug.
  if (problem.kind === 'wrong_passphrase') return { kind: 'server_error', status: 403 };
  return problem;
}
