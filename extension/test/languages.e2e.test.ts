// The extension in each of its languages, in Debian's Chromium with the built
// chrome-mv3: the browser's UI language (--lang) picks the catalogue; the
// popup (at its own width), the options page and the extension's reveal page
// (waiting, then revealed) at 360 px render without a raw key and without an
// element overflowing, and are saved as screenshots in
// artifacts/extension/languages/. In Arabic the layout mirrors while the
// secret and the link fields stay left to right.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { entryFromCreate } from '@psst/client/history';
import { createTranslator, type LanguageCode, languageOf } from '@psst/i18n';
import { readLanguage } from '@psst/i18n/catalogue-files';
import { LANGUAGES, SOURCE_LANGUAGE } from '@psst/i18n/languages';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestSecret, type RunningRelay, startRelay } from '../../test-support/relay';
import { revealPageUrl } from '../lib/reveal-links';
import { artifacts, type ExtensionBrowser, launchWithExtension, requireBuilds, revealDist, settledHeading } from './reveal-support';

declare const chrome: typeof import('wxt/browser').browser;

const shots = join(artifacts, 'languages');
/** Dotted keys of every area: none may show as text (a missing message shows its key). */
const KEYS = Object.keys(readLanguage(SOURCE_LANGUAGE)).filter((key) => key.includes('.'));
const SECRET_TEXT = 'correct horse battery staple\nمرحبا → ok';

let relay: RunningRelay;

beforeAll(async () => {
  requireBuilds();
  mkdirSync(shots, { recursive: true });
  relay = await startRelay({ staticDir: revealDist });
});

afterAll(async () => {
  await relay?.stop();
});

interface Overflow {
  element: string;
  text: string;
  why: string;
}

/**
 * Elements that stick out of the viewport sideways, or whose content is wider
 * than their box without a scrollbar to reach it; form fields (their value
 * scrolls inside), scroll containers and deliberate ellipses are fine.
 */
function findOverflows(): Overflow[] {
  const width = document.documentElement.clientWidth;
  const found: Overflow[] = [];
  const describe = (el: Element) =>
    `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.classList.length ? `.${[...el.classList].join('.')}` : ''}`;
  if (document.documentElement.scrollWidth > width + 1) {
    found.push({ element: 'html', text: '', why: `page scrolls sideways: ${document.documentElement.scrollWidth} > ${width}` });
  }
  for (const el of document.body.querySelectorAll('*')) {
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    const box = el.getBoundingClientRect();
    // Nothing drawn, or visually hidden on purpose (sr-only text is 1 px and clipped).
    if (box.width <= 1 || box.height <= 1) continue;
    const text = (el.textContent ?? '').trim().slice(0, 60);
    if (box.right > width + 1 || box.left < -1) {
      found.push({
        element: describe(el),
        text,
        why: `outside the viewport: ${Math.round(box.left)}..${Math.round(box.right)} of ${width}`,
      });
      continue;
    }
    if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement) continue;
    if (['auto', 'scroll'].includes(style.overflowX) || style.textOverflow === 'ellipsis') continue;
    if (el instanceof HTMLElement && el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1) {
      found.push({ element: describe(el), text, why: `content ${el.scrollWidth} px wide in a ${el.clientWidth} px box` });
    }
  }
  return found;
}

async function check(page: Page, lang: LanguageCode, name: string): Promise<void> {
  await page.screenshot({ path: join(shots, `${lang}-${name}.png`), fullPage: true });
  expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual([lang, languageOf(lang).dir]);
  // The text as shown: innerText, as textContent would also read hidden templates and styles.
  // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is what is checked
  const text = await page.evaluate(() => document.body.innerText);
  expect(
    KEYS.filter((key) => text.includes(key)),
    `${lang} ${name}: keys shown instead of words`,
  ).toEqual([]);
  expect(await page.evaluate(findOverflows), `${lang} ${name}: overflowing elements`).toEqual([]);
}

/** Where an element starts, as a share of the page width (0 = left edge). */
const startOf = (page: Page, selector: string) =>
  page
    .locator(selector)
    .first()
    .evaluate((el) => el.getBoundingClientRect().left / document.documentElement.clientWidth);
const directionOf = (page: Page, selector: string) =>
  page
    .locator(selector)
    .first()
    .evaluate((el) => getComputedStyle(el).direction);

