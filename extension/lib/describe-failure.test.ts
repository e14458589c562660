import { CreateRefusedError } from '@psst/client/create-link';
import { RelayError } from '@psst/client/relay-client';
import { RelayUrlError } from '@psst/client/relay-url';
import { describe, expect, it } from 'vitest';
import { describeFailure } from './describe-failure';
import { ClipboardError, NoHostPermissionError } from './errors';

function api(status: number, error: string, message = 'm', retryAfter?: number) {
  return new RelayError('api', message, status, { error: error as 'internal', message }, retryAfter);
}

describe('describeFailure', () => {
  it('names the size limit the relay gives', () => {
    expect(describeFailure(api(413, 'payload_too_large', 'the envelope is larger than 65536 bytes')).message).toContain(
      'up to 64 kB once encrypted',
    );
  });

  it('mentions the usual limit when the relay names none', () => {
    expect(describeFailure(api(413, 'payload_too_large', 'too big')).message).toContain(
      'relays take 1 MB unless their operator chose another limit',
    );
  });

  it('tells storage full apart from creation disabled', () => {
    expect(describeFailure(api(503, 'storage_full')).title).toBe('The relay is full');
    expect(describeFailure(api(503, 'creation_disabled')).title).toBe('The relay is not taking new secrets');
  });

  it('says when to retry after a rate limit', () => {
    expect(describeFailure(api(429, 'rate_limited', 'm', 3600)).message).toContain('Try again in 1 hour');
    expect(describeFailure(new RelayError('api', 'x', 429)).title).toBe('Too many links at once');
  });

  it('offers the options page for permission, address and reachability problems', () => {
    expect(describeFailure(new NoHostPermissionError('https://r.example')).openOptions).toBe(true);
    expect(describeFailure(new RelayUrlError('invalid', 'bad')).openOptions).toBe(true);
    expect(describeFailure(new RelayError('unreachable', 'x')).openOptions).toBe(true);
  });

  it('says why a create was refused before anything was encrypted', () => {
    expect(describeFailure(new CreateRefusedError('too_large', 'x', 65_536, 70_000))).toMatchObject({
      title: 'Secret too large',
      message: 'This relay accepts secrets up to 64 kB once encrypted. Share something smaller.',
    });
    expect(describeFailure(new CreateRefusedError('creation_disabled', 'x')).title).toBe('The relay is not taking new secrets');
    expect(describeFailure(new CreateRefusedError('views', 'the views must be between 1 and 3')).openOptions).toBe(true);
  });

  it('says the relay failed for a 5xx without a body', () => {
    expect(describeFailure(new RelayError('api', 'x', 502)).title).toBe('The relay had a problem');
  });

  it('explains clipboard failures', () => {
    expect(describeFailure(new ClipboardError('read')).title).toBe('Could not read the clipboard');
    expect(describeFailure(new ClipboardError('write')).title).toBe('Could not copy the link');
  });

  it('has words for anything unexpected', () => {
    expect(describeFailure(new Error('boom'))).toEqual({
      title: 'Something went wrong',
      message: 'psst could not create the link. Try again.',
    });
  });
});
