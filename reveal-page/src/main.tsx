// Entry point: mounts the shared reveal UI with this page's own address and
// the real browser environment, in the reader's language (see language.ts).
import { t } from '@psst/i18n';
import { App } from '@psst/reveal-ui/app';
import { tabStorage, withoutFragment } from '@psst/reveal-ui/secret-link';
import { render } from 'preact';
import '@psst/reveal-ui/style.css';
import { startLanguage } from './language';

// Pasting the link into a tab that already shows this page (after a reveal
// the address is /s/{id} without the key) changes only the fragment: start over.
addEventListener('hashchange', () => location.reload());

const root = document.getElementById('app');
if (root) {
  const onLanguage = await startLanguage(__PSST_REVEAL_CATALOGUES__, () => t('page.title'));
  render(
    <App
      env={{
        href: location.href,
        fetch: (input, init) => fetch(input, init),
        forgetKey: () => history.replaceState(history.state, '', withoutFragment(location.href)),
        storage: tabStorage(),
        clipboard: navigator.clipboard,
        onLanguage,
      }}
    />,
    root,
  );
}