describe.each(LANGUAGES.map((language) => language.code))('the extension in %s', (lang) => {
  const words = createTranslator(lang, readLanguage(lang));
  const rtl = languageOf(lang).dir === 'rtl';
  let ext: ExtensionBrowser;

  beforeAll(async () => {
    ext = await launchWithExtension({ lang });
    const secret = await createTestSecret(relay.origin, { text: 'for the popup' });
    const entry = entryFromCreate(
      relay.origin,
      { id: secret.id, manageToken: secret.manageToken, expiresAt: secret.expiresAt },
      { views: 1, label: 'Wi-Fi' },
      new Date(),
    );
    await ext.worker.evaluate(async ({ relayUrl, history }) => chrome.storage.local.set({ relayUrl, history }), {
      relayUrl: relay.origin,
      history: [entry],
    });
  });

  afterAll(async () => {
    await ext?.close();
  });

  it('is the language the browser asked for', async () => {
    expect(await ext.worker.evaluate(() => (chrome.i18n.getMessage as (name: string) => string)('language_code'))).toBe(lang);
  });

  it('fits the popup at its own width', async () => {
    const page = await ext.context.newPage();
    await page.setViewportSize({ width: 380, height: 720 });
    await page.goto(`chrome-extension://${ext.extensionId}/popup.html`);
    await page.locator('#open-link').waitFor();
    await page.locator('.history .entry-text').first().waitFor();
    await check(page, lang, 'popup');
    expect(await directionOf(page, '#open-link')).toBe('ltr');
    // The title sits at the start of the line: the left in English, the right in Arabic.
    expect((await startOf(page, 'h1')) > 0.5).toBe(rtl);
    // The new link, its facts and what the recipient will see.
    await page.locator('#secret').fill('a secret for the screenshot');
    await page.locator('.composer button[type="submit"]').click();
    await page.locator('#result-title').waitFor();
    expect(await page.locator('#link').inputValue()).toMatch(/#/);
    await check(page, lang, 'popup-link');
    expect(await directionOf(page, '#link')).toBe('ltr');
    await page.close();
  });

  it('fits the options page at 360 px', async () => {
    const page = await ext.context.newPage();
    await page.setViewportSize({ width: 360, height: 780 });
    await page.goto(`chrome-extension://${ext.extensionId}/options.html`);
    await page.locator('#relay').waitFor();
    expect(await page.title()).toBe(words.t('options.title'));
    await check(page, lang, 'options');
    expect(await directionOf(page, '#relay')).toBe('ltr');
    // The longest words of the page: a refused address (plain http to another computer), nothing asked or saved.
    await page.locator('#relay').fill('http://relay.example');
    await page.locator('#relay').press('Enter');
    await page.getByText(words.t('shareFailure.badRelayUrl.insecure')).waitFor();
    await check(page, lang, 'options-refused');
    await page.close();
  });

  it('fits the reveal page at 360 px when it asks for a host psst does not hold', async () => {
    const link = `${relay.origin.replace('127.0.0.1', 'localhost')}/s/${'A'.repeat(22)}#${'k'.repeat(43)}`;
    const page = await ext.context.newPage();
    await page.setViewportSize({ width: 360, height: 780 });
    await page.goto(revealPageUrl(`chrome-extension://${ext.extensionId}/reveal.html`, link));
    const host = new URL(link).host;
    await page.getByRole('heading', { level: 1, name: words.t('revealHost.allowTitle', { host }) }).waitFor();
    await check(page, lang, 'reveal-permission');
    await page.close();
  });

  it('fits the reveal page at 360 px, waiting and revealed, with the secret left to right', async () => {
    const secret = await createTestSecret(relay.origin, { text: SECRET_TEXT });
    const page = await ext.context.newPage();
    await page.setViewportSize({ width: 360, height: 780 });
    await page.goto(revealPageUrl(`chrome-extension://${ext.extensionId}/reveal.html`, secret.link));
    expect(await settledHeading(page, words.t('looking.title'))).toBe(words.t('waiting.title'));
    await check(page, lang, 'reveal-waiting');
    await page.getByRole('button', { name: words.t('waiting.reveal') }).click();
    await page.locator('pre').waitFor();
    expect(await page.locator('pre').textContent()).toBe(SECRET_TEXT);
    await check(page, lang, 'reveal-revealed');
    expect(await directionOf(page, 'pre')).toBe('ltr');
    await page.close();
  });
});
