// Both pages in every language psst speaks, in Debian's Chromium against the
// real relay serving the built site: each main state fits a 360 px screen (no
// element overflows; the list of those that do fails the test) and shows no
// catalogue key instead of words, with a screenshot of each state in each
// language (artifacts/languages/, light and dark, 1280 and 360 px). Arabic is
// mirrored while links stay left to right and exactly as sent, and the
// switcher changes the language in place: a revealed secret stays. (The
// reveal page's own Arabic case, a secret keeping its direction, is in
// reveal-cases.ts, so it runs in Chromium and in Firefox.)
// Needs `pnpm --filter @psst/reveal-page build` first (the root `pnpm test` builds).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createTranslator, type LanguageCode } from '@psst/i18n';
import { LANGUAGE_CODES, readLanguage } from '@psst/i18n/catalogue-files';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type LaunchedBrowser,
  launchChromium,
  pageLanguageApplied,
  screenshotStates,
  usePageLanguage,
} from '../../test-support/browser.js';
import { BUILDS, requireBuilds } from '../../test-support/builds.js';
import { createTestSecret, REVEAL_DIST as dist, type RunningRelay, startRelay, TEST_KDF } from '../../test-support/relay.js';
import { LANGUAGE_KEY } from '../src/language.js';
import { findKeys, findOverflows } from './page-fit.js';

const artifacts = join(import.meta.dirname, '../../artifacts/languages');
/** Every key of the source catalogues that has a dot: none of them is ever words. */
const KEYS = Object.keys(readLanguage('en')).filter((key) => key.includes('.') && key !== 'language.code');
/** A secret a German word would not fit beside: one long token, then lines. */
const SECRET = 'DATABASE_URL=postgres://psst:c0rrect-h0rse-battery-staple@db.internal.example:5432/psst_production\nline two\n';

const LONG_FILE_NAME = 'Quartalsbericht-Geschäftsgeheimnisverwaltungsunterlagen-2026-endgültig.pdf';

let relay: RunningRelay;
let browser: LaunchedBrowser;

beforeAll(async () => {
  requireBuilds(BUILDS.revealPage);
  mkdirSync(artifacts, { recursive: true });
  relay = await startRelay({ staticDir: dist, env: { PSST_RATE_LIMIT_READ: '0', PSST_RATE_LIMIT_CREATE: '0' } });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await relay?.stop();
});

const words = (lang: LanguageCode) => createTranslator(lang, readLanguage(lang));

/** A new tab in `lang` (the stored choice, as the switcher leaves it: a reload keeps what it chose since), at `url`, once its catalogue is installed. */
async function openIn(lang: LanguageCode, url: string): Promise<Page> {
  const page = await browser.context.newPage();
  await usePageLanguage(page, lang);
  await page.goto(url);
  await pageLanguageApplied(page, lang);
  return page;
}

/** At 360 px: nothing overflows and no key shows; then the screenshots of this state. */
async function checkState(page: Page, name: string, problems: string[]) {
  await page.setViewportSize({ width: 360, height: 780 });
  for (const overflow of await findOverflows(page)) problems.push(`${name}: ${overflow}`);
  for (const key of await findKeys(page, KEYS)) problems.push(`${name}: shows the key ${key}`);
  await screenshotStates(page, artifacts, name);
}

const heading = (page: Page, name: string) => page.getByRole('heading', { level: 1, name }).waitFor({ timeout: 30_000 });

describe('the checks themselves', () => {
  it('report an element that does not fit, one that sticks out, and a key shown instead of words', async () => {
    const page = await browser.context.newPage();
    try {
      await page.setViewportSize({ width: 360, height: 780 });
      await page.setContent(
        `<body style="margin:0"><div style="width:200px"><p id="long" style="white-space:nowrap;overflow:hidden">${'Geheimnisverwaltung'.repeat(4)}</p></div>` +
          '<p id="wide" style="width:500px">waiting.title</p><p class="sr-only" style="width:1px;overflow:hidden;white-space:nowrap">not this one, it is clipped on purpose</p></body>',
      );
      const overflows = await findOverflows(page);
      expect(overflows.some((o) => o.startsWith('<p#long>') && o.includes('overflows its box'))).toBe(true);
      expect(overflows.some((o) => o.startsWith('<p#wide>') && o.includes('sticks out'))).toBe(true);
      expect(overflows.some((o) => o.includes('scrolls sideways'))).toBe(true);
      expect(overflows.some((o) => o.includes('sr-only'))).toBe(false);
      expect(await findKeys(page, KEYS)).toEqual(['waiting.title']);
    } finally {
      await page.close();
    }
  });
});

