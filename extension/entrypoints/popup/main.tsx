// Mounts the popup with the real browser APIs.
import { render } from 'preact';
import { browser } from 'wxt/browser';
import { Popup } from '../../components/Popup';
import { createPopupServices } from '../../lib/popup-services';
import '../../components/theme.css';

const services = createPopupServices({
  fetch: (input, init) => fetch(input, init),
  clipboard: navigator.clipboard,
  permissions: browser.permissions,
  alarms: browser.alarms,
  openOptionsPage: () => browser.runtime.openOptionsPage(),
});

render(<Popup services={services} />, document.getElementById('app')!);
