// Wires the browser's APIs into lib/background.ts. Chrome's service worker has
// no clipboard, so it goes through the offscreen document; Firefox's
// background page has navigator.clipboard.
import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { createBackground } from '../lib/background';
import { type ClipboardAccess, navigatorClipboard, type OffscreenApis, offscreenClipboard } from '../lib/clipboard';
import { installBrowserLanguage } from '../lib/language';
import { type DnrApi, startChromeRedirects, startFirefoxRedirects, type WebRequestApi } from '../lib/redirect';
import { REVEAL_PAGE_PATH } from '../lib/reveal-links';
import { openLinksInExtensionSetting } from '../lib/settings';

export default defineBackground(() => {
  // Before the menus are built: their titles and every notification use it.
  installBrowserLanguage(browser.i18n);
  const clipboard: ClipboardAccess = import.meta.env.FIREFOX
    ? navigatorClipboard(navigator.clipboard)
    : offscreenClipboard(browser as unknown as OffscreenApis);
  const background = createBackground(browser, {
    clipboard,
    fetch: (input, init) => fetch(input, init),
    actionContext: import.meta.env.MANIFEST_VERSION === 3 ? 'action' : 'browser_action',
    supportsNotificationButtons: !import.meta.env.FIREFOX,
  });
  background.start();
  // Links of granted relays open in the extension's reveal page, before the relay sees a request.
  const revealPage = browser.runtime.getURL(REVEAL_PAGE_PATH as '/reveal.html');
  if (import.meta.env.MANIFEST_VERSION === 3) {
    const dnr = (browser as unknown as { declarativeNetRequest: DnrApi }).declarativeNetRequest;
    void startChromeRedirects({ dnr, permissions: browser.permissions, revealPage }, openLinksInExtensionSetting).sync();
  } else {
    const webRequest = (browser as unknown as { webRequest: WebRequestApi }).webRequest;
    startFirefoxRedirects({ webRequest, permissions: browser.permissions, revealPage }, openLinksInExtensionSetting);
  }
  // The same handlers the listeners call, reachable from the service worker's
  // console and the end-to-end tests. Only extension code can see this global.
  Object.assign(globalThis, {
    psst: { onMenuClick: background.onMenuClick, shareClipboard: background.shareClipboard, onAlarm: background.onAlarm, clipboard },
  });
});
