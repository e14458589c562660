// A tab driven by playwright-core (Chromium) with the reads and waits the
// browser suites share: the RevealTab of reveal-page/test/reveal-cases.ts, as
// test-support/firefox.ts's firefoxTab is for puppeteer and Firefox. The waits
// inside the page are reveal-tab.ts's, through this browser's poll.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { type Poll, pollUntil, revealTabDriver, WAIT_MS } from './reveal-tab.js';

/** Evaluates `fn(arg)` in the page every 50 ms until it returns something truthy (surviving navigations), and returns that. */
const pollIn =
  (page: Page): Poll =>
  (fn, arg, what) =>
    pollUntil(
      () => page.evaluate(fn as (arg: unknown) => ReturnType<typeof fn>, arg as unknown),
      what,
      async () => `at ${page.url()}`,
    );

/** `loading` is the heading shown before the page has looked the link up. */
export function playwrightTab(page: Page, options: { loading: string }) {
  return {
    page,
    ...revealTabDriver(pollIn(page), options.loading),
    async click(selector: string): Promise<void> {
      await page.locator(selector).first().click({ timeout: WAIT_MS });
    },
    async fill(selector: string, value: string): Promise<void> {
      await page.locator(selector).first().fill(value, { timeout: WAIT_MS });
    },
    async press(key: 'Enter' | 'Tab'): Promise<void> {
      await page.keyboard.press(key);
    },
    async text(selector: string): Promise<string> {
      return (await page.locator(selector).first().textContent({ timeout: WAIT_MS })) ?? '';
    },
    attribute(selector: string, name: string): Promise<string | null> {
      return page.locator(selector).first().getAttribute(name, { timeout: WAIT_MS });
    },
    evaluate<T>(fn: () => T | Promise<T>): Promise<T> {
      return page.evaluate(fn);
    },
    async reload(): Promise<void> {
      await page.reload();
    },
    async download(selector: string): Promise<{ name: string; bytes: Uint8Array }> {
      const [download] = await Promise.all([page.waitForEvent('download', { timeout: WAIT_MS }), this.click(selector)]);
      return { name: download.suggestedFilename(), bytes: new Uint8Array(readFileSync(await download.path())) };
    },
    async close(): Promise<void> {
      await page.close().catch(() => {});
    },
  };
}
