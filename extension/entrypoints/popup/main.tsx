// Mounts the popup with the real browser APIs.
import { render } from 'preact';
import { browser } from 'wxt/browser';
import { Popup } from '../../components/Popup';
import { installBrowserLanguage } from '../../lib/language';
import { openLink } from '../../lib/open-link';
import { createPopupServices } from '../../lib/popup-services';
import { REVEAL_PAGE_PATH } from '../../lib/reveal-links';
import '../../components/theme.css';

installBrowserLanguage(browser.i18n, document);

const services = createPopupServices({
  fetch: (input, init) => fetch(input, init),
  clipboard: navigator.clipboard,
  permissions: browser.permissions,
  alarms: browser.alarms,
  openOptionsPage: () => browser.runtime.openOptionsPage(),
});

// "Open a link": the extension's reveal page in a new tab, then the popup closes.
const open = (link: string) =>
  openLink(link, {
    permissions: browser.permissions,
    revealPage: browser.runtime.getURL(REVEAL_PAGE_PATH as '/reveal.html'),
    openTab: async (url) => {
      await browser.tabs.create({ url });
      window.close();
    },
  });

render(<Popup services={services} openLink={open} />, document.getElementById('app')!);
