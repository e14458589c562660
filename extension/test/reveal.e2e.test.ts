// The extension's own reveal page in Debian's Chromium with the built
// chrome-mv3: every case of the reveal page (reveal-page/test/reveal-cases.ts,
// the same ones Firefox runs), run in the extension (links of the install-time
// relay http://127.0.0.1/* are redirected there),
// the popup's "Open a link", the "Open with psst" link menu, and links of a
// relay without host permission (left alone; asked for only when opened on
// purpose, and only for that host).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { t } from '@psst/i18n';
import { strings } from '@psst/reveal-ui/strings';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeRevealCases, type RevealHost } from '../../reveal-page/test/reveal-cases';
import { playwrightTab } from '../../test-support/playwright-tab';
import { createTestSecret, type RunningRelay, startRelay } from '../../test-support/relay';
import {
  artifacts,
  type ExtensionBrowser,
  type FrontDoor,
  launchWithExtension,
  requireBuilds,
  revealDist,
  settledHeading,
  startFrontDoor,
} from './reveal-support';

interface PsstGlobal {
  onMenuClick(info: object, tab: object): Promise<unknown>;
}
declare const psst: PsstGlobal;

let relay: RunningRelay;
/** The relay as http://127.0.0.1:PORT (granted at install) and as http://localhost:PORT (never granted). */
let door: FrontDoor;
let foreign: FrontDoor;
let ext: ExtensionBrowser;
let host: RevealHost;

beforeAll(async () => {
  requireBuilds();
  mkdirSync(artifacts, { recursive: true });
  relay = await startRelay({ staticDir: revealDist });
  door = await startFrontDoor(relay.origin);
  foreign = await startFrontDoor(relay.origin, 'localhost');
  ext = await launchWithExtension();
  host = {
    door,
    relayOrigin: relay.origin,
    open,
    addressAfterReveal: (origin, id) => `${revealPagePrefix()}${origin}/s/${id}`,
  };
});

afterAll(async () => {
  await ext?.close();
  await door?.close();
  await foreign?.close();
  await relay?.stop();
});

const revealPagePrefix = () => `chrome-extension://${ext.extensionId}/reveal.html?link=`;
const keyOf = (link: string) => link.split('#')[1] as string;

/** Opens the link as if pasted in the address bar: the tab must show the extension's reveal page. */
async function open(link: string) {
  const page = await ext.context.newPage();
  await page.goto(link);
  expect(page.url().startsWith(revealPagePrefix()), page.url()).toBe(true);
  return playwrightTab(page, { loading: strings.looking.title });
}

async function reveal(page: Page): Promise<void> {
  await page.getByRole('button', { name: strings.waiting.reveal }).click();
}

const heading = (page: Page, name: string) => page.getByRole('heading', { level: 1, name }).waitFor({ timeout: 30_000 });

describe('the extension’s reveal page', () => {
  describeRevealCases(() => host, {
    extensionStorage: () => ext.worker.evaluate(async () => [await chrome.storage.local.get(null), await chrome.storage.session.get(null)]),
  });
});

