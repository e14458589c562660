// The extension's reveal page: the same UI as the static reveal page
// (@psst/reveal-ui), run from the extension's own code. The link arrives as
// `reveal.html?link={relay}/s/{id}#{k}` (redirect rule, context menu, popup).

import { t } from '@psst/i18n';
import { tabStorage } from '@psst/reveal-ui/secret-link';
import { render } from 'preact';
import { browser } from 'wxt/browser';
import '@psst/reveal-ui/style.css';
import { RevealHost } from '../../components/RevealHost';
import { installBrowserLanguage } from '../../lib/language';
import { linkFromRevealPage } from '../../lib/reveal-links';

installBrowserLanguage(browser.i18n, document);
document.title = t('page.title');

// A new link pasted over this one changes only the fragment: start over.
addEventListener('hashchange', () => location.reload());

render(
  <RevealHost
    href={linkFromRevealPage(location.search, location.hash)}
    permissions={browser.permissions}
    env={{
      fetch: (input, init) => fetch(input, init),
      // The link stays in the query (without its key), so a reload can say "already revealed here".
      forgetKey: () => history.replaceState(history.state, '', location.pathname + location.search),
      storage: tabStorage(),
      clipboard: navigator.clipboard,
    }}
  />,
  document.getElementById('app')!,
);
