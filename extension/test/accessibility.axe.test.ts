// Accessibility of the extension's pages in Debian's Chromium with the built
// chrome-mv3: axe-core on every state of the popup, the options page and the
// extension's reveal page (light and dark, 1280 and 360 px, each language of
// LOCALES), and the keyboard-only walks of the options page and the reveal
// page (the popup's is in e2e.test.ts). One browser, one page per surface.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkState,
  expectFocusVisible,
  expectTabReachesWithRing,
  holdRequests,
  LOCALES,
  showYourLinks,
  tabUntil,
} from '../../test-support/axe';
import { pageLanguageApplied } from '../../test-support/browser';
import { freePort } from '../../test-support/ports';
import { createTestSecret, type RunningRelay, startRelay } from '../../test-support/relay';
import { walkRevealByKeyboard, walkRevealStates } from '../../test-support/reveal-walk';
import { type ExtensionBrowser, launchWithExtension, requireBuilds, revealDist } from './reveal-support';

let relay: RunningRelay;
let closed: RunningRelay;
let ext: ExtensionBrowser;
/** A port on 127.0.0.1 where nothing listens: a relay that cannot be reached. */
let deadPort: number;

beforeAll(async () => {
  requireBuilds();
  [relay, closed] = await Promise.all([
    startRelay({ staticDir: revealDist, env: { PSST_RATE_LIMIT_READ: '0', PSST_RATE_LIMIT_CREATE: '0' } }),
    startRelay({ env: { PSST_CREATE_ENABLED: 'false' } }),
  ]);
  deadPort = await freePort();
  ext = await launchWithExtension();
  // The build's host permission is http://127.0.0.1/* (every port): only the address is set.
  await setRelay(relay.origin);
});

afterAll(async () => {
  await ext?.close();
  await Promise.all([relay?.stop(), closed?.stop()]);
});

// Inside worker.evaluate callbacks, which run in the extension's service worker.
declare const chrome: typeof import('wxt/browser').browser;

const setRelay = (relayUrl: string) => ext.worker.evaluate(async (url) => chrome.storage.local.set({ relayUrl: url }), relayUrl);
const pageUrl = (name: string) => `chrome-extension://${ext.extensionId}/${name}`;

/**
 * The extension speaks the browser's UI language (browser.i18n): each language other than English
 * gets its own Chromium launched with `--lang` (see the describe below); setLocale waits until the
 * page shows that catalogue's language on <html>, as the pages' suites do.
 */
const setLocale = pageLanguageApplied;

const composerSubmit = (page: Page) => page.locator('form.composer button[type="submit"]');

