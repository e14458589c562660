// Every word the reveal page shows or announces, in one place, including the
// one mapping from API error codes and gone reasons to words for people.

import type { View } from '@psst/client/reveal-flow';
import { MAX_PASSPHRASE_ATTEMPTS } from '@psst/protocol/limits';

export type GoneReasonKey = 'read' | 'expired' | 'deleted' | 'burned';

const plural = (n: number, one: string, many: string): string => (n === 1 ? one : many);

/** "in 3 hours", "in 2 days"; under a minute is "in less than a minute". */
export function formatRelative(target: Date, now: Date = new Date()): string {
  const seconds = Math.round((target.getTime() - now.getTime()) / 1000);
  const sign = Math.sign(seconds);
  const minutes = Math.round(Math.abs(seconds) / 60);
  const hours = Math.round(Math.abs(seconds) / 3600);
  if (Math.abs(seconds) < 60) return target < now ? 'less than a minute ago' : 'in less than a minute';
  const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  // Rounded before choosing the unit, so 59.7 minutes reads "in 1 hour", not "in 60 minutes".
  if (minutes < 60) return rtf.format(sign * minutes, 'minute');
  if (hours < 24) return rtf.format(sign * hours, 'hour');
  return rtf.format(sign * Math.round(Math.abs(seconds) / 86_400), 'day');
}

/** A calendar date and time in the reader's locale and time zone. */
export function formatDate(date: Date): string {
  return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} ${plural(bytes, 'byte', 'bytes')}`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

const COPY_AGAIN = 'Copy the whole link from the message you received and open it again.';
const RETRY_TELLS = 'If you had pressed Reveal, trying again shows whether the secret was opened.';
const SEND_AGAIN = 'Ask the sender to send it again.';
/** "3 hours ago (26 Nov 2026, 07:00) ", or nothing when the time is unknown. */
const when = (at?: Date): string => (at ? `${formatRelative(at)} (${formatDate(at)}) ` : '');

export const strings = {
  brand: 'psst',
  tagline: 'End-to-end encrypted: the key never leaves your browser.',

  looking: {
    title: 'Opening the link…',
    status: 'Checking the link with the server.',
  },

  waiting: {
    title: 'Someone sent you a secret',
    views: (n: number) =>
      n === 1 ? 'It can be viewed once, then it is destroyed.' : `It can be viewed ${n} more times, then it is destroyed.`,
    expires: (at: Date) => `It expires ${formatRelative(at)} (${formatDate(at)}).`,
    notConsumed: 'Nothing has been opened yet: reveal it when you are ready.',
    passphraseNeeded: 'It is protected by a passphrase; the sender can tell you what it is.',
    passphraseLabel: 'Passphrase',
    passphraseHint: `After ${MAX_PASSPHRASE_ATTEMPTS} wrong passphrases the secret is destroyed.`,
    passphraseEmpty: 'Enter the passphrase first.',
    wrongPassphrase: (attemptsLeft: number) => `Wrong passphrase. ${attemptsLeft} ${plural(attemptsLeft, 'attempt', 'attempts')} left.`,
    reveal: 'Reveal secret',
    deriving: (percent: number) => `Checking the passphrase… ${percent}%`,
    derivingStatus: 'Checking the passphrase.',
    revealing: 'Decrypting…',
    status: (n: number, passphrase: boolean) =>
      `A secret is waiting. It can be viewed ${n === 1 ? 'once' : `${n} times`}.${passphrase ? ' It needs a passphrase.' : ''}`,
  },

  revealed: {
    titleText: 'Your secret',
    titleFile: 'Your file',
    copy: 'Copy',
    copied: 'Copied',
    copiedStatus: 'Copied to the clipboard.',
    copyFailed: 'Could not copy. Select the text and copy it by hand.',
    download: (name: string) => `Download ${name}`,
    fileInfo: (size: number, mime: string) => `${formatBytes(size)}, ${mime}`,
    destroyed: 'It is now destroyed on the server: this link will not open it again. Keep it somewhere safe if you need it.',
    viewsLeft: (n: number) => `This link can be opened ${n} more ${plural(n, 'time', 'times')}.`,
    status: 'The secret is revealed.',
    empty: '(The secret is empty.)',
  },

  gone: {
    read: {
      title: 'This secret was already viewed',
      body: (at?: Date) =>
        `It was opened ${when(at)}and then destroyed. If that was not you, tell the sender: someone else may have seen it.`,
    },
    expired: {
      title: 'This secret has expired',
      body: (at?: Date) => `It expired ${when(at)}unopened and was destroyed. ${SEND_AGAIN}`,
    },
    deleted: {
      title: 'The sender deleted this secret',
      body: (at?: Date) => `It was deleted ${when(at)}before anyone opened it. Ask the sender if you still need it.`,
    },
    burned: {
      title: 'This secret was destroyed',
      body: (_at?: Date) => `After ${MAX_PASSPHRASE_ATTEMPTS} wrong passphrases it was destroyed to protect it. ${SEND_AGAIN}`,
    },
  } satisfies Record<GoneReasonKey, { title: string; body: (at?: Date) => string }>,

  notFound: {
    title: 'Secret not found',
    body: 'Nothing is stored for this link: it was removed a while ago, or the link is not complete (check the part after #).',
  },

  incomplete: {
    title: 'This link is incomplete',
    body: `The key (the part after #) is missing or damaged, so the secret cannot be opened. ${COPY_AGAIN}`,
  },

  notALink: {
    title: 'This is not a secret link',
    body: `This address is not a psst link. ${COPY_AGAIN}`,
  },

  revealedHere: {
    title: 'You already revealed this secret here',
    body: (at: Date) => `You revealed it in this tab ${formatRelative(at)}; then its key was removed from the address bar.`,
  },

  rateLimited: {
    title: 'Too many requests',
    body: (seconds: number) => {
      const minutes = Math.ceil(seconds / 60);
      const wait =
        seconds < 60 ? `${seconds} ${plural(seconds, 'second', 'seconds')}` : `about ${minutes} ${plural(minutes, 'minute', 'minutes')}`;
      return `The server is busy. Please wait ${wait} and try again. Nothing was opened.`;
    },
  },

  unreachable: {
    title: 'The server cannot be reached',
    body: `Check your connection and try again. ${RETRY_TELLS}`,
  },

  serverError: {
    title: 'Something went wrong on the server',
    body: `The server could not answer properly. Try again in a moment. ${RETRY_TELLS}`,
  },

  decryptFailed: {
    title: 'The secret could not be decrypted',
    body: `The link or the stored data is damaged, so the secret cannot be read. ${SEND_AGAIN}`,
  },

  retry: 'Try again',
} as const;

