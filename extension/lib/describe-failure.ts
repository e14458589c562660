// The extension's words for a failure: its own (a missing permission, the
// clipboard, nothing to share, a bad relay address) here; everything the relay
// or a create can answer comes from the words every host shares
// (@psst/composer-ui/failure-words), pointing to the options page.
import { RelayUrlError } from '@psst/client/relay-url';
import { describeRelayFailure, type FailureWords } from '@psst/composer-ui/failure-words';
import { t } from '@psst/i18n';
import { ClipboardError, NoHostPermissionError, NothingToShareError } from './errors';

export type { FailureWords } from '@psst/composer-ui/failure-words';

export function describeFailure(error: unknown): FailureWords {
  if (error instanceof NoHostPermissionError) {
    return {
      title: t('shareFailure.noPermissionTitle'),
      message: t('shareFailure.noPermissionMessage', { relayUrl: error.relayUrl }),
      openOptions: true,
    };
  }
  if (error instanceof RelayUrlError) {
    const problem = {
      invalid: 'shareFailure.badRelayUrl.invalid',
      scheme: 'shareFailure.badRelayUrl.scheme',
      insecure: 'shareFailure.badRelayUrl.insecure',
      credentials: 'shareFailure.badRelayUrl.credentials',
      query: 'shareFailure.badRelayUrl.query',
    } as const;
    return { title: t('shareFailure.badRelayUrlTitle'), message: t(problem[error.reason]), openOptions: true };
  }
  if (error instanceof NothingToShareError) {
    const what = {
      selection: 'shareFailure.nothing.selection',
      clipboard: 'shareFailure.nothing.clipboard',
      composer: 'shareFailure.nothing.composer',
    } as const;
    return { title: t('shareFailure.nothingTitle'), message: t(what[error.source]) };
  }
  if (error instanceof ClipboardError) {
    return error.operation === 'read'
      ? { title: t('shareFailure.clipboardReadTitle'), message: t('shareFailure.clipboardReadMessage') }
      : { title: t('shareFailure.clipboardWriteTitle'), message: t('shareFailure.clipboardWriteMessage') };
  }
  const online = typeof navigator === 'undefined' ? undefined : navigator.onLine;
  return (
    describeRelayFailure(error, { settings: true, ...(online === undefined ? {} : { online }) }) ?? {
      title: t('shareFailure.unknownTitle'),
      message: t('shareFailure.unknownMessage'),
    }
  );
}
