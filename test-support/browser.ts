// Launches Debian's Chromium through playwright-core with the flags that work
// on this machine's closed network, in a fresh profile. Shared by the browser
// tests of the reveal page and the extension.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.PSST_CHROMIUM ?? '/usr/bin/chromium';

const FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface LaunchedBrowser {
  context: BrowserContext;
  /** The profile folder (its History database, session files…), removed by close() unless kept. */
  profileDir: string;
  close(options?: { keepProfile?: boolean }): Promise<void>;
}

/** A persistent context (needed for extensions), optionally with an unpacked extension loaded. */
export async function launchChromium(
  options: {
    extensionDir?: string;
    colorScheme?: 'light' | 'dark';
    /**
     * The browser's UI language (`--lang`, e.g. "fr", "pt-BR"): picks the extension's _locales catalogue. Measured in
     * headless Chromium: getMessage follows it, while i18n.getUILanguage(), @@bidi_dir and navigator.language stay
     * en-US; the LANGUAGE variable alone changes nothing.
     */
    lang?: string;
  } = {},
): Promise<LaunchedBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'psst-chromium-'));
  const args = [...FLAGS];
  if (options.lang) args.push(`--lang=${options.lang}`);
  if (options.extensionDir) args.push(`--disable-extensions-except=${options.extensionDir}`, `--load-extension=${options.extensionDir}`);
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: false, // --headless=new is passed in args; playwright's own flag would add the old mode
    args,
    colorScheme: options.colorScheme ?? 'light',
    timeout: 60_000,
  });
  return {
    context,
    profileDir: profile,
    async close({ keepProfile = false } = {}) {
      await context.close().catch(() => {});
      if (!keepProfile) rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Screenshots of a page's current state at 1280 and 360 px, light and dark, as `{dir}/{name}-{width}-{scheme}.png`; the page is left at 1280 px, light. */
export async function screenshotStates(page: Page, dir: string, name: string): Promise<void> {
  for (const [label, viewport] of [
    ['1280', { width: 1280, height: 900 }],
    ['360', { width: 360, height: 780 }],
  ] as const) {
    await page.setViewportSize(viewport);
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.screenshot({ path: join(dir, `${name}-${label}-${scheme}.png`), fullPage: true });
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1280, height: 900 });
}

/**
 * The pages' language (reveal page, web composer), chosen as the language switcher remembers it: the
 * localStorage key "psst.language" (reveal-page/src/language.ts, LANGUAGE_KEY), set before the first
 * load of each origin in this tab; what the switcher chooses after that holds across reloads. Call once
 * per page, before the first navigation; then `pageLanguageApplied` after each.
 */
export async function usePageLanguage(page: Page, locale: string): Promise<void> {
  await page.addInitScript((lang) => {
    // Runs in the page; typed here without the DOM library (test-support is also checked with the relay's, which has none).
    type Store = { getItem(key: string): string | null; setItem(key: string, value: string): void };
    try {
      // Inside the try: on an opaque origin even reading the property throws.
      const { sessionStorage, localStorage } = globalThis as unknown as { sessionStorage: Store; localStorage: Store };
      if (sessionStorage.getItem('test:language-set')) return;
      sessionStorage.setItem('test:language-set', '1');
      localStorage.setItem('psst.language', lang);
    } catch {
      // An opaque origin (about:blank) has no storage; the pages themselves do.
    }
  }, locale);
}

/** Waits until the page shows `locale`: the pages (and the extension's) set <html lang> once its words are installed. */
export async function pageLanguageApplied(page: Page, locale: string): Promise<void> {
  await page.locator(`html[lang="${locale}"]`).waitFor({ state: 'attached', timeout: 30_000 });
}
