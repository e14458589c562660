// Mounts the options page with the real browser APIs.
import { loadRelayConfig } from '@psst/client/relay-client';
import { normaliseRelayUrl } from '@psst/client/relay-url';
import { t } from '@psst/i18n';
import { render } from 'preact';
import { browser } from 'wxt/browser';
import { Options, type OptionsServices } from '../../components/Options';
import { installBrowserLanguage } from '../../lib/language';
import { setUpRelay } from '../../lib/relay-setup';
import {
  autoCopySetting,
  defaultTtlSetting,
  defaultViewsSetting,
  loadSettings,
  openLinksInExtensionSetting,
  receiptNotificationsSetting,
  relayUrlSetting,
} from '../../lib/settings';
import '../../components/theme.css';

installBrowserLanguage(browser.i18n, document);
document.title = t('options.title');

const services: OptionsServices = {
  settings: loadSettings,
  setUpRelay: (input) =>
    setUpRelay(input, {
      permissions: browser.permissions,
      fetch: (i, init) => fetch(i, init),
      save: (url) => relayUrlSetting.setValue(url),
    }),
  save: async (key, value) => {
    if (key === 'autoCopy') await autoCopySetting.setValue(Boolean(value));
    else if (key === 'receiptNotifications') await receiptNotificationsSetting.setValue(Boolean(value));
    else if (key === 'openLinksInExtension') await openLinksInExtensionSetting.setValue(Boolean(value));
    else if (key === 'defaultTtl') await defaultTtlSetting.setValue(Number(value));
    else await defaultViewsSetting.setValue(Number(value));
  },
  relayConfig: async () => loadRelayConfig((i, init) => fetch(i, init), normaliseRelayUrl(await relayUrlSetting.getValue())),
};

render(<Options services={services} />, document.getElementById('app')!);
