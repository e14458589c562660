// Launches Debian's Firefox ESR through puppeteer-core over WebDriver BiDi
// (playwright-core drives only its own patched Firefox), kept off the network,
// optionally with the extension's firefox-mv2 build installed as a temporary
// add-on under a fixed moz-extension host; startFirefoxSetup adds the relay
// serving the built reveal page behind a front door, as every Firefox suite
// starts. Recipe: ../shared/FIREFOX.md.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type EvaluateFunc, type Page } from 'puppeteer-core';
import { BUILDS, FIREFOX_EXTENSION_DIR, requireBuilds } from './builds.js';
import { type FrontDoor, startFrontDoor } from './front-door.js';
import { REVEAL_DIST, type RunningRelay, startRelay } from './relay.js';
import { type Poll, pollUntil, revealTabDriver, WAIT_MS } from './reveal-tab.js';

export const FIREFOX_PATH = process.env.PSST_FIREFOX ?? '/usr/bin/firefox-esr';
/** The extension's gecko id (extension/wxt.config.ts) and the moz-extension host the tests give it. */
export const GECKO_ID = 'psst@psst.invalid';
export const EXTENSION_UUID = '5f8a1c2e-3b4d-4e6f-8a9b-0c1d2e3f4a5b';
export const EXTENSION_ORIGIN = `moz-extension://${EXTENSION_UUID}`;

/** Every wait in a Firefox test is bounded by one of these. */
const LAUNCH_TIMEOUT_MS = 30_000;
const PROTOCOL_TIMEOUT_MS = 30_000;
const CLOSE_TIMEOUT_MS = 10_000;

const PREFS: Record<string, unknown> = {
  // With MOZ_DISABLE_NONLOCAL_CONNECTIONS (below), this keeps Firefox from resolving Mozilla's hosts.
  'services.settings.server': 'data:,#remote-settings-dummy/v1',
  'intl.accept_languages': 'en-US',
  'intl.locale.requested': 'en-US',
  // navigator.clipboard.readText() without the "Paste" prompt (a testing pref), to check what Copy wrote.
  'dom.events.testing.asyncClipboard': true,
  'browser.download.folderList': 2,
  'browser.download.useDownloadDir': true,
  'browser.download.always_ask_before_handling_new_types': false,
  'browser.download.alwaysOpenPanel': false,
};

