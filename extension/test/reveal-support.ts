// Shared by the extension's reveal end-to-end suites: Chromium with the built
// chrome-mv3 loaded, a front door that logs every request before it reaches
// the relay, and helpers to wait for the redirect rules and read the pages.
import { existsSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { BrowserContext, Page, Worker } from 'playwright-core';
import { expect } from 'vitest';
import { type LaunchedBrowser, launchChromium } from '../../test-support/browser';

// Inside worker.evaluate callbacks, which run in the extension's service worker.
declare const chrome: typeof import('wxt/browser').browser;

export const root = join(import.meta.dirname, '..');
export const repo = join(root, '..');
export const extensionDir = join(root, '.output', 'chrome-mv3');
export const revealDist = join(repo, 'reveal-page', 'dist');
export const artifacts = join(repo, 'artifacts', 'extension');

export function requireBuilds(): void {
  for (const [path, command] of [
    [join(extensionDir, 'manifest.json'), 'pnpm --filter @psst/extension build'],
    [join(revealDist, 'index.html'), 'pnpm --filter @psst/reveal-page build'],
    [join(repo, 'relay', 'dist', 'main.js'), 'pnpm --filter @psst/relay build'],
  ] as const) {
    if (!existsSync(path)) throw new Error(`${path} is missing: run \`${command}\` first (the root \`pnpm test\` builds before testing)`);
  }
}

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

export async function launchWithExtension(): Promise<ExtensionBrowser> {
  const browser = await launchChromium({ extensionDir });
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

export interface FrontDoor {
  origin: string;
  /** Every request that arrived, `METHOD /path?query`, in order. */
  log: string[];
  close(): Promise<void>;
}

/** A reverse proxy in front of the relay that logs each request: the relay's request log. */
export async function startFrontDoor(relayOrigin: string, host = '127.0.0.1'): Promise<FrontDoor> {
  const target = new URL(relayOrigin);
  const log: string[] = [];
  const server: Server = createServer((req, res) => {
    log.push(`${req.method} ${req.url}`);
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://${host}:${port}`,
    log,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The page's level-1 heading once it is no longer "Opening the link…". */
export async function settledHeading(page: Page, looking: string): Promise<string> {
  const h1 = page.locator('h1');
  await expect.poll(async () => ((await h1.count()) > 0 ? await h1.first().textContent() : looking), { timeout: 30_000 }).not.toBe(looking);
  return (await h1.first().textContent()) ?? '';
}
