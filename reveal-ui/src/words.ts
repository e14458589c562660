// Which words the reveal page shows or announces for each state: the one
// mapping from API error codes and gone reasons to words for people. The words
// themselves are in the catalogues (i18n/locales/<lang>/reveal.json), looked up
// with t() in the language the host installed.

import type { View } from '@psst/client/reveal-flow';
import { formatDate, formatRelative, t } from '@psst/i18n';
import { MAX_PASSPHRASE_ATTEMPTS } from '@psst/protocol/limits';

export type GoneReasonKey = 'read' | 'expired' | 'deleted' | 'burned';
export type Tone = 'info' | 'warn' | 'error';

/** "It expires in 3 hours (26 Nov 2026, 13:00)." */
export const expiresWords = (at: Date): string => t('waiting.expires', { relative: formatRelative(at), date: formatDate(at) });

/** The error under the passphrase field after a wrong one. */
export const wrongPassphraseWords = (attemptsLeft: number): string => t('waiting.wrongPassphrase', { count: attemptsLeft });

export const derivingWords = (percent: number): string => t('waiting.deriving', { percent });

export function goneBody(reason: GoneReasonKey, at: Date | undefined): string {
  if (reason === 'burned') return t('gone.burned.body', { count: MAX_PASSPHRASE_ATTEMPTS });
  const when = at ? { relative: formatRelative(at), date: formatDate(at) } : null;
  if (reason === 'read') return when ? t('gone.read.bodyAt', when) : t('gone.read.body');
  if (reason === 'expired') return when ? t('gone.expired.bodyAt', when) : t('gone.expired.body');
  return when ? t('gone.deleted.bodyAt', when) : t('gone.deleted.body');
}

export const GONE_TITLES = {
  read: 'gone.read.title',
  expired: 'gone.expired.title',
  deleted: 'gone.deleted.title',
  burned: 'gone.burned.title',
} as const satisfies Record<GoneReasonKey, string>;

export function rateLimitedBody(seconds: number): string {
  return seconds < 60 ? t('rateLimited.bodySeconds', { count: seconds }) : t('rateLimited.bodyMinutes', { count: Math.ceil(seconds / 60) });
}

/** The words for every state that is neither "waiting" nor "revealed": the one place API problems become words. */
export function messageFor(view: Exclude<View, { kind: 'waiting' | 'revealed' }>): {
  title: string;
  body: string;
  tone: Tone;
  retry: boolean;
} {
  const message = (title: string, body: string, tone: Tone, retry = false) => ({ title, body, tone, retry });
  switch (view.kind) {
    case 'looking':
      return message(t('looking.title'), '', 'info');
    case 'invalid':
      if (view.revealedAt)
        return message(t('revealedHere.title'), t('revealedHere.body', { relative: formatRelative(view.revealedAt) }), 'info');
      return view.problem === 'incomplete'
        ? message(t('incomplete.title'), t('incomplete.body'), 'warn')
        : message(t('notALink.title'), t('notALink.body'), 'warn');
    case 'gone':
      return message(
        t(GONE_TITLES[view.reason]),
        goneBody(view.reason, view.at ? new Date(view.at) : undefined),
        view.reason === 'burned' ? 'error' : 'info',
      );
    case 'not_found':
      return message(t('notFound.title'), t('notFound.body'), 'warn');
    case 'rate_limited':
      return message(t('rateLimited.title'), rateLimitedBody(view.retryAfter), 'warn', true);
    case 'unreachable':
      return message(t('unreachable.title'), t('unreachable.body'), 'error', true);
    case 'server_error':
      return message(t('serverError.title'), t('serverError.body'), 'error', true);
    case 'decrypt_failed':
      return message(t('decryptFailed.title'), t('decryptFailed.body'), 'error');
  }
}

/** The sentence announced to screen readers (aria-live) for the current state. */
export function statusFor(view: View, busy: { phase: 'deriving' | 'revealing' } | null): string {
  if (busy) return busy.phase === 'deriving' ? t('waiting.derivingStatus') : t('waiting.revealing');
  if (view.kind === 'looking') return t('looking.status');
  if (view.kind === 'waiting') {
    // The inline error (role="alert") speaks for itself; saying it twice would be noise.
    if (view.attemptsLeft !== undefined) return '';
    const count = view.look.viewsLeft;
    return view.look.kdf !== null ? t('waiting.statusPassphrase', { count }) : t('waiting.status', { count });
  }
  if (view.kind === 'revealed') return t('revealed.status');
  return messageFor(view).title;
}
