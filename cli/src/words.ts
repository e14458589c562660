// The one place that turns what the relay answered into words for people and
// an exit code: create and manage errors (RelayError, CreateRefusedError) and
// the reveal flow's problems. Nothing here quotes a key, link or token.
import { CreateRefusedError } from '@psst/client/create-link';
import { describeDuration } from '@psst/client/format';
import { ProofOfWorkError } from '@psst/client/proof-of-work-error';
import { RelayError } from '@psst/client/relay-client';
import type { View } from '@psst/client/reveal-flow';
import type { GoneReason } from '@psst/protocol/api';
import { CliError, EXIT } from './exit-codes.js';

/**
 * The relay refused the proof of work: createLink (of @psst/client) had already solved a challenge and retried
 * once after a first proof_of_work_required, so this is the second refusal.
 */
function proofOfWorkRequired(relayWords?: string): CliError {
  return new CliError(
    EXIT.refused,
    'proof_of_work_required',
    `This relay asks for proof of work (an anti-spam check) before it accepts a secret; psst solved it, but the relay refused it again${relayWords ? ` (${relayWords})` : ''}: no link was made. Try again in a minute.`,
  );
}

/** A challenge psst does not solve: nothing was sent with it. */
function proofOfWorkUnsolvable(error: ProofOfWorkError): CliError {
  return new CliError(
    EXIT.refused,
    'proof_of_work_unsolvable',
    `This relay asks for proof of work that psst does not do: ${error.message}. No link was made; ask the operator of the relay, or use another relay.`,
    { reason: error.reason },
  );
}

/** The relay's /api/config says it does not create (createEnabled: false). */
export function creationDisabled(): CliError {
  return new CliError(EXIT.refused, 'creation_disabled', 'This relay does not accept new secrets right now; existing links keep working.');
}

/** "26 Nov 2026, 07:00 UTC": the same in every locale, so scripts and bug reports read alike. */
export function formatWhen(iso: string): string {
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

export function describeExpiry(expiresAt: string, now = Date.now()): string {
  const left = (Date.parse(expiresAt) - now) / 1000;
  return left > 0 ? `expires in ${describeDuration(left)} (${formatWhen(expiresAt)})` : `expired at ${formatWhen(expiresAt)}`;
}

const GONE: Record<GoneReason, string> = {
  read: 'This secret was already viewed',
  expired: 'This secret expired without being viewed',
  deleted: 'The sender deleted this secret',
  burned: 'This secret was destroyed after too many wrong passphrases',
};

export function goneError(reason: GoneReason, at?: string): CliError {
  const tail =
    reason === 'read' ? ' If it was not you, someone else opened the link: tell the sender.' : ' Ask the sender to send it again.';
  return new CliError(EXIT.gone, 'gone', `${GONE[reason]}${at ? ` (${formatWhen(at)})` : ''}.${tail}`, { reason, at: at ?? null });
}

export const NOT_FOUND_WORDS =
  'No secret here: the link is wrong or incomplete, or the secret was removed long ago. Check that you have the whole link.';

function rateLimited(retryAfter: number | undefined): CliError {
  const wait = retryAfter === undefined ? 'later' : `in ${describeDuration(Math.max(retryAfter, 1))}`;
  return new CliError(EXIT.refused, 'rate_limited', `The relay is limiting requests from this address: try again ${wait}.`, {
    retryAfter: retryAfter ?? null,
  });
}

/** An error of the create, receipt or delete calls. */
export function relayFailure(error: unknown): unknown {
  if (error instanceof CreateRefusedError) {
    if (error.reason === 'empty') return new CliError(EXIT.usage, 'empty', 'There is nothing to share: the input is empty.');
    if (error.reason === 'too_large') {
      const words = `The secret is too large for this relay: its envelope would be ${error.envelopeBytes} bytes, the relay accepts at most ${error.limitBytes}.`;
      return new CliError(EXIT.refused, 'too_large', words, {
        limitBytes: error.limitBytes ?? null,
        envelopeBytes: error.envelopeBytes ?? null,
      });
    }
    if (error.reason === 'creation_disabled') return creationDisabled();
    return new CliError(EXIT.refused, `${error.reason}_not_allowed`, `This relay does not allow that: ${error.message}.`);
  }
  if (error instanceof ProofOfWorkError) return proofOfWorkUnsolvable(error);
  if (!(error instanceof RelayError)) return error;
  if (error.kind === 'unreachable') {
    const cause = error.cause instanceof Error && error.cause.cause instanceof Error ? ` (${error.cause.cause.message})` : '';
    return new CliError(EXIT.network, 'unreachable', `The relay could not be reached${cause}: check the address and your connection.`);
  }
  if (error.kind === 'bad_response')
    return new CliError(EXIT.network, 'bad_response', `${capitalise(error.message)}: is this the address of a psst relay?`, {
      status: error.status ?? null,
    });
  const status = error.status ?? 0;
  const code = error.body?.error;
  if (status === 429 || code === 'rate_limited') return rateLimited(error.retryAfter);
  // By its code, not its status: a 403 is also what a proxy in front of the relay answers.
  if (code === 'proof_of_work_required') return proofOfWorkRequired(error.body?.message);
  if (status === 404)
    return new CliError(EXIT.gone, 'not_found', 'The relay no longer knows this secret (gone and purged, or never created there).');
  if (code === 'gone' && error.body?.reason) return goneError(error.body.reason, error.body.at);
  const words = error.body
    ? `The relay refused: ${error.body.message}`
    : `The relay refused the request (HTTP ${status}) without a psst answer: a proxy in front of it may have stopped it.`;
  return new CliError(EXIT.refused, code ?? `http_${status}`, words, { status });
}

/** A view of the reveal flow that is not "waiting" or "revealed". */
export function viewFailure(view: View): CliError {
  switch (view.kind) {
    case 'gone':
      return goneError(view.reason, view.at);
    case 'not_found':
      return new CliError(EXIT.gone, 'not_found', NOT_FOUND_WORDS);
    case 'rate_limited':
      return rateLimited(view.retryAfter);
    case 'unreachable':
      return new CliError(EXIT.network, 'unreachable', 'The relay of this link could not be reached: check your connection and try again.');
    case 'server_error':
      if (view.status === 503)
        return new CliError(
          EXIT.refused,
          'unavailable',
          'The relay is unavailable right now (503); nothing was opened. Try again shortly.',
          {
            status: 503,
          },
        );
      if (view.status >= 200 && view.status < 300)
        return new CliError(EXIT.network, 'bad_response', 'The relay sent an answer psst does not understand: is this a psst link?');
      return new CliError(EXIT.refused, `http_${view.status}`, `The relay refused (${view.status}); nothing was opened. Try again later.`, {
        status: view.status,
      });
    case 'decrypt_failed':
      return new CliError(
        EXIT.decrypt,
        'decrypt_failed',
        'The secret could not be decrypted: the link is damaged or the data was changed. Ask the sender to send it again.',
      );
    default:
      return new CliError(EXIT.usage, 'unexpected', `Unexpected state: ${view.kind}`);
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
