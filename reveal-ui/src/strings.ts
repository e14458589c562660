// Every word of the reveal page by name, in the active language, for tests and
// for hosts that need one (the extension's reveal host): each reads the
// catalogue (i18n/locales/<lang>/reveal.json) when it is used. The page itself
// takes its words from words.ts, so its bundle does not carry this module.

import { formatBytes, formatRelative, t } from '@psst/i18n';
import { MAX_PASSPHRASE_ATTEMPTS } from '@psst/protocol/limits';
import { derivingWords, expiresWords, GONE_TITLES, type GoneReasonKey, goneBody, rateLimitedBody, wrongPassphraseWords } from './words.js';

export { type GoneReasonKey, messageFor, statusFor, type Tone } from './words.js';

export const strings = {
  brand: 'psst',
  get tagline() {
    return t('tagline');
  },
  looking: {
    get title() {
      return t('looking.title');
    },
    get status() {
      return t('looking.status');
    },
  },
  waiting: {
    get title() {
      return t('waiting.title');
    },
    views: (n: number) => t('waiting.views', { count: n }),
    expires: expiresWords,
    get notConsumed() {
      return t('waiting.notConsumed');
    },
    get passphraseNeeded() {
      return t('waiting.passphraseNeeded');
    },
    get passphraseLabel() {
      return t('waiting.passphraseLabel');
    },
    get passphraseHint() {
      return t('waiting.passphraseHint', { count: MAX_PASSPHRASE_ATTEMPTS });
    },
    get passphraseEmpty() {
      return t('waiting.passphraseEmpty');
    },
    wrongPassphrase: wrongPassphraseWords,
    get reveal() {
      return t('waiting.reveal');
    },
    deriving: derivingWords,
    get derivingStatus() {
      return t('waiting.derivingStatus');
    },
    get revealing() {
      return t('waiting.revealing');
    },
    status: (n: number, passphrase: boolean) =>
      passphrase ? t('waiting.statusPassphrase', { count: n }) : t('waiting.status', { count: n }),
  },
  revealed: {
    get titleText() {
      return t('revealed.titleText');
    },
    get titleFile() {
      return t('revealed.titleFile');
    },
    get copy() {
      return t('revealed.copy');
    },
    get copied() {
      return t('revealed.copied');
    },
    get copiedStatus() {
      return t('revealed.copiedStatus');
    },
    get copyFailed() {
      return t('revealed.copyFailed');
    },
    download: (name: string) => t('revealed.download', { name }),
    fileInfo: (size: number, mime: string) => t('revealed.fileInfo', { size: formatBytes(size), mime }),
    get destroyed() {
      return t('revealed.destroyed');
    },
    viewsLeft: (n: number) => t('revealed.viewsLeft', { count: n }),
    get status() {
      return t('revealed.status');
    },
    get empty() {
      return t('revealed.empty');
    },
  },
  gone: Object.fromEntries(
    (Object.keys(GONE_TITLES) as GoneReasonKey[]).map((reason) => [
      reason,
      {
        get title() {
          return t(GONE_TITLES[reason]);
        },
        body: (at?: Date) => goneBody(reason, at),
      },
    ]),
  ) as Record<GoneReasonKey, { readonly title: string; body(at?: Date): string }>,
  notFound: titled(
    () => t('notFound.title'),
    () => t('notFound.body'),
  ),
  incomplete: titled(
    () => t('incomplete.title'),
    () => t('incomplete.body'),
  ),
  notALink: titled(
    () => t('notALink.title'),
    () => t('notALink.body'),
  ),
  revealedHere: {
    get title() {
      return t('revealedHere.title');
    },
    body: (at: Date) => t('revealedHere.body', { relative: formatRelative(at) }),
  },
  rateLimited: {
    get title() {
      return t('rateLimited.title');
    },
    body: rateLimitedBody,
  },
  unreachable: titled(
    () => t('unreachable.title'),
    () => t('unreachable.body'),
  ),
  serverError: titled(
    () => t('serverError.title'),
    () => t('serverError.body'),
  ),
  decryptFailed: titled(
    () => t('decryptFailed.title'),
    () => t('decryptFailed.body'),
  ),
  get retry() {
    return t('retry');
  },
};

function titled(title: () => string, body: () => string): { readonly title: string; readonly body: string } {
  return {
    get title() {
      return title();
    },
    get body() {
      return body();
    },
  };
}
