import { CreateRefusedError } from '@psst/client/create-link';
import { ProofOfWorkError } from '@psst/client/proof-of-work-error';
import { RelayError } from '@psst/client/relay-client';
import { describe, expect, it } from 'vitest';
import { describeRelayFailure } from './failure-words';

function api(status: number, error: string, message = 'm', retryAfter?: number) {
  return new RelayError('api', message, status, { error: error as 'internal', message }, retryAfter);
}

describe('describeRelayFailure', () => {
  it('says when to retry after a rate limit', () => {
    expect(describeRelayFailure(api(429, 'rate_limited', 'm', 42))?.message).toBe('The relay asks you to wait. Try again in 42 seconds.');
    expect(describeRelayFailure(new RelayError('api', 'x', 429))?.title).toBe('Too many links at once');
  });

  it('names the limit of a too large secret, from the refusal before encrypting or from the relay', () => {
    expect(describeRelayFailure(new CreateRefusedError('too_large', 'x', 1_048_576, 2_000_000))?.message).toBe(
      'This relay accepts secrets up to 1 MB once encrypted. Share something smaller.',
    );
    expect(describeRelayFailure(api(413, 'payload_too_large', 'larger than 65536 bytes'))?.message).toContain('up to 64 kB');
  });

  it('tells storage full, creation disabled and a failing relay apart', () => {
    expect(describeRelayFailure(api(503, 'storage_full'))?.title).toBe('The relay is full');
    expect(describeRelayFailure(api(503, 'creation_disabled'))?.title).toBe('The relay is not taking new secrets');
    expect(describeRelayFailure(new CreateRefusedError('creation_disabled', 'x'))?.title).toBe('The relay is not taking new secrets');
    expect(describeRelayFailure(api(500, 'internal'))?.title).toBe('The relay had a problem');
    expect(describeRelayFailure(new RelayError('api', 'x', 502))?.title).toBe('The relay had a problem');
  });

  it('says a relay whose database does not answer is worth retrying, not a generic failure', () => {
    expect(describeRelayFailure(api(503, 'storage_unavailable'))).toEqual({
      title: 'The relay cannot reach its storage',
      message: 'Its database is not answering right now, so the relay could not do what you asked. Try again in a moment.',
    });
  });

  it("says a proof of work refused after psst solved one (the retry's refusal), not the relay's raw message", () => {
    const words = describeRelayFailure(api(403, 'proof_of_work_required', 'solve a challenge first'));
    expect(words?.title).toBe('The relay did not accept the proof of work');
    expect(words?.message).toContain('psst solved it, but the relay refused it again');
    expect(words?.message).not.toContain('solve a challenge first');
  });

  it('says a challenge psst will not solve (unknown kind or too costly) in words, with nothing sent', () => {
    const words = describeRelayFailure(new ProofOfWorkError('too_costly', 'x'));
    expect(words?.title).toBe('The relay asks for too much proof of work');
    expect(words?.message).toContain('No link was made');
  });

  it('says offline when the browser knows it, unreachable otherwise, and points to the settings only when the host has some', () => {
    const unreachable = new RelayError('unreachable', 'x');
    expect(describeRelayFailure(unreachable, { online: false })?.title).toBe('You are offline');
    expect(describeRelayFailure(unreachable, { online: true })).toMatchObject({ title: 'Relay unreachable' });
    expect(describeRelayFailure(unreachable)?.openOptions).toBeUndefined();
    expect(describeRelayFailure(unreachable, { settings: 'the options' })).toMatchObject({
      openOptions: true,
      message: expect.stringContaining('the relay address in the options'),
    });
  });

  it('leaves failures that are not the relay to the host', () => {
    expect(describeRelayFailure(new Error('boom'))).toBeNull();
  });
});