describe.each(LOCALES)('the extension with axe-core (%s)', (locale) => {
  // English runs in the browser of beforeAll; another language in a browser of its own, for this block only.
  let english: ExtensionBrowser | undefined;
  beforeAll(async () => {
    if (locale === 'en') return;
    english = ext;
    ext = await launchWithExtension({ lang: locale });
    await setRelay(relay.origin);
  });
  afterAll(async () => {
    if (!english) return;
    await ext?.close();
    ext = english;
  });

  it('the popup has no serious or critical violation in any state, light and dark, at 1280 and 360 px', async () => {
    const page = await ext.context.newPage();
    const check = (state: string) => checkState(page, `popup: ${state} (${locale})`);
    try {
      await page.goto(pageUrl('popup.html'));
      await setLocale(page, locale);
      await page.locator('#secret').waitFor();
      await check('empty');

      await composerSubmit(page).click();
      await page.locator('#secret-empty').waitFor();
      await check('nothing to share');

      await page.locator('#secret').fill('correct horse battery staple');
      await page.locator('#passphrase').fill('abc');
      await page.locator('.strength-weak').waitFor();
      await page.locator('#label').fill('Wi-Fi for Sam');
      await check('filled, weak passphrase');

      const upload = await holdRequests(page, 'POST', /^\/api\/secrets$/);
      await composerSubmit(page).click();
      await upload.arrived;
      await page.locator('form.composer progress').waitFor();
      await check('uploading');
      await upload.release();
      await page.locator('#link').waitFor({ timeout: 30_000 });
      await page.locator('.result button[aria-expanded]').click();
      await page.locator('.result [role="img"]').waitFor();
      await check('link with QR code');

      const yourLinks = await showYourLinks(page, check);

      await page
        .locator('#file')
        .setInputFiles({ name: 'too big.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(1_100_000) });
      await page.locator('form.composer > p.error[role="alert"]').waitFor();
      await check('file too large');
      await page.locator('.file-card button').click();

      await page.locator('#open-link').fill('not a link');
      await page.locator('form.open-link button[type="submit"]').click();
      await page.locator('.open-link .problem').waitFor();
      await check('open a link: not a link');

      await yourLinks.revoke();

      await setRelay(`http://127.0.0.1:${deadPort}`);
      await page.reload();
      await page.locator('#secret').fill('wait for the relay');
      await composerSubmit(page).click();
      await page.locator('.problem button').waitFor({ timeout: 30_000 });
      await check('relay unreachable, with Open options');

      await setRelay(closed.origin);
      await page.reload();
      await page.locator('.problem').waitFor();
      await check('creation switched off');
    } finally {
      await setRelay(relay.origin);
      await page.close();
    }
  });

  it('the options page has no serious or critical violation in any state, light and dark, at 1280 and 360 px', async () => {
    const page = await ext.context.newPage();
    const check = (state: string) => checkState(page, `options: ${state} (${locale})`);
    try {
      await page.goto(pageUrl('options.html'));
      await setLocale(page, locale);
      await expect.poll(() => page.locator('#relay').inputValue()).toBe(relay.origin);
      await check('loaded');

      const health = await holdRequests(page, 'GET', /^\/healthz$/);
      await page.locator('form button[type="submit"]').click();
      await health.arrived;
      await page.locator('form button[type="submit"][disabled]').waitFor();
      await check('checking the relay');
      await health.release();
      await page.locator('p.ok[role="status"]').waitFor({ timeout: 30_000 });
      await page.locator('#auto-copy').click();
      await page.locator('section p.hint[role="status"]:not(:empty)').waitFor();
      await check('relay answers, a setting saved');

      await page.locator('#relay').fill(`http://127.0.0.1:${deadPort}`);
      await page.locator('form button[type="submit"]').click();
      await page.locator('p.problem[role="status"]').waitFor({ timeout: 30_000 });
      await check('relay unreachable');
    } finally {
      await page
        .locator('#auto-copy')
        .uncheck()
        .catch(() => {});
      await setRelay(relay.origin);
      await page.close();
    }
  });

  it('the reveal page has no serious or critical violation in any state, light and dark, at 1280 and 360 px', async () => {
    const page = await ext.context.newPage();
    try {
      await walkRevealStates({
        page,
        origin: relay.origin,
        async open(link) {
          // As the redirect rule, the context menu and the popup open it: the link rides in the query.
          await page.goto(`${pageUrl('reveal.html')}?link=${link}`);
          await setLocale(page, locale);
        },
        startRelay: (env) => startRelay({ staticDir: revealDist, env }),
        check: (state) => checkState(page, `extension reveal page: ${state} (${locale})`),
      });

      // A link of a host psst has no permission for: the page asks first, and requests nothing.
      const foreign = await createTestSecret(relay.origin, { text: 'not granted' });
      await page.goto(`${pageUrl('reveal.html')}?link=${foreign.link.replace('127.0.0.1', 'localhost')}`);
      await setLocale(page, locale);
      await page.locator('main[aria-busy="false"] .message button.primary').waitFor({ timeout: 30_000 });
      await checkState(page, `extension reveal page: asks for the relay's permission (${locale})`);
    } finally {
      await page.close();
    }
  });
});

describe('the extension’s pages with the keyboard only', () => {
  it('the options page: Tab to the relay, type, Enter saves and checks; Space toggles a setting', async () => {
    const page = await ext.context.newPage();
    try {
      await page.goto(pageUrl('options.html'));
      await expect.poll(() => page.locator('#relay').inputValue()).toBe(relay.origin);
      await expectTabReachesWithRing(
        page,
        [
          '#relay',
          'form button[type="submit"]',
          '#default-ttl',
          '#default-views',
          '#auto-copy',
          '#receipt-notifications',
          '#open-links-in-extension',
        ],
        'the options page',
      );
      await tabUntil(page, '#relay', 'the relay address');
      await expectFocusVisible(page, 'the relay address');
      await page.keyboard.press('ControlOrMeta+a');
      await page.keyboard.type(`${relay.origin}/`);
      await page.keyboard.press('Enter');
      await page.locator('p.ok[role="status"]').waitFor({ timeout: 30_000 });
      expect(await ext.worker.evaluate(async () => (await chrome.storage.local.get('relayUrl')).relayUrl)).toBe(relay.origin);
      await tabUntil(page, '#auto-copy', 'the auto-copy setting');
      await expectFocusVisible(page, 'the auto-copy setting');
      const before = await page.locator('#auto-copy').isChecked();
      await page.keyboard.press('Space');
      await expect.poll(() => ext.worker.evaluate(async () => (await chrome.storage.local.get('autoCopy')).autoCopy)).toBe(!before);
      await page.keyboard.press('Space');
      await expect.poll(() => ext.worker.evaluate(async () => (await chrome.storage.local.get('autoCopy')).autoCopy)).toBe(before);
      await tabUntil(page, '#default-ttl', 'the default expiry');
      await expectFocusVisible(page, 'the default expiry');
    } finally {
      await page.close();
    }
  });

  it('the popup: Tab reaches every control with its focus shown, Space opens the QR code', async () => {
    const page = await ext.context.newPage();
    try {
      await page.goto(pageUrl('popup.html'));
      await page.locator('#secret').waitFor();
      await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('secret');
      await expectTabReachesWithRing(
        page,
        [
          'header button',
          '#secret',
          'form.composer .row button.secondary',
          '#ttl',
          '#views',
          '#passphrase',
          '#label',
          'form.composer button[type="submit"]',
          '#open-link',
        ],
        'the popup',
      );
      await tabUntil(page, '#secret', 'the secret');
      await page.keyboard.type('typed with keys only');
      await tabUntil(page, 'form.composer button[type="submit"]', 'Create link');
      await page.keyboard.press('Enter');
      await page.locator('#link').waitFor({ timeout: 30_000 });
      await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('link');
      await expectTabReachesWithRing(page, ['#link', '.result .row button.primary', '.result button[aria-expanded]'], 'the new link');
      await tabUntil(page, '.result button[aria-expanded]', 'Show QR code');
      await page.keyboard.press('Space');
      await page.locator('.result [role="img"]').waitFor();
    } finally {
      await page.close();
    }
  });

  it('the reveal page: Tab reaches the passphrase, Enter reveals, Tab reaches Copy and Space copies, focus always shown', async () => {
    const page = await ext.context.newPage();
    try {
      await walkRevealByKeyboard(page, relay.origin, (link) => page.goto(`${pageUrl('reveal.html')}?link=${link}`).then(() => {}));
    } finally {
      await page.close();
    }
  });
});
