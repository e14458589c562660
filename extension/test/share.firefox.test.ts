// The extension's share flows in Debian's Firefox ESR with the built
// firefox-mv2: a selection through the context-menu handler, the clipboard
// (the background page's navigator.clipboard), the popup (views, passphrase,
// label), receipts and revoke. The relay sits behind a front door that records
// every request; links are revealed in a second Firefox without the extension.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { t } from '@psst/i18n';
import { strings } from '@psst/reveal-ui/strings';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FirefoxSetup,
  type FirefoxWithExtension,
  firefoxTab,
  type LaunchedFirefox,
  launchFirefox,
  startFirefoxSetup,
} from '../../test-support/firefox';
import { type FrontDoor, startFrontDoor } from '../../test-support/front-door';
import type { RunningRelay } from '../../test-support/relay';
import { expectReceiptTurnsViewed, expectShareRefusals, type Outcome } from './share-support';

// Multi-line, indented, tabs, Unicode (combining marks, RTL, emoji, CJK).
const PAGE_TEXT = 'firefox selection marker-fsel-2b7d\n    indented by four\n\ttabbed\n  Ünïcødé: e\u0301 שלום 日本語 🔑\n\nlast line  ';
const CLIPBOARD_TEXT = `clipboard marker-fclip-81c3\n\twith a tab ${'x'.repeat(500)}`;
const POPUP_TEXT = 'popup secret marker-fpop-4e9a\n  with indentation';
const PASSPHRASE = 'ember-quartz 7 meadow';
const REVOKE_TEXT = 'revoke me marker-frev-06d2';
const SECRETS = [
  PAGE_TEXT,
  CLIPBOARD_TEXT,
  POPUP_TEXT,
  PASSPHRASE,
  REVOKE_TEXT,
  'marker-fsel',
  'marker-fclip',
  'marker-fpop',
  'marker-frev',
  'ember-quartz',
];

let setup: FirefoxSetup<FirefoxWithExtension>;
let relay: RunningRelay;
let door: FrontDoor;
let firefox: FirefoxWithExtension;
let recipient: LaunchedFirefox;
let pageServer: Server;
let pageOrigin: string;
/** Every link the extension made: their keys must never reach the relay. */
const links: string[] = [];

const tabIn = (launched: LaunchedFirefox, page: Page) =>
  firefoxTab(page, { downloadDir: launched.downloadDir, loading: strings.looking.title });

/** What the extension's background reads from the clipboard. */
const clipboard = () => firefox.background((bg) => bg.psst.clipboard.readText() as Promise<string>);

/** Opens the link in the recipient's Firefox (no extension) and reveals it: the text, or null and the heading shown instead. */
async function reveal(link: string, passphrase?: string): Promise<{ text: string | null; heading: string }> {
  const page = await recipient.newPage();
  await page.bringToFront();
  const tab = tabIn(recipient, page);
  try {
    await page.goto(link);
    const heading = await tab.settledHeading();
    if (heading !== strings.waiting.title) return { text: null, heading };
    if (passphrase !== undefined) await tab.fill('#passphrase', passphrase);
    await tab.click('form button[type="submit"]');
    return { text: await tab.text('.secret pre'), heading: '' };
  } finally {
    await tab.close();
  }
}

async function openPopup() {
  const page = await firefox.openExtensionPage('/popup.html');
  await page.setViewport({ width: 380, height: 720 });
  const popup = tabIn(firefox, page);
  await popup.text('#secret');
  return popup;
}

beforeAll(async () => {
  pageServer = createServer((_req, res) => {
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.end(`<!doctype html><meta charset="utf-8"><title>e2e</title><pre id="text">${PAGE_TEXT}</pre>`);
  });
  await new Promise<void>((resolve) => pageServer.listen(0, '127.0.0.1', resolve));
  pageOrigin = `http://127.0.0.1:${(pageServer.address() as AddressInfo).port}`;
  [setup, recipient] = await Promise.all([startFirefoxSetup({ extension: true }), launchFirefox()]);
  ({ relay, door, firefox } = setup);
  // The build's host permission http://127.0.0.1/* covers the door's port: only the address is set, as the options page would.
  await firefox.background((bg, relayUrl) => bg.browser.storage.local.set({ relayUrl }), door.origin);
});

afterAll(async () => {
  await recipient?.close();
  await new Promise((resolve) => pageServer?.close(resolve));
  await setup?.close();
});

