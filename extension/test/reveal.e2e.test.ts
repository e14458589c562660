// The extension's own reveal page in Debian's Chromium with the built
// chrome-mv3: every state of the reveal page's e2e suite, run in the extension
// (links of the install-time relay http://127.0.0.1/* are redirected there),
// the popup's "Open a link", the "Open with psst" link menu, and links of a
// relay without host permission (left alone; asked for only when opened on
// purpose, and only for that host).
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { t } from '@psst/i18n';
import { MAX_PASSPHRASE_ATTEMPTS } from '@psst/protocol/limits';
import { strings } from '@psst/reveal-ui/strings';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestSecret, type RunningRelay, startRelay, TEST_KDF } from '../../test-support/relay';
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

beforeAll(async () => {
  requireBuilds();
  mkdirSync(artifacts, { recursive: true });
  relay = await startRelay({ staticDir: revealDist });
  door = await startFrontDoor(relay.origin);
  foreign = await startFrontDoor(relay.origin, 'localhost');
  ext = await launchWithExtension();
});

afterAll(async () => {
  await ext?.close();
  await door?.close();
  await foreign?.close();
  await relay?.stop();
});

const revealPagePrefix = () => `chrome-extension://${ext.extensionId}/reveal.html?link=`;
const keyOf = (link: string) => link.split('#')[1] as string;

/** Opens the link as if pasted in the address bar; returns the page once it has looked the link up. */
async function open(link: string): Promise<{ page: Page; heading: string }> {
  const page = await ext.context.newPage();
  await page.goto(link);
  expect(page.url().startsWith(revealPagePrefix()), page.url()).toBe(true);
  return { page, heading: await settledHeading(page, strings.looking.title) };
}

async function reveal(page: Page): Promise<void> {
  await page.getByRole('button', { name: strings.waiting.reveal }).click();
}

async function receiptState(id: string, manageToken: string) {
  const res = await fetch(`${relay.origin}/api/secrets/${id}/receipt`, { headers: { Authorization: `Bearer ${manageToken}` } });
  return (await res.json()) as { state: string; viewsLeft: number };
}

const heading = (page: Page, name: string) => page.getByRole('heading', { level: 1, name }).waitFor({ timeout: 30_000 });