describe('opening links on purpose, and links of relays without permission', () => {
  it('leaves links of a relay without host permission alone: the relay’s page opens', async () => {
    const secret = await createTestSecret(foreign.origin, { text: 'not granted' });
    foreign.log.length = 0;
    const page = await ext.context.newPage();
    await page.goto(secret.link);
    expect(page.url()).toBe(secret.link);
    await heading(page, strings.waiting.title);
    expect(foreign.log).toContain(`GET /s/${secret.id}`);
    await page.close();
  });

  it('opens a pasted link from the popup in the extension’s reveal page', async () => {
    const secret = await createTestSecret(door.origin, { text: 'from the popup' });
    const popup = await ext.context.newPage();
    await popup.goto(`chrome-extension://${ext.extensionId}/popup.html`);
    await popup.locator('#open-link').fill(`  ${secret.link}  `);
    const [opened] = await Promise.all([
      ext.context.waitForEvent('page'),
      popup.getByRole('button', { name: 'Open', exact: true }).click(),
    ]);
    await opened.waitForURL((url) => url.href.startsWith(revealPagePrefix()));
    expect(opened.url()).toBe(`${revealPagePrefix()}${door.origin}/s/${secret.id}#${keyOf(secret.link)}`);
    expect(await settledHeading(opened, strings.looking.title)).toBe(strings.waiting.title);
    await reveal(opened);
    await opened.locator('.secret pre').waitFor();
    expect(await opened.locator('.secret pre').textContent()).toBe('from the popup');
    await opened.close();
    if (!popup.isClosed()) await popup.close();
  });

  it('asks, from the popup, for exactly the link’s host when psst has no permission for it, and opens nothing if refused', async () => {
    const secret = await createTestSecret(foreign.origin, { text: 'ask first' });
    const popup = await ext.context.newPage();
    await popup.goto(`chrome-extension://${ext.extensionId}/popup.html`);
    // Record what the popup asks the user for, and answer as a user who refuses (headless Chromium shows no
    // prompt); a host psst already holds is granted at once without a prompt, as Chromium does.
    await popup.evaluate(() => {
      const asked: unknown[] = [];
      Object.assign(window, { asked });
      const contains = chrome.permissions.contains.bind(chrome.permissions);
      chrome.permissions.request = (async (request: { origins?: string[] }) => {
        if (await contains(request)) return true;
        asked.push(request);
        return false;
      }) as unknown as typeof chrome.permissions.request;
    });
    const pagesBefore = ext.context.pages().length;
    await popup.locator('#open-link').fill(secret.link);
    await popup.getByRole('button', { name: 'Open', exact: true }).click();
    await popup.getByRole('alert').filter({ hasText: 'Permission not granted' }).waitFor();
    await popup.setViewportSize({ width: 380, height: 900 });
    await popup.screenshot({ path: join(artifacts, 'popup-open-link-refused.png'), fullPage: true });
    expect(await popup.evaluate(() => (window as unknown as { asked: unknown[] }).asked)).toEqual([{ origins: ['http://localhost/*'] }]);
    expect(ext.context.pages().length).toBe(pagesBefore);

    // A link of a granted host asks nothing.
    await popup.evaluate(() => ((window as unknown as { asked: unknown[] }).asked.length = 0));
    const granted = await createTestSecret(door.origin, { text: 'no question' });
    await popup.locator('#open-link').fill(granted.link);
    const [opened] = await Promise.all([
      ext.context.waitForEvent('page'),
      popup.getByRole('button', { name: 'Open', exact: true }).click(),
    ]);
    await opened.waitForURL((url) => url.href.startsWith(revealPagePrefix()));
    expect(await popup.evaluate(() => (window as unknown as { asked: unknown[] }).asked).catch(() => [])).toEqual([]);
    await opened.close();
    if (!popup.isClosed()) await popup.close();
  });

  it('opens a link from the "Open with psst" menu; for a host without permission the page asks first and requests nothing', async () => {
    const secret = await createTestSecret(door.origin, { text: 'from the menu' });
    const [opened] = await Promise.all([
      ext.context.waitForEvent('page'),
      ext.worker.evaluate((linkUrl) => psst.onMenuClick({ menuItemId: 'psst-open-link', linkUrl }, {}), secret.link),
    ]);
    await opened.waitForURL((url) => url.href.startsWith(revealPagePrefix()));
    expect(await settledHeading(opened, strings.looking.title)).toBe(strings.waiting.title);
    await reveal(opened);
    await opened.locator('.secret pre').waitFor();
    expect(await opened.locator('.secret pre').textContent()).toBe('from the menu');
    await opened.close();

    const other = await createTestSecret(foreign.origin, { text: 'menu, not granted' });
    foreign.log.length = 0;
    const [gated] = await Promise.all([
      ext.context.waitForEvent('page'),
      ext.worker.evaluate((linkUrl) => psst.onMenuClick({ menuItemId: 'psst-open-link', linkUrl }, {}), other.link),
    ]);
    const host = new URL(foreign.origin).host;
    await heading(gated, t('revealHost.allowTitle', { host }));
    expect(await gated.getByRole('button', { name: t('revealHost.allow', { host }) }).isVisible()).toBe(true);
    expect(foreign.log).toEqual([]);
    await gated.close();
  });
});

declare const chrome: typeof import('wxt/browser').browser;
