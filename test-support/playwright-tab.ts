// A tab driven by playwright-core (Chromium) with the reads and waits the
// browser suites share: the RevealTab of reveal-page/test/reveal-cases.ts, as
// test-support/firefox.ts's firefoxTab is for puppeteer and Firefox.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

const WAIT_MS = 30_000;

/** Evaluates `fn(arg)` in the page every 50 ms until it returns something truthy (surviving navigations), and returns that. */
async function poll<T, A>(page: Page, fn: (arg: A) => T, arg: A, what: string): Promise<NonNullable<T>> {
  const end = Date.now() + WAIT_MS;
  let last: unknown;
  for (;;) {
    try {
      const value = (await page.evaluate(fn as (arg: unknown) => T, arg as unknown)) as T;
      if (value) return value as NonNullable<T>;
      last = value;
    } catch (error) {
      last = error; // the document is being replaced: try again in the next one
    }
    if (Date.now() > end) throw new Error(`timed out after ${WAIT_MS} ms waiting for ${what} (last: ${String(last)}; at ${page.url()})`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** `loading` is the heading shown before the page has looked the link up. */
export function playwrightTab(page: Page, options: { loading: string }) {
  return {
    page,
    settledHeading(): Promise<string> {
      return poll(
        page,
        (loading: string) => {
          const text = document.querySelector('h1')?.textContent;
          return text && text !== loading ? text : '';
        },
        options.loading,
        'a heading other than the loading one',
      );
    },
    async waitForHeading(title: string): Promise<void> {
      await poll(page, (t: string) => document.querySelector('h1')?.textContent === t, title, `the heading ${JSON.stringify(title)}`);
    },
    async waitForText(selector: string, text: string): Promise<void> {
      await poll(
        page,
        ([s, t]: [string, string]) => [...document.querySelectorAll(s)].some((e) => e.textContent === t),
        [selector, text] as [string, string],
        `${selector} reading ${JSON.stringify(text)}`,
      );
    },
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
