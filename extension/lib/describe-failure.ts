// The extension's words for a failure: its own (a missing permission, the
// clipboard, nothing to share, a bad relay address) here; everything the relay
// or a create can answer comes from the words every host shares
// (@psst/composer-ui/failure-words), pointing to the options page.
import { RelayUrlError } from '@psst/client/relay-url';
import { describeRelayFailure, type FailureWords } from '@psst/composer-ui/failure-words';
import { ClipboardError, NoHostPermissionError, NothingToShareError } from './errors';

export type { FailureWords } from '@psst/composer-ui/failure-words';

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
    const what = {
      selection: 'Select some text first.',
      clipboard: 'The clipboard holds no text.',
      composer: 'Type the secret or choose a file first.',
    };
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
  const online = typeof navigator === 'undefined' ? undefined : navigator.onLine;
  return (
    describeRelayFailure(error, { settings: 'the options', ...(online === undefined ? {} : { online }) }) ?? {
      title: 'Something went wrong',
      message: 'psst could not create the link. Try again.',
    }
  );
}