export type Tone = 'info' | 'warn' | 'error';

/** The words for every state that is neither "waiting" nor "revealed": the one place API problems become words. */
export function messageFor(view: Exclude<View, { kind: 'waiting' | 'revealed' }>): {
  title: string;
  body: string;
  tone: Tone;
  retry: boolean;
} {
  switch (view.kind) {
    case 'looking':
      return { title: strings.looking.title, body: '', tone: 'info', retry: false };
    case 'invalid':
      if (view.revealedAt)
        return { title: strings.revealedHere.title, body: strings.revealedHere.body(view.revealedAt), tone: 'info', retry: false };
      return view.problem === 'incomplete'
        ? { title: strings.incomplete.title, body: strings.incomplete.body, tone: 'warn', retry: false }
        : { title: strings.notALink.title, body: strings.notALink.body, tone: 'warn', retry: false };
    case 'gone': {
      const words = strings.gone[view.reason];
      return {
        title: words.title,
        body: words.body(view.at ? new Date(view.at) : undefined),
        tone: view.reason === 'burned' ? 'error' : 'info',
        retry: false,
      };
    }
    case 'not_found':
      return { title: strings.notFound.title, body: strings.notFound.body, tone: 'warn', retry: false };
    case 'rate_limited':
      return { title: strings.rateLimited.title, body: strings.rateLimited.body(view.retryAfter), tone: 'warn', retry: true };
    case 'unreachable':
      return { title: strings.unreachable.title, body: strings.unreachable.body, tone: 'error', retry: true };
    case 'server_error':
      return { title: strings.serverError.title, body: strings.serverError.body, tone: 'error', retry: true };
    case 'decrypt_failed':
      return { title: strings.decryptFailed.title, body: strings.decryptFailed.body, tone: 'error', retry: false };
  }
}

/** The sentence announced to screen readers (aria-live) for the current state. */
export function statusFor(view: View, busy: { phase: 'deriving' | 'revealing' } | null): string {
  if (busy) return busy.phase === 'deriving' ? strings.waiting.derivingStatus : strings.waiting.revealing;
  if (view.kind === 'looking') return strings.looking.status;
  if (view.kind === 'waiting') {
    // The inline error (role="alert") speaks for itself; saying it twice would be noise.
    if (view.attemptsLeft !== undefined) return '';
    return strings.waiting.status(view.look.viewsLeft, view.look.kdf !== null);
  }
  if (view.kind === 'revealed') return strings.revealed.status;
  return messageFor(view).title;
}

/** The words only the extension's reveal page adds (its own host note and the permission it may need). */
export const extensionStrings = {
  hostNote: 'Opened by the psst extension with its own code; the server’s page was not loaded.',
  permission: {
    title: (host: string) => `Allow psst to contact ${host}?`,
    body: (host: string) =>
      `This link is kept by ${host}. psst asks it for the secret only once you allow it to contact that host (and no other). Nothing is opened until you press Reveal.`,
    allow: (host: string) => `Allow ${host}`,
    refusedTitle: 'Permission not granted',
    refusedBody: (host: string) =>
      `psst cannot contact ${host} without your permission, so nothing was opened. You can allow it and try again.`,
  },
} as const;
