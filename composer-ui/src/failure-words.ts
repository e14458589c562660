// The one place that turns a relay's answer (an API error code, a network
// problem, a create refused before encrypting) into words a person
// understands, for every host that creates: the popup, the extension's
// background and the web composer. A host adds words for its own failures
// (the extension: permissions, clipboard) and says whether it has settings.
// The words are in the composer catalogue (i18n/locales/<lang>/composer.json).
import { CreateRefusedError } from '@psst/client/create-link';
import { describeDuration } from '@psst/client/format';
import { ProofOfWorkError } from '@psst/client/proof-of-work-error';
import { RelayError } from '@psst/client/relay-client';
import { currentLanguage, formatBytes, t } from '@psst/i18n';
import type { ErrorCode } from '@psst/protocol/api';
import { DEFAULT_MAX_ENVELOPE_BYTES } from '@psst/protocol/limits';

export interface FailureWords {
  title: string;
  message: string;
  /** Offer a button that opens the host's settings (the extension's options page). */
  openOptions?: boolean;
}

export interface FailureHost {
  /**
   * Set when the relay's address and the defaults of new links are in the host's options page (the extension):
   * the words then point there. Absent when the relay is this page's own origin.
   */
  settings?: boolean | string;
  /** navigator.onLine: false means the browser knows it has no network. */
  online?: boolean;
}

/** A duration in the active language: 3600 → "1 hour". */
export function formatDuration(seconds: number): string {
  return describeDuration(seconds, currentLanguage());
}

/** The relay's limit in bytes, when its message names one. */
function sizeLimit(message: string | undefined): number | null {
  const match = /(\d[\d,_]*)\s*bytes/i.exec(message ?? '');
  const n = match?.[1] ? Number.parseInt(match[1].replace(/[,_]/g, ''), 10) : Number.NaN;
  return Number.isFinite(n) && n > 0 ? n : null;
}

const words = (title: string, message: string): FailureWords => ({ title, message });

function tooLarge(limit: number | null): FailureWords {
  return words(
    t('failure.tooLarge.title'),
    limit !== null
      ? t('failure.tooLarge.limit', { size: formatBytes(limit) })
      : t('failure.tooLarge.default', { size: formatBytes(DEFAULT_MAX_ENVELOPE_BYTES) }),
  );
}

function rateLimited(retryAfter: number | undefined): FailureWords {
  return words(
    t('failure.rateLimited.title'),
    retryAfter !== undefined
      ? t('failure.rateLimited.retryAfter', { duration: formatDuration(Math.max(1, retryAfter)) })
      : t('failure.rateLimited.body'),
  );
}

const creationDisabled = () => words(t('failure.creationDisabled.title'), t('failure.creationDisabled.body'));
const relayFailing = () => words(t('failure.relayFailing.title'), t('failure.relayFailing.body'));

function invalidRequest(message: string | undefined, options: boolean): FailureWords {
  const body =
    message !== undefined
      ? options
        ? t('failure.invalid.bodyOptions', { message })
        : t('failure.invalid.body', { message })
      : options
        ? t('failure.invalid.unknownOptions')
        : t('failure.invalid.unknown');
  return { ...words(t('failure.invalid.title'), body), ...(options ? { openOptions: true } : {}) };
}

const API_WORDS: Partial<Record<ErrorCode, (e: RelayError, options: boolean) => FailureWords>> = {
  rate_limited: (e) => rateLimited(e.retryAfter),
  payload_too_large: (e) => tooLarge(sizeLimit(e.body?.message)),
  storage_full: () => words(t('failure.storageFull.title'), t('failure.storageFull.body')),
  creation_disabled: creationDisabled,
  // The relay's own message is for developers and stays English; it is quoted, not translated.
  invalid_request: (e, options) => invalidRequest(e.body?.message, options),
  internal: relayFailing,
  // 503 from a relay whose database does not answer (a create, a receipt or a revoke): the relay itself is up and reconnects on its own.
  storage_unavailable: () => words(t('failure.storageUnavailable.title'), t('failure.storageUnavailable.body')),
  // 403: PROTOCOL.md "Proof of work". createLink already solved a challenge and retried once; this is the second refusal.
  proof_of_work_required: () => words(t('failure.proofOfWork.title'), t('failure.proofOfWork.body')),
};

/** Words for a failure of the relay or of a create, or null when `error` is neither (the host's own, or a bug). */
export function describeRelayFailure(error: unknown, host: FailureHost = {}): FailureWords | null {
  const options = Boolean(host.settings);
  const settings = options ? { openOptions: true } : {};
  if (error instanceof CreateRefusedError) {
    switch (error.reason) {
      case 'too_large':
        return tooLarge(error.limitBytes ?? null);
      case 'creation_disabled':
        return creationDisabled();
      case 'empty':
        return words(t('failure.empty.title'), t('failure.empty.body'));
      case 'ttl':
        return {
          ...words(t('failure.notAllowed.title'), options ? t('failure.notAllowed.ttlOptions') : t('failure.notAllowed.ttl')),
          ...settings,
        };
      case 'views':
        return {
          ...words(t('failure.notAllowed.title'), options ? t('failure.notAllowed.viewsOptions') : t('failure.notAllowed.views')),
          ...settings,
        };
    }
  }
  // The relay's challenge was not solved (unknown algorithm, over the client's work bound, cancelled): nothing was sent.
  if (error instanceof ProofOfWorkError) return words(t('failure.proofOfWorkUnsolvable.title'), t('failure.proofOfWorkUnsolvable.body'));
  if (!(error instanceof RelayError)) return null;
  if (error.kind === 'unreachable') {
    if (host.online === false) return words(t('failure.offline.title'), t('failure.offline.body'));
    return {
      ...words(t('failure.unreachable.title'), options ? t('failure.unreachable.bodyOptions') : t('failure.unreachable.body')),
      ...settings,
    };
  }
  if (error.kind === 'bad_response') {
    return {
      ...words(t('failure.badResponse.title'), options ? t('failure.badResponse.bodyOptions') : t('failure.badResponse.body')),
      ...settings,
    };
  }
  const known = error.body ? API_WORDS[error.body.error] : undefined;
  if (known) return known(error, options);
  if (error.status === 413) return tooLarge(null);
  if (error.status === 429) return rateLimited(error.retryAfter);
  if (error.status !== undefined && error.status >= 500) return relayFailing();
  return words(
    t('failure.refused.title'),
    error.body?.message ??
      (error.status !== undefined ? t('failure.refused.status', { status: String(error.status) }) : t('failure.refused.unknown')),
  );
}