export interface LaunchedFirefox {
  browser: Browser;
  /** Where downloads land (removed by close()). */
  downloadDir: string;
  /** A fresh tab with bounded default timeouts. */
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

export interface FirefoxWithExtension extends LaunchedFirefox {
  /**
   * Opens `moz-extension://…{path}` in a fresh tab, in front. Firefox sends no load event for
   * extension pages, so the navigation is not awaited: this polls until the tab holds the page.
   */
  openExtensionPage(path: string): Promise<Page>;
  /**
   * Runs `fn(backgroundWindow, arg)` in the extension's background page (through
   * runtime.getBackgroundPage() from an extension tab) and returns its JSON result.
   */
  background<T, A = undefined>(fn: (bg: BackgroundWindow, arg: A) => T | Promise<T>, arg?: A): Promise<T>;
}

/** The background page's window: the browser.* APIs and the `psst` handlers entrypoints/background.ts exposes. */
// biome-ignore lint/suspicious/noExplicitAny: the background's globals are reached untyped from the test
export type BackgroundWindow = { browser: any; psst: any };

const open = new Set<LaunchedFirefox>();
process.once('exit', () => {
  for (const f of open) f.browser.process()?.kill('SIGKILL');
});

export async function launchFirefox(options: { extensionDir?: string } = {}): Promise<LaunchedFirefox> {
  if (!existsSync(FIREFOX_PATH)) {
    throw new Error(`${FIREFOX_PATH} is missing: install Firefox ESR (bash scripts/setup.sh, or apt-get install firefox-esr)`);
  }
  const downloadDir = mkdtempSync(join(tmpdir(), 'psst-firefox-downloads-'));
  const browser = await puppeteer.launch({
    browser: 'firefox',
    protocol: 'webDriverBiDi',
    executablePath: FIREFOX_PATH,
    headless: true,
    // Lets a tab open moz-extension:// pages.
    args: ['--remote-allow-system-access'],
    env: { ...process.env, MOZ_DISABLE_NONLOCAL_CONNECTIONS: '1' },
    extraPrefsFirefox: {
      ...PREFS,
      'browser.download.dir': downloadDir,
      // Fixed before launch: otherwise the host is only written to prefs.js some 300 ms after install.
      ...(options.extensionDir
        ? {
            'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: EXTENSION_UUID }),
            // permissions.request() called from a user's input is granted without the doorhanger (which a
            // headless browser cannot click), as if Allow were clicked; a call outside user input still fails.
            'extensions.webextOptionalPermissionPrompts': false,
          }
        : {}),
    },
    timeout: LAUNCH_TIMEOUT_MS,
    protocolTimeout: PROTOCOL_TIMEOUT_MS,
  });
  const launched: LaunchedFirefox = {
    browser,
    downloadDir,
    async newPage() {
      const page = await browser.newPage();
      page.setDefaultTimeout(WAIT_MS);
      page.setDefaultNavigationTimeout(WAIT_MS);
      return page;
    },
    async close() {
      open.delete(launched);
      const closed = browser.close().catch(() => {});
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([closed, new Promise((resolve) => (timer = setTimeout(resolve, CLOSE_TIMEOUT_MS)))]);
      clearTimeout(timer);
      browser.process()?.kill('SIGKILL');
      rmSync(downloadDir, { recursive: true, force: true });
    },
  };
  open.add(launched);
  if (options.extensionDir) {
    try {
      await browser.installExtension(options.extensionDir);
    } catch (error) {
      await launched.close();
      throw error;
    }
  }
  return launched;
}

/** Firefox with the unpacked extension (`.output/firefox-mv2`) installed as a temporary add-on. */
export async function launchFirefoxWithExtension(extensionDir: string): Promise<FirefoxWithExtension> {
  const launched = await launchFirefox({ extensionDir });
  const openExtensionPage = async (path: string) => {
    const page = await launched.newPage();
    await page.bringToFront();
    const url = `${EXTENSION_ORIGIN}${path}`;
    void page.goto(url).catch(() => {});
    await pollPage(page, (u: string) => location.href === u && document.readyState !== 'loading', url, url);
    return page;
  };
  let control: Page | undefined;
  const background = async <T, A>(fn: (bg: BackgroundWindow, arg: A) => T | Promise<T>, arg?: A): Promise<T> => {
    if (!control) {
      // An extension page that does nothing on its own: the reveal page without a link.
      control = await openExtensionPage('/reveal.html');
      await pollPage(control, () => typeof browser !== 'undefined' && document.querySelector('h1') !== null, null, 'the control page');
    }
    const json = await control.evaluate(
      `(async () => { const bg = await browser.runtime.getBackgroundPage(); const r = await (${fn.toString()})(bg, ${JSON.stringify(arg ?? null)}); return JSON.stringify(r === undefined ? null : r); })()`,
    );
    return JSON.parse(json as string) as T;
  };
  return { ...launched, openExtensionPage, background };
}

/** What a Firefox suite starts with: the relay serving the built reveal page, a front door recording every request to it, and Firefox. */
export interface FirefoxSetup<F extends LaunchedFirefox> {
  relay: RunningRelay;
  /** The relay as http://127.0.0.1:PORT, logging every request before the relay sees it. */
  door: FrontDoor;
  firefox: F;
  /** Closes Firefox, the door and the relay. */
  close(): Promise<void>;
}

/**
 * Checks that the builds are there (naming the command that makes a missing one), starts the relay
 * serving reveal-page/dist behind a front door, and launches Firefox: with the firefox-mv2 build
 * installed for `{ extension: true }`. What is started is stopped again if a later step fails.
 */
export async function startFirefoxSetup(options: { extension: true }): Promise<FirefoxSetup<FirefoxWithExtension>>;
export async function startFirefoxSetup(options?: { extension?: false }): Promise<FirefoxSetup<LaunchedFirefox>>;
export async function startFirefoxSetup(options: { extension?: boolean } = {}): Promise<FirefoxSetup<LaunchedFirefox>> {
  requireBuilds(...(options.extension ? [BUILDS.firefoxExtension] : []), BUILDS.revealPage);
  const relay = await startRelay({ staticDir: REVEAL_DIST });
  let door: FrontDoor | undefined;
  try {
    door = await startFrontDoor(relay.origin);
    const firefox = options.extension ? await launchFirefoxWithExtension(FIREFOX_EXTENSION_DIR) : await launchFirefox();
    const opened = door;
    return {
      relay,
      door: opened,
      firefox,
      async close() {
        await firefox.close();
        await opened.close();
        await relay.stop();
      },
    };
  } catch (error) {
    await door?.close();
    await relay.stop();
    throw error;
  }
}

declare const browser: unknown;

/**
 * Evaluates `fn(arg)` in the tab every 50 ms until it returns something truthy, and returns that.
 * Not waitForFunction: Firefox's remote agent fails an evaluation that meets a navigation (the
 * redirect to an extension page, a reload) instead of retrying it, and requestAnimationFrame
 * stops in a tab that is not in front.
 */
export function pollPage<T, A>(page: Page, fn: (arg: A) => T, arg: A, what: string, timeoutMs = WAIT_MS): Promise<NonNullable<T>> {
  return pollUntil(
    () => page.evaluate(fn as EvaluateFunc<[A]>, arg) as Promise<T>,
    what,
    async () =>
      `the tab: ${await page
        .evaluate(() => `${location.href} (${document.readyState}): ${document.body?.textContent?.slice(0, 300) ?? '(no body)'}`)
        .catch((error: unknown) => `(unreadable: ${String(error)})`)}`,
    timeoutMs,
  );
}

/**
 * A tab driven by puppeteer with the reads and waits the browser suites share
 * (the RevealTab of reveal-page/test/reveal-cases.ts; the in-page waits are
 * reveal-tab.ts's, through pollPage). `loading` is the heading shown before the
 * page has looked the link up.
 */
export function firefoxTab(page: Page, options: { downloadDir: string; loading: string }) {
  const poll: Poll = (fn, arg, what) => pollPage(page, fn, arg, what);
  const present = (selector: string) => pollPage(page, (s: string) => document.querySelector(s) !== null, selector, selector);
  return {
    page,
    ...revealTabDriver(poll, options.loading),
    async click(selector: string): Promise<void> {
      await present(selector);
      const element = await page.waitForSelector(selector, { visible: true });
      await pollPage(
        page,
        (s: string) => !(document.querySelector(s) as HTMLButtonElement | null)?.disabled,
        selector,
        `${selector} enabled`,
      );
      await element?.click();
    },
    /** Focuses the field, selects what it holds and types over it, as a person would. */
    async fill(selector: string, value: string): Promise<void> {
      await present(selector);
      await page.waitForSelector(selector, { visible: true });
      await page.$eval(selector, (e) => {
        (e as HTMLInputElement).focus();
        (e as HTMLInputElement).select();
      });
      await page.keyboard.type(value);
    },
    async press(key: 'Enter' | 'Tab'): Promise<void> {
      await page.keyboard.press(key);
    },
    async text(selector: string): Promise<string> {
      await present(selector);
      return page.$eval(selector, (e) => e.textContent ?? '');
    },
    async attribute(selector: string, name: string): Promise<string | null> {
      await present(selector);
      return page.$eval(selector, (e, n) => e.getAttribute(n), name);
    },
    evaluate<T>(fn: () => T | Promise<T>): Promise<T> {
      return page.evaluate(fn) as Promise<T>;
    },
    async reload(): Promise<void> {
      // Not page.reload(): on an extension page Firefox never reports the load.
      await page.evaluate(() => location.reload()).catch(() => {});
    },
    /** Clicks the download link and waits for the browser to have saved a new file. */
    async download(selector: string): Promise<{ name: string; bytes: Uint8Array }> {
      const before = new Set(readdirSync(options.downloadDir));
      await this.click(selector);
      const end = Date.now() + WAIT_MS;
      for (;;) {
        const files = readdirSync(options.downloadDir);
        const fresh = files.filter((f) => !before.has(f) && !f.endsWith('.part'));
        if (fresh.length === 1 && !files.some((f) => f.endsWith('.part'))) {
          const name = fresh[0] as string;
          return { name, bytes: new Uint8Array(readFileSync(join(options.downloadDir, name))) };
        }
        if (Date.now() > end) throw new Error(`no download finished in ${options.downloadDir} (found ${JSON.stringify(files)})`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async close(): Promise<void> {
      await page.close().catch(() => {});
    },
  };
}
