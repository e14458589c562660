// The reveal page's end-to-end cases (reveal-cases.ts) in Debian's Firefox ESR,
// against the real relay serving the built page behind a front door that logs
// every request; then what every page load sent: only its own origin, no key,
// passphrase or text in any address or body, and no Referer.
import { strings } from '@psst/reveal-ui/strings';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FirefoxSetup, firefoxTab, type LaunchedFirefox, startFirefoxSetup } from '../../test-support/firefox.js';
import type { FrontDoor } from '../../test-support/front-door.js';
import { describeRevealCases, type RevealHost, sentSecrets } from './reveal-cases.js';

let setup: FirefoxSetup<LaunchedFirefox>;
let door: FrontDoor;
let firefox: LaunchedFirefox;
/** Every request of every tab, as the browser reports it. */
const requests: { url: string }[] = [];
/** Page errors and CSP violations. */
const problems: string[] = [];
let host: RevealHost;

beforeAll(async () => {
  setup = await startFirefoxSetup();
  ({ door, firefox } = setup);
  host = {
    door,
    relayOrigin: setup.relay.origin,
    async open(link) {
      const page = await firefox.newPage();
      page.on('request', (r) => requests.push({ url: r.url() }));
      page.on('pageerror', (e) => problems.push(String(e)));
      await page.evaluateOnNewDocument(() => {
        document.addEventListener('securitypolicyviolation', (e) => {
          document.documentElement.dataset.cspViolation = `${e.violatedDirective} ${e.blockedURI}`;
        });
      });
      await page.bringToFront();
      await page.goto(link);
      const tab = firefoxTab(page, { downloadDir: firefox.downloadDir, loading: strings.looking.title });
      return {
        ...tab,
        async close() {
          const violation = await page.evaluate(() => document.documentElement.dataset.cspViolation ?? '').catch(() => '');
          if (violation) problems.push(`CSP violation: ${violation}`);
          await tab.close();
        },
      };
    },
    addressAfterReveal: (origin, id) => `${origin}/s/${id}`,
  };
});

afterAll(async () => {
  await setup?.close();
});

describe('the reveal page in Firefox, served by the relay', () => {
  describeRevealCases(() => host, { switcher: true });

  it('asked only its own origin, sent no key, passphrase or text and no Referer, and had no error', () => {
    // What the browser asked for: its own origin only (BiDi reports navigations with their fragment, which never leaves the browser).
    const asked = requests.filter((r) => !r.url.startsWith('blob:') && !r.url.startsWith('data:'));
    expect(asked.length).toBeGreaterThan(20);
    for (const { url } of asked) expect(new URL(url).hostname, url).toBe('127.0.0.1');
    // What reached the relay: every request of every case, through the front door.
    expect(door.requests.length).toBeGreaterThan(20);
    // Every text, file name and passphrase the cases sent or typed, as typed and as a URL, a form or JSON would carry it.
    const secrets = sentSecrets();
    expect(secrets).toEqual(expect.arrayContaining(['correct horse', 'correct%20horse', 'correct+horse', 'wrong again']));
    for (const r of door.requests) {
      expect(r.url, r.url).not.toContain('#');
      for (const secret of secrets) {
        expect(r.url).not.toContain(secret);
        expect(r.body).not.toContain(secret);
      }
      expect(r.headers.referer, `Referer of ${r.url}`).toBeUndefined();
    }
    expect(problems).toEqual([]);
  });
});