describe.each(LANGUAGE_CODES)('in %s', (lang) => {
  const w = words(lang);

  it('the reveal page fits 360 px in every main state and shows words for every key', async () => {
    const problems: string[] = [];
    const secret = await createTestSecret(relay.origin, { text: SECRET, passphrase: 'correct horse', kdf: TEST_KDF });
    const page = await openIn(lang, secret.link);
    try {
      await heading(page, w.t('waiting.title'));
      await checkState(page, `reveal-${lang}-waiting`, problems);
      await page.locator('#passphrase').fill('wrong horse');
      await page.getByRole('button', { name: w.t('waiting.reveal') }).click();
      await page.locator('#passphrase-error').waitFor({ timeout: 30_000 });
      await checkState(page, `reveal-${lang}-wrong-passphrase`, problems);
      await page.locator('#passphrase').fill('correct horse');
      await page.getByRole('button', { name: w.t('waiting.reveal') }).click();
      await heading(page, w.t('revealed.titleText'));
      expect(await page.locator('.secret pre').textContent()).toBe(SECRET);
      await checkState(page, `reveal-${lang}-revealed`, problems);
      await page.goto(secret.link);
      await heading(page, w.t('gone.read.title'));
      await checkState(page, `reveal-${lang}-already-viewed`, problems);
      await page.goto(secret.link.split('#')[0] as string);
      await heading(page, w.t('revealedHere.title'));
      const file = await createTestSecret(relay.origin, {
        file: { name: LONG_FILE_NAME, mime: 'application/pdf', bytes: new Uint8Array(3000) },
      });
      await page.goto(file.link);
      await page.getByRole('button', { name: w.t('waiting.reveal') }).click();
      await heading(page, w.t('revealed.titleFile'));
      await checkState(page, `reveal-${lang}-file`, problems);
    } finally {
      await page.close();
    }
    expect(problems).toEqual([]);
  });

  it('the web composer fits 360 px, empty and with a new link, and shows words for every key', async () => {
    const problems: string[] = [];
    const page = await openIn(lang, `${relay.origin}/`);
    try {
      await page.locator('main[data-ready]').waitFor({ timeout: 30_000 });
      await checkState(page, `composer-${lang}-empty`, problems);
      await page.locator('#file').setInputFiles({ name: LONG_FILE_NAME, mimeType: 'application/pdf', buffer: Buffer.alloc(3000) });
      await page.locator('#file-name').waitFor();
      await checkState(page, `composer-${lang}-file`, problems);
      await page.locator('.file-card button').click();
      await page.locator('#secret').fill(SECRET);
      await page.locator('#passphrase').fill('correct horse battery staple');
      await page.getByRole('button', { name: w.t('composer.create') }).click();
      await page.locator('#link').waitFor({ timeout: 60_000 });
      await page.getByRole('button', { name: w.t('result.showQr') }).click();
      await page.locator('svg.qr path').waitFor({ timeout: 30_000 });
      await checkState(page, `composer-${lang}-link`, problems);
    } finally {
      await page.close();
    }
    expect(problems).toEqual([]);
  });
});

describe('Arabic, right to left', () => {
  const direction = (page: Page, selector: string) => page.locator(selector).evaluate((el) => getComputedStyle(el).direction);

  it('keeps the composer’s new link left to right and exactly the link', async () => {
    const w = words('ar');
    const page = await openIn('ar', `${relay.origin}/`);
    try {
      await page.locator('main[data-ready]').waitFor({ timeout: 30_000 });
      expect(await direction(page, 'body')).toBe('rtl');
      await page.locator('#secret').fill('token-ABC_123');
      expect(await direction(page, '#secret')).toBe('ltr');
      await page.getByRole('button', { name: w.t('composer.create') }).click();
      const link = page.locator('#link');
      await link.waitFor({ timeout: 60_000 });
      expect(await direction(page, '#link')).toBe('ltr');
      expect(await link.inputValue()).toMatch(new RegExp(`^${relay.origin}/s/[A-Za-z0-9_-]{22}#[A-Za-z0-9_-]{43}$`));
    } finally {
      await page.close();
    }
  });
});

