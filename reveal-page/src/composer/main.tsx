// Entry point of the web composer (/ and /new): mounts it with the real
// browser environment. Nothing here is loaded by the reveal page.
import { t } from '@psst/i18n';
import { render } from 'preact';
import { startLanguage } from '../language';
import { ComposerPage } from './ComposerPage';
import '@psst/reveal-ui/style.css';
import './composer.css';

function localStorageOrNothing(): Storage | undefined {
  try {
    return localStorage;
  } catch {
    return undefined;
  }
}

const root = document.getElementById('app');
if (root) {
  const onLanguage = await startLanguage(__PSST_COMPOSER_CATALOGUES__, () => t('webComposer.pageTitle'));
  render(
    <ComposerPage
      env={{
        origin: location.origin,
        fetch: (input, init) => fetch(input, init),
        storage: localStorageOrNothing(),
        clipboard: navigator.clipboard,
        online: () => navigator.onLine,
        now: () => new Date(),
        onLanguage,
      }}
    />,
    root,
  );
}
