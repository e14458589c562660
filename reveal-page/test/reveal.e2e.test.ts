// End to end in Debian's Chromium against the real relay serving the built
// page, behind a front door that logs every request: the reveal page's cases
// (reveal-cases.ts, the same ones Firefox runs), opened the way a recipient
// would. Screenshots of each state go to artifacts/reveal-page/ (light and
// dark, 1280 px and 360 px), and the time from the click to the plaintext on
// screen is written there as timings.json. Then what every page load sent.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { strings } from '@psst/reveal-ui/strings';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LaunchedBrowser, launchChromium, screenshotStates } from '../../test-support/browser.js';
import { BUILDS, requireBuilds } from '../../test-support/builds.js';
import { type FrontDoor, startFrontDoor } from '../../test-support/front-door.js';
import { playwrightTab } from '../../test-support/playwright-tab.js';
import { REVEAL_DIST as dist, type RunningRelay, startRelay } from '../../test-support/relay.js';
import { describeRevealCases, type RevealHost, type RevealTab, sentSecrets } from './reveal-cases.js';

const artifacts = join(import.meta.dirname, '../../artifacts/reveal-page');

let relay: RunningRelay;
let door: FrontDoor;
let browser: LaunchedBrowser;
let host: RevealHost;
const timings: Record<string, number> = {};
/** Every request of every tab, as the browser reports it, with its Referer. */
const requests: { url: string; referer: string | undefined }[] = [];
/** Console errors, page errors and CSP violations. */
const problems: string[] = [];

const pageOf = (tab: RevealTab) => (tab as ReturnType<typeof playwrightTab>).page;

/** Clicks Reveal and measures, in the page, the time until `selector` is on screen. */
async function revealAndTime(page: Page, selector: string): Promise<number> {
  await page.evaluate((sel) => {
    const w = window as unknown as { psstT0?: number; psstT1?: Promise<number> };
    w.psstT1 = new Promise((resolve) => {
      new MutationObserver((_, observer) => {
        if (document.querySelector(sel)) {
          observer.disconnect();
          resolve(performance.now());
        }
      }).observe(document.body, { childList: true, subtree: true });
    });
    document.addEventListener('click', () => (w.psstT0 = performance.now()), { capture: true, once: true });
  }, selector);
  await page.locator('form button[type="submit"]').click();
  await page.locator(selector).waitFor({ timeout: 60_000 });
  return page.evaluate(async () => {
    const w = window as unknown as { psstT0: number; psstT1: Promise<number> };
    return (await w.psstT1) - w.psstT0;
  });
}

beforeAll(async () => {
  requireBuilds(BUILDS.revealPage);
  mkdirSync(artifacts, { recursive: true });
  relay = await startRelay({ staticDir: dist });
  door = await startFrontDoor(relay.origin);
  browser = await launchChromium();
  // Copy is checked by reading the clipboard back.
  await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: door.origin });
  host = {
    door,
    relayOrigin: relay.origin,
    async open(link) {
      const page = await browser.context.newPage();
      await page.setViewportSize({ width: 1280, height: 900 });
      page.on('request', (r) => requests.push({ url: r.url(), referer: r.headers().referer }));
      page.on('console', (m) => {
        // Chromium logs every 4xx API answer (403 wrong passphrase, 410 gone…) as a failed resource, and the
        // refused connection of the relay that is gone: expected here.
        const expected = /^Failed to load resource: (the server responded with a status of 4\d\d|net::ERR_CONNECTION_REFUSED)/;
        if (m.type() === 'error' && !expected.test(m.text())) problems.push(m.text());
      });
      page.on('pageerror', (e) => problems.push(String(e)));
      await page.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
      });
      await page.goto(link);
      return playwrightTab(page, { loading: strings.looking.title });
    },
    addressAfterReveal: (origin, id) => `${origin}/s/${id}`,
    snapshot: (tab, state) => screenshotStates(pageOf(tab), artifacts, state),
    async clickReveal(tab, shown, label) {
      timings[label] = await revealAndTime(pageOf(tab), shown);
    },
  };
});

afterAll(async () => {
  await browser?.close();
  await door?.close();
  await relay?.stop();
  if (Object.keys(timings).length > 0) {
    writeFileSync(join(artifacts, 'timings.json'), `${JSON.stringify(timings, null, 2)}\n`);
    console.log('click → secret on screen (ms):', timings);
  }
});

describe('the reveal page in Chromium, served by the relay', () => {
  describeRevealCases(() => host, { switcher: true });

  it('asked only its own origin, sent no key, passphrase or text and no Referer, and had no error', () => {
    const asked = requests.filter((r) => !r.url.startsWith('blob:') && !r.url.startsWith('data:'));
    expect(asked.length).toBeGreaterThan(20);
    for (const { url, referer } of asked) {
      expect(new URL(url).hostname, url).toBe('127.0.0.1');
      expect(url, url).not.toContain('#');
      expect(referer ?? '', `Referer of ${url}`).toBe(''); // no-referrer: not even the origin
    }
    // What reached the relay: every request of every case, through the front door.
    expect(door.requests.length).toBeGreaterThan(20);
    // Every text, file name and passphrase the cases sent or typed, as typed and as a URL, a form or JSON would carry it.
    const secrets = sentSecrets();
    expect(secrets).toEqual(expect.arrayContaining(['correct horse', 'correct%20horse', 'correct+horse', 'wrong again']));
    for (const r of door.requests) {
      for (const secret of secrets) {
        expect(r.url).not.toContain(secret);
        expect(r.body).not.toContain(secret);
      }
      expect(r.headers.referer, `Referer of ${r.url}`).toBeUndefined();
    }
    expect(problems).toEqual([]);
  });
});