describe('the language switcher', () => {
  it('changes the reveal page’s language in place: the revealed secret stays, nothing is asked again', async () => {
    const secret = await createTestSecret(relay.origin, { text: SECRET });
    const page = await openIn('en', secret.link);
    const api: string[] = [];
    page.on('request', (r) => {
      if (new URL(r.url()).pathname.startsWith('/api/')) api.push(`${r.method()} ${new URL(r.url()).pathname}`);
    });
    try {
      await heading(page, words('en').t('waiting.title'));
      await page.getByRole('button', { name: words('en').t('waiting.reveal') }).click();
      await heading(page, words('en').t('revealed.titleText'));
      await page.getByLabel(words('en').t('language.switcher')).selectOption('de');
      await page.locator('html[lang="de"]').waitFor();
      await heading(page, words('de').t('revealed.titleText'));
      expect(await page.locator('.secret pre').textContent()).toBe(SECRET);
      expect(await page.title()).toBe(words('de').t('page.title'));
      expect(api).toEqual([`POST /api/secrets/${secret.id}/reveal`]);
      expect(await page.evaluate((key) => localStorage.getItem(key), LANGUAGE_KEY)).toBe('de');
      // The choice holds for the next page: after a reload (the key is gone) the note is in German.
      await page.reload();
      await heading(page, words('de').t('revealedHere.title'));
    } finally {
      await page.close();
    }
  });

  it('changes the composer’s language in place, keeping what was typed', async () => {
    const page = await openIn('en', `${relay.origin}/`);
    try {
      await page.locator('main[data-ready]').waitFor({ timeout: 30_000 });
      await page.locator('#secret').fill(SECRET);
      // A failure on screen: offline when Create is pressed.
      await browser.context.setOffline(true);
      try {
        await page.getByRole('button', { name: words('en').t('composer.create') }).click();
        await page
          .getByRole('alert')
          .filter({ hasText: words('en').t('failure.offline.title') })
          .waitFor();
      } finally {
        await browser.context.setOffline(false);
      }
      await page.getByLabel(words('en').t('language.switcher')).focus();
      await page.keyboard.press('End'); // the last language, by keyboard only
      await page.locator('html[lang="ar"]').waitFor();
      expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
      expect(await page.getByRole('button', { name: words('ar').t('composer.create') }).isVisible()).toBe(true);
      expect(await page.locator('#secret').inputValue()).toBe(SECRET);
      // The failure is in Arabic now, and focus stayed on the switcher (a new language is not a new failure).
      await page
        .getByRole('alert')
        .filter({ hasText: words('ar').t('failure.offline.title') })
        .waitFor();
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('language');
    } finally {
      await page.close();
    }
  });

  it('shows the language chosen last when an earlier choice’s catalogue arrives after it', async () => {
    const page = await openIn('en', `${relay.origin}/`);
    try {
      await page.locator('main[data-ready]').waitFor({ timeout: 30_000 });
      // German's catalogue is held back until French, picked after it, is on screen.
      let releaseGerman = () => {};
      const germanHeld = new Promise<void>((resolve) => {
        releaseGerman = resolve;
      });
      await page.route('**/de.json', async (route) => {
        await germanHeld;
        await route.continue();
      });
      await page.locator('#language').selectOption('de');
      await page.locator('#language').selectOption('fr');
      await page.locator('html[lang="fr"]').waitFor({ timeout: 30_000 });
      const germanArrived = page.waitForResponse('**/de.json');
      releaseGerman();
      await germanArrived;
      // The page has read German's catalogue (its resource entry is complete) and had time to act on it.
      await page.waitForFunction(() => performance.getEntriesByType('resource').some((e) => e.name.endsWith('/de.json')));
      await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 200)));
      expect(await page.locator('html').getAttribute('lang')).toBe('fr');
      expect(await page.getByRole('button', { name: words('fr').t('composer.create') }).isVisible()).toBe(true);
      expect(await page.title()).toBe(words('fr').t('webComposer.pageTitle'));
    } finally {
      await page.close();
    }
  });
});