describe('the extension’s reveal page', () => {
  it('reveals a text only after the click, drops the key from the address bar, and knows it on reload', async () => {
    const text = 'correct horse battery staple';
    const secret = await createTestSecret(door.origin, { text });
    door.log.length = 0;
    const { page, heading: first } = await open(secret.link);
    expect(first).toBe(strings.waiting.title);
    expect(await page.getByText(t('revealHost.hostNote')).isVisible()).toBe(true);
    expect(door.log).toEqual([`GET /api/secrets/${secret.id}`]);
    expect(await receiptState(secret.id, secret.manageToken)).toMatchObject({ state: 'active', viewsLeft: 1 });
    await reveal(page);
    const pre = page.locator('.secret pre');
    await pre.waitFor();
    expect(await pre.textContent()).toBe(text);
    expect(await pre.getAttribute('translate')).toBe('no');
    expect(await pre.getAttribute('spellcheck')).toBe('false');
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
    expect(page.url()).toBe(`${revealPagePrefix()}${door.origin}/s/${secret.id}`);
    expect(door.log).toEqual([`GET /api/secrets/${secret.id}`, `POST /api/secrets/${secret.id}/reveal`]);
    // Nothing of the key, link or text is stored by the extension (only the reveal page's tab note: id and time).
    const key = secret.link.split('#')[1] ?? '-';
    const stored = JSON.stringify(
      await ext.worker.evaluate(async () => [await chrome.storage.local.get(null), await chrome.storage.session.get(null)]),
    );
    for (const part of [secret.id, key, text]) expect(stored).not.toContain(part);
    // The tab's own note holds the id and when, never the key or the text.
    const tabNote = await page.evaluate(() => JSON.stringify({ ...sessionStorage }));
    expect(tabNote).toContain(secret.id);
    for (const part of [key, text]) expect(tabNote).not.toContain(part);
    await page.reload();
    await heading(page, strings.revealedHere.title);
    await page.goto(secret.link);
    await heading(page, strings.gone.read.title);
    expect(door.log.filter((l) => !l.startsWith('GET /api/') && !l.startsWith('POST /api/'))).toEqual([]);
    await page.close();
  });

  it('shows multi-line Unicode text exactly as sent and copies it', async () => {
    const text = '  indented\n\ttabbed\nRTL: שלום\nCombining: e\u0301\nEmoji: 🔑👩‍💻\r\n<b>not bold</b> &amp;\n';
    const secret = await createTestSecret(door.origin, { text });
    const { page } = await open(secret.link);
    await reveal(page);
    await page.locator('.secret pre').waitFor();
    expect(await page.locator('.secret pre').textContent()).toBe(text);
    expect(await page.locator('.secret b').count()).toBe(0);
    await page.getByRole('button', { name: strings.revealed.copy }).click();
    await page.getByText(strings.revealed.copiedStatus).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(text);
    await page.close();
  });

  it('offers a file as a download under its cleaned name with its exact bytes', async () => {
    const bytes = Uint8Array.from({ length: 20_000 }, (_, i) => (i * 7919) % 256);
    const secret = await createTestSecret(door.origin, { file: { name: '../quarterly\u202Ereport.pdf', mime: 'application/pdf', bytes } });
    const { page } = await open(secret.link);
    await reveal(page);
    await heading(page, strings.revealed.titleFile);
    const link = page.locator('a[download]');
    const name = (await link.getAttribute('download')) ?? '';
    expect(name).not.toContain('/');
    expect(name).not.toContain('\u202E');
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toBe(name);
    expect(new Uint8Array(readFileSync(await download.path()))).toEqual(bytes);
    await page.close();
  });

  it('asks for the passphrase, counts a wrong one, reveals with the right one, and burns after the last wrong one', async () => {
    const secret = await createTestSecret(door.origin, { text: 'behind a passphrase', passphrase: 'correct horse', kdf: TEST_KDF });
    const { page } = await open(secret.link);
    await page.getByLabel(strings.waiting.passphraseLabel).fill('wrong horse');
    await reveal(page);
    await page
      .getByRole('alert')
      .filter({ hasText: strings.waiting.wrongPassphrase(MAX_PASSPHRASE_ATTEMPTS - 1) })
      .waitFor();
    await page.getByLabel(strings.waiting.passphraseLabel).fill('correct horse');
    await page.keyboard.press('Enter');
    await page.locator('.secret pre').waitFor();
    expect(await page.locator('.secret pre').textContent()).toBe('behind a passphrase');
    await page.close();

    const doomed = await createTestSecret(door.origin, { text: 'never seen', passphrase: 'right', kdf: TEST_KDF });
    const second = await open(doomed.link);
    for (let left = MAX_PASSPHRASE_ATTEMPTS - 1; left >= 1; left--) {
      await second.page.getByLabel(strings.waiting.passphraseLabel).fill(`wrong ${left}`);
      await reveal(second.page);
      await second.page
        .getByRole('alert')
        .filter({ hasText: strings.waiting.wrongPassphrase(left) })
        .waitFor();
    }
    await second.page.getByLabel(strings.waiting.passphraseLabel).fill('wrong again');
    await reveal(second.page);
    await heading(second.page, strings.gone.burned.title);
    await second.page.close();
  });

  it('counts views down, and says deleted, not found and incomplete', async () => {
    const twice = await createTestSecret(door.origin, { text: 'twice', views: 2 });
    const first = await open(twice.link);
    expect(await first.page.getByText(strings.waiting.views(2)).isVisible()).toBe(true);
    await reveal(first.page);
    await first.page.getByText(strings.revealed.viewsLeft(1)).waitFor();
    await first.page.close();

    const withdrawn = await createTestSecret(door.origin, { text: 'withdrawn' });
    await fetch(`${relay.origin}/api/secrets/${withdrawn.id}`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${withdrawn.manageToken}` },
    });
    const deleted = await open(withdrawn.link);
    expect(deleted.heading).toBe(strings.gone.deleted.title);
    await deleted.page.close();

    const wrongKey = await open(`${door.origin}/s/${twice.id}#${'A'.repeat(42)}E`);
    expect(wrongKey.heading).toBe(strings.notFound.title);
    await wrongKey.page.close();

    door.log.length = 0;
    const page = await ext.context.newPage();
    await page.goto(`${revealPagePrefix()}${door.origin}/s/${twice.id}`);
    await heading(page, strings.incomplete.title);
    expect(door.log).toEqual([]);
    await page.close();
  });

  it('says when to retry when the relay rate-limits, and offers a retry when it is gone', async () => {
    const strict = await startRelay({ staticDir: revealDist, env: { PSST_RATE_LIMIT_READ: '1' } });
    try {
      const secret = await createTestSecret(strict.origin, { text: 'not yet' });
      const { page, heading: first } = await open(secret.link);
      expect(first).toBe(strings.waiting.title); // Look took the only token
      await reveal(page);
      await heading(page, strings.rateLimited.title);
      await page.close();
    } finally {
      await strict.stop();
    }
    const doomed = await startRelay({ staticDir: revealDist });
    const secret = await createTestSecret(doomed.origin, { text: 'unreachable' });
    const { page } = await open(secret.link);
    await doomed.stop();
    await reveal(page);
    await heading(page, strings.unreachable.title);
    await page.getByRole('button', { name: strings.retry }).click();
    await heading(page, strings.unreachable.title);
    await page.close();
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
