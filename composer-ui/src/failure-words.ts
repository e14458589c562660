// The one place that turns a relay's answer (an API error code, a network
// problem, a create refused before encrypting) into words a person
// understands, for every host that creates: the popup, the extension's
// background and the web composer. A host adds words for its own failures
// (the extension: permissions, clipboard) and says where its settings are.
import { CreateRefusedError } from '@psst/client/create-link';
import { describeDuration } from '@psst/client/format';
import { RelayError } from '@psst/client/relay-client';
import type { ErrorCode } from '@psst/protocol/api';
import { DEFAULT_MAX_ENVELOPE_BYTES } from '@psst/protocol/limits';

export interface FailureWords {
  title: string;
  message: string;
  /** Offer a button that opens the host's settings (the extension's options page). */
  openOptions?: boolean;
}

export interface FailureHost {
  /** Where the relay's address is set, e.g. "the options"; absent when the relay is this page's own origin. */
  settings?: string;
  /** navigator.onLine: false means the browser knows it has no network. */
  online?: boolean;
}

/** 1536 → "2 KB", 1048576 → "1 MB" (1 KB = 1024 bytes, as file managers count). */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} byte${bytes === 1 ? '' : 's'}`;
}

/** The relay's limit in bytes, when its message names one. */
function sizeLimit(message: string | undefined): number | null {
  const match = /(\d[\d,_]*)\s*bytes/i.exec(message ?? '');
  const n = match?.[1] ? Number.parseInt(match[1].replace(/[,_]/g, ''), 10) : Number.NaN;
  return Number.isFinite(n) && n > 0 ? n : null;
}

function tooLarge(limit: number | null): FailureWords {
  return {
    title: 'Secret too large',
    message:
      limit !== null
        ? `This relay accepts secrets up to ${formatBytes(limit)} once encrypted. Share something smaller.`
        : `It is more than this relay accepts (relays take ${formatBytes(DEFAULT_MAX_ENVELOPE_BYTES)} unless their operator chose another limit). Share something smaller.`,
  };
}

function rateLimited(retryAfter: number | undefined): FailureWords {
  return {
    title: 'Too many links at once',
    message:
      retryAfter !== undefined
        ? `The relay asks you to wait. Try again in ${describeDuration(Math.max(1, retryAfter))}.`
        : 'The relay asks you to wait a little before trying again.',
  };
}

const CREATION_DISABLED: FailureWords = {
  title: 'The relay is not taking new secrets',
  message: 'Its operator has switched creation off. Existing links still work.',
};

const RELAY_FAILING: FailureWords = {
  title: 'The relay had a problem',
  message: 'Something went wrong on the relay. Nothing was created; try again in a moment.',
};

const API_WORDS: Partial<Record<ErrorCode, (e: RelayError, host: FailureHost) => FailureWords>> = {
  rate_limited: (e) => rateLimited(e.retryAfter),
  payload_too_large: (e) => tooLarge(sizeLimit(e.body?.message)),
  storage_full: () => ({
    title: 'The relay is full',
    message: 'The relay has no room for new secrets right now. Try again later or ask its operator.',
  }),
  creation_disabled: () => CREATION_DISABLED,
  invalid_request: (e, host) => ({
    title: 'The relay refused the secret',
    message: `It says: ${e.body?.message ?? 'the request was invalid'}.${host.settings ? ` Check the expiry and views in ${host.settings}.` : ''}`,
    ...(host.settings ? { openOptions: true } : {}),
  }),
  internal: () => RELAY_FAILING,
  // 503 from a relay whose database does not answer (a create, a receipt or a revoke): the relay itself is up and reconnects on its own.
  storage_unavailable: () => ({
    title: 'The relay cannot reach its storage',
    message: 'Its database is not answering right now, so the relay could not do what you asked. Try again in a moment.',
  }),
  // 403: PROTOCOL.md "Proof of work". Solving the relay's challenge is not built into psst yet.
  proof_of_work_required: () => ({
    title: 'The relay asks for proof of work',
    message:
      "This relay wants a puzzle solved before it accepts a secret, and psst cannot solve it yet. No link was made; ask the relay's operator, or use another relay.",
  }),
};

/** Words for a failure of the relay or of a create, or null when `error` is neither (the host's own, or a bug). */
export function describeRelayFailure(error: unknown, host: FailureHost = {}): FailureWords | null {
  const settings = host.settings ? { openOptions: true } : {};
  if (error instanceof CreateRefusedError) {
    switch (error.reason) {
      case 'too_large':
        return tooLarge(error.limitBytes ?? null);
      case 'creation_disabled':
        return CREATION_DISABLED;
      case 'empty':
        return { title: 'Nothing to share', message: 'Type the secret or choose a file first.' };
      case 'ttl':
      case 'views':
        return {
          title: 'The relay does not allow this',
          message: `On this relay ${error.message}.${host.settings ? ` Choose other defaults in ${host.settings}.` : ''}`,
          ...settings,
        };
    }
  }
  if (!(error instanceof RelayError)) return null;
  if (error.kind === 'unreachable') {
    if (host.online === false)
      return { title: 'You are offline', message: 'Your browser has no network connection. Nothing was sent; try again once it is back.' };
    return {
      title: 'Relay unreachable',
      message: host.settings
        ? `psst could not reach your relay. Check your connection and the relay address in ${host.settings}.`
        : 'psst could not reach the relay. Check your connection and try again in a moment.',
      ...settings,
    };
  }
  if (error.kind === 'bad_response') {
    return {
      title: 'Unexpected answer',
      message: host.settings
        ? 'The relay answered in a way psst does not understand. Is the address right?'
        : 'The relay answered in a way this page does not understand. Try again in a moment.',
      ...settings,
    };
  }
  const words = error.body ? API_WORDS[error.body.error] : undefined;
  if (words) return words(error, host);
  if (error.status === 413) return tooLarge(null);
  if (error.status === 429) return rateLimited(error.retryAfter);
  if (error.status !== undefined && error.status >= 500) return RELAY_FAILING;
  return { title: 'The relay refused', message: error.body?.message ?? `The relay answered with status ${error.status ?? 'unknown'}.` };
}
