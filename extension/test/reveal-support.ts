// Shared by the extension's reveal end-to-end suites: Chromium with the built
// chrome-mv3 loaded, the front door that logs every request before it reaches
// the relay (test-support/front-door.ts), and helpers to wait for the redirect rules and read the pages.
import { join } from 'node:path';
import type { BrowserContext, Page, Worker } from 'playwright-core';
import { expect } from 'vitest';
import { type LaunchedBrowser, launchChromium } from '../../test-support/browser';
import { BUILDS, CHROME_EXTENSION_DIR, requireBuilds as requireBuilt } from '../../test-support/builds';

// Inside worker.evaluate callbacks, which run in the extension's service worker.
declare const chrome: typeof import('wxt/browser').browser;

export const root = join(import.meta.dirname, '..');
export const repo = join(root, '..');
export { CHROME_EXTENSION_DIR as extensionDir } from '../../test-support/builds';
export { REVEAL_DIST as revealDist } from '../../test-support/relay';
export const artifacts = join(repo, 'artifacts', 'extension');

/** The builds these suites run: the chrome-mv3 extension, the reveal page and the relay. */
export const requireBuilds = () => requireBuilt(BUILDS.chromeExtension, BUILDS.revealPage, BUILDS.relay);

export interface ExtensionBrowser extends LaunchedBrowser {
  worker: Worker;
  extensionId: string;
  /** Sets the "open links in psst" setting and waits until the rules agree (count of rules). */
  setRedirects(on: boolean): Promise<void>;
  rules(): Promise<{ id: number; condition: { regexFilter?: string } }[]>;
}

/** Polls until `check` holds (also usable outside a test, in beforeAll). */
export async function waitUntil(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function serviceWorker(context: BrowserContext): Promise<Worker> {
  return context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://')) ?? (await context.waitForEvent('serviceworker'));
}

/** `lang`: the browser's UI language, which chooses the extension's language (see launchChromium). */
export async function launchWithExtension(options: { lang?: string } = {}): Promise<ExtensionBrowser> {
  const browser = await launchChromium({ extensionDir: CHROME_EXTENSION_DIR, ...options });
  const worker = await serviceWorker(browser.context);
  const extensionId = new URL(worker.url()).host;
  const rules = () => worker.evaluate(() => chrome.declarativeNetRequest.getDynamicRules());
  const setRedirects = async (on: boolean) => {
    await worker.evaluate((value) => chrome.storage.local.set({ openLinksInExtension: value }), on);
    await waitUntil(async () => (await rules()).length > 0 === on, `redirect rules ${on ? 'added' : 'removed'}`);
  };
  // The install-time grant http://127.0.0.1/* gives one rule once the worker has synced.
  await waitUntil(async () => (await rules()).length === 1, 'one redirect rule for the install-time relay');
  return { ...browser, worker, extensionId, setRedirects, rules };
}

// One front door for every browser suite (test-support/front-door.ts).
export { type FrontDoor, startFrontDoor } from '../../test-support/front-door';

/** The page's level-1 heading once it is no longer "Opening the link…". */
export async function settledHeading(page: Page, looking: string): Promise<string> {
  const h1 = page.locator('h1');
  await expect.poll(async () => ((await h1.count()) > 0 ? await h1.first().textContent() : looking), { timeout: 30_000 }).not.toBe(looking);
  return (await h1.first().textContent()) ?? '';
}