describe('sharing from the extension in Firefox', () => {
  it('shares a selection exactly, through the context-menu handler, onto the clipboard', async () => {
    const page = await firefox.newPage();
    await page.bringToFront();
    await page.goto(`${pageOrigin}/`);
    await page.evaluate(() => {
      const range = document.createRange();
      range.selectNodeContents(document.getElementById('text') as HTMLElement);
      getSelection()?.removeAllRanges();
      getSelection()?.addRange(range);
    });
    // The same function the contextMenus.onClicked listener calls; selectionText (what the menu
    // passes, whitespace collapsed) is only the fallback: the text is read from the page itself.
    const outcome = await firefox.background(async (bg, url) => {
      // Not tabs.query({ url }): Firefox's match patterns take no port, so one with the page's port matches nothing.
      const tab = ((await bg.browser.tabs.query({})) as { url?: string }[]).find((t) => t.url?.startsWith(`${url}/`));
      return bg.psst.onMenuClick(
        { menuItemId: 'psst-share-selection', frameId: 0, selectionText: 'collapsed text' },
        tab,
      ) as Promise<Outcome>;
    }, pageOrigin);
    expect(outcome.ok, JSON.stringify(outcome)).toBe(true);
    const link = await clipboard();
    links.push(link);
    expect(link.startsWith(`${door.origin}/s/`)).toBe(true);
    await page.close();
    expect((await reveal(link)).text).toBe(PAGE_TEXT);
  });

  it('shares the clipboard, read by the background page, and puts the link in its place', async () => {
    const outcome = await firefox.background(async (bg, text) => {
      await bg.psst.clipboard.writeText(text);
      return bg.psst.shareClipboard() as Promise<Outcome>;
    }, CLIPBOARD_TEXT);
    expect(outcome.ok, JSON.stringify(outcome)).toBe(true);
    const link = await clipboard();
    links.push(link);
    expect(link.startsWith(`${door.origin}/s/`)).toBe(true);
    expect((await reveal(link)).text).toBe(CLIPBOARD_TEXT);
  });

  let popupLink = '';
  it('creates a two-view link with a passphrase and a label in the popup, copied; the third open shows it was viewed', async () => {
    const popup = await openPopup();
    await popup.fill('#secret', POPUP_TEXT);
    await popup.fill('#views', '2');
    await popup.fill('#passphrase', PASSPHRASE);
    await popup.fill('#label', 'firefox popup');
    await popup.click('form button[type="submit"]');
    popupLink = await pollValue(popup.page, '#link');
    links.push(popupLink);
    expect(popupLink.startsWith(`${door.origin}/s/`)).toBe(true);
    await expect.poll(clipboard).toBe(popupLink);
    await popup.close();

    expect(await reveal(popupLink, PASSPHRASE)).toEqual({ text: POPUP_TEXT, heading: '' });
    expect(await reveal(popupLink, PASSPHRASE)).toEqual({ text: POPUP_TEXT, heading: '' });
    expect(await reveal(popupLink, PASSPHRASE)).toEqual({ text: null, heading: strings.gone.read.title });
  });

  it('turns the history entry to viewed when the receipt alarm runs, and the popup shows it', async () => {
    const id = await expectReceiptTurnsViewed(firefox.background, popupLink);
    const popup = await openPopup();
    await popup.text(`li[data-id="${id}"].state-viewed`);
    await popup.close();
  });

  it('revokes a link from the popup (Ctrl+Enter to create), and the link then shows deleted', async () => {
    const popup = await openPopup();
    await popup.fill('#secret', REVOKE_TEXT);
    await popup.page.keyboard.down('Control');
    await popup.press('Enter');
    await popup.page.keyboard.up('Control');
    const link = await pollValue(popup.page, '#link');
    links.push(link);
    const id = new URL(link).pathname.split('/').at(-1) as string;
    await popup.click(`li[data-id="${id}"] button.danger`);
    await popup.text(`li[data-id="${id}"].state-deleted`);
    await popup.close();
    expect(await reveal(link)).toEqual({ text: null, heading: strings.gone.deleted.title });
  });

  it('explains every refusal in the catalogue’s words: creation disabled, too large, unreachable, no permission', async () => {
    await expectShareRefusals({
      relayOrigin: relay.origin,
      shareOn: (relayUrl) =>
        firefox.background(
          async (bg, { relayUrl, text }) => {
            await bg.browser.storage.local.set({ relayUrl });
            await bg.psst.clipboard.writeText(text);
            // The ids the background asks Firefox to show (getAll() only lists those the desktop still shows,
            // and a headless one without a notification daemon may drop them at once).
            const shown: string[] = [];
            const notifications = bg.browser.notifications;
            const create = notifications.create;
            notifications.create = (id: string, options: unknown) => {
              shown.push(id);
              return create.call(notifications, id, options);
            };
            try {
              const outcome = (await bg.psst.shareClipboard()) as Outcome;
              return { outcome, notifications: shown };
            } finally {
              notifications.create = create;
            }
          },
          { relayUrl, text: CLIPBOARD_TEXT },
        ),
      // The built extension's words come from its _locales through Firefox's browser.i18n.
      titles: {
        creationDisabled: t('failure.creationDisabled.title'),
        tooLarge: t('failure.tooLarge.title'),
        unreachable: t('failure.unreachable.title'),
        noPermission: t('shareFailure.noPermissionTitle'),
      },
      restore: () => firefox.background((bg, relayUrl) => bg.browser.storage.local.set({ relayUrl }), door.origin),
    });
  });

  it('checks the relay from the options page against /healthz and saves it', async () => {
    const options = tabIn(firefox, await firefox.openExtensionPage('/options.html'));
    await expect.poll(() => options.evaluate(() => (document.getElementById('relay') as HTMLInputElement | null)?.value)).toBe(door.origin);
    await options.fill('#relay', `${door.origin}/`);
    await options.click('form button[type="submit"]');
    await options.text('form p.ok[role="status"]');
    expect(await firefox.background(async (bg) => (await bg.browser.storage.local.get('relayUrl')).relayUrl)).toBe(door.origin);
    await options.close();
  });

  it('moves to a relay psst does not hold from the options page: asks for that host on the click, saves it, and shares go there', async () => {
    const local = await startFrontDoor(relay.origin, 'localhost');
    try {
      expect(await firefox.background((bg) => bg.browser.permissions.contains({ origins: ['http://localhost/*'] }))).toBe(false);
      const options = tabIn(firefox, await firefox.openExtensionPage('/options.html'));
      await options.fill('#relay', local.origin);
      await options.click('form button[type="submit"]'); // a user's click: Firefox lets permissions.request() ask only from one
      await options.text('form p.ok[role="status"]');
      await options.close();
      expect(await firefox.background((bg) => bg.browser.permissions.contains({ origins: ['http://localhost/*'] }))).toBe(true);
      expect(local.log).toContain('GET /healthz');
      const outcome = await firefox.background(async (bg, text) => {
        await bg.psst.clipboard.writeText(text);
        return bg.psst.shareClipboard() as Promise<Outcome>;
      }, 'to the new relay');
      expect(outcome.ok, JSON.stringify(outcome)).toBe(true);
      const link = await clipboard();
      expect(link.startsWith(`${local.origin}/s/`)).toBe(true);
      expect(local.requests.some((r) => r.url === '/api/secrets' && !r.body.includes('to the new relay'))).toBe(true);
      expect((await reveal(link)).text).toBe('to the new relay');
    } finally {
      await firefox.background((bg, relayUrl) => bg.browser.storage.local.set({ relayUrl }), door.origin);
      await local.close();
    }
  });

  it('sent the relay no key, passphrase or plaintext, in any address, header or body', () => {
    expect(links).toHaveLength(4);
    const keys = links.map((link) => link.split('#')[1] as string);
    const fromExtension = door.requests.filter((r) => r.method === 'POST' && r.url === '/api/secrets');
    expect(fromExtension.length).toBe(4);
    expect(door.requests.some((r) => r.url.endsWith('/receipt'))).toBe(true);
    for (const r of door.requests) {
      const headers = JSON.stringify(r.headers);
      for (const secret of [...keys, ...SECRETS]) {
        for (const form of new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)])) {
          expect(r.url).not.toContain(form);
          expect(r.body).not.toContain(form);
          expect(headers).not.toContain(form);
        }
      }
    }
  });
});

/** The value of an input once it has one. */
async function pollValue(page: Page, selector: string): Promise<string> {
  await page.waitForSelector(selector, { timeout: 60_000 });
  return page.$eval(selector, (e) => (e as HTMLInputElement).value);
}
