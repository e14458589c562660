// The one place that turns a failure (an API error code, a network problem, a
// missing permission) into words a person understands.

import { describeDuration } from '@psst/client/format';
import { RelayError } from '@psst/client/relay-client';
import type { ErrorCode } from '@psst/protocol/api';
import { DEFAULT_MAX_ENVELOPE_BYTES } from '@psst/protocol/limits';
import { ClipboardError, NoHostPermissionError, NothingToShareError } from './errors';
import { RelayUrlError } from '@psst/client/relay-url';

export interface FailureWords {
  title: string;
  message: string;
  /** Offer a button that opens the options page. */
  openOptions?: boolean;
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}

/** The relay's limit in bytes, when its message names one. */
function sizeLimit(message: string | undefined): number | null {
  const match = /(\d[\d,_]*)\s*bytes/i.exec(message ?? '');
  const n = match?.[1] ? Number.parseInt(match[1].replace(/[,_]/g, ''), 10) : Number.NaN;
  return Number.isFinite(n) && n > 0 ? n : null;
}

const API_WORDS: Partial<Record<ErrorCode, (e: RelayError) => FailureWords>> = {
  rate_limited: (e) => ({
    title: 'Too many links at once',
    message:
      e.retryAfter !== undefined
        ? `The relay asks you to wait. Try again in ${describeDuration(Math.max(1, e.retryAfter))}.`
        : 'The relay asks you to wait a little before trying again.',
  }),
  payload_too_large: (e) => {
    const limit = sizeLimit(e.body?.message);
    return {
      title: 'Secret too large',
      message:
        limit !== null
          ? `This relay accepts secrets up to about ${formatBytes(limit)} once encrypted. Share something shorter.`
          : `It is more than this relay accepts (relays take about ${formatBytes(DEFAULT_MAX_ENVELOPE_BYTES)} unless their operator chose another limit). Share something shorter.`,
    };
  },
  storage_full: () => ({
    title: 'The relay is full',
    message: 'The relay has no room for new secrets right now. Try again later or ask its operator.',
  }),
  creation_disabled: () => ({
    title: 'The relay is not taking new secrets',
    message: 'Its operator has switched creation off. Existing links still work.',
  }),
  invalid_request: (e) => ({
    title: 'The relay refused the secret',
    message: `It says: ${e.body?.message ?? 'the request was invalid'}. Check the expiry and views in the options.`,
    openOptions: true,
  }),
  internal: () => ({ title: 'The relay had a problem', message: 'Something went wrong on the relay. Try again in a moment.' }),
};

export function describeFailure(error: unknown): FailureWords {
  if (error instanceof NoHostPermissionError) {
    return {
      title: 'psst needs permission for your relay',
      message: `Allow psst to talk to ${error.relayUrl} in the options, then try again.`,
      openOptions: true,
    };
  }
  if (error instanceof RelayUrlError) return { title: 'The relay address is not valid', message: error.message, openOptions: true };
  if (error instanceof NothingToShareError) {
    const what = { selection: 'Select some text first.', clipboard: 'The clipboard holds no text.', composer: 'Type the secret first.' };
    return { title: 'Nothing to share', message: what[error.source] };
  }
  if (error instanceof ClipboardError) {
    return error.operation === 'read'
      ? { title: 'Could not read the clipboard', message: 'The browser did not let psst read the clipboard. Paste into the popup instead.' }
      : {
          title: 'Could not copy the link',
          message: 'The browser did not let psst write to the clipboard. Create the link from the popup instead.',
        };
  }
  if (error instanceof RelayError) {
    if (error.kind === 'unreachable') {
      return {
        title: 'Relay unreachable',
        message: 'psst could not reach your relay. Check your connection and the relay address in the options.',
        openOptions: true,
      };
    }
    if (error.kind === 'bad_response') {
      return {
        title: 'Unexpected answer',
        message: 'The relay answered in a way psst does not understand. Is the address right?',
        openOptions: true,
      };
    }
    const words = error.body ? API_WORDS[error.body.error] : undefined;
    if (words) return words(error);
    if (error.status === 413) return API_WORDS.payload_too_large!(error);
    if (error.status === 429) return API_WORDS.rate_limited!(error);
    return { title: 'The relay refused', message: error.body?.message ?? `The relay answered with status ${error.status ?? 'unknown'}.` };
  }
  return { title: 'Something went wrong', message: 'psst could not create the link. Try again.' };
}
