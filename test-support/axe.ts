// axe-core (through @axe-core/playwright) on a page's current state, in every
// colour scheme and width the pages are made for. Shared by the *.axe.test.ts
// suites: each walks its surface's states in one page and calls checkState.
import { AxeBuilder } from '@axe-core/playwright';
import axe, { type Result } from 'axe-core';
import type { Page, Route } from 'playwright-core';
import { expect } from 'vitest';

/** Impacts that fail a test; minor and moderate findings are printed, not asserted. */
const FAILING = new Set(['serious', 'critical']);

export const COLOR_SCHEMES = ['light', 'dark'] as const;
export const VIEWPORTS = [
  { name: '1280', width: 1280, height: 900 },
  { name: '360', width: 360, height: 780 },
] as const;

/**
 * The languages every state is checked in: English, and Arabic for the right-to-left layout. The
 * reveal page and the web composer choose it through browser.ts's `usePageLanguage`; the extension speaks
 * the browser's UI language, so its suite launches one Chromium per language (`--lang`).
 */
export const LOCALES: readonly string[] = ['en', 'ar'];

/**
 * AxeBuilder sends axe-core's 600 kB source with every analyze (twice), which is most of its time; the
 * pages get it once instead (an init script, so every document has it, CSP or not) and the builder
 * sends this comment in its place.
 */
const AXE_ALREADY_THERE = '/* axe-core: added to every document of this page by ensureAxe */';
const withAxe = new WeakSet<Page>();

async function ensureAxe(page: Page): Promise<void> {
  if (!withAxe.has(page)) {
    await page.addInitScript({ content: axe.source });
    withAxe.add(page);
  }
  // A document that was already there before the init script (or replaced by an error page) gets it now.
  if (!(await page.evaluate(() => typeof (window as { axe?: unknown }).axe === 'object'))) await page.evaluate(axe.source);
}

/** Violations of one state, one line per rule and node, each with the widths and schemes it was seen in. */
class Findings {
  readonly #seen = new Map<string, string[]>();

  add(where: string, violations: Result[]): void {
    for (const v of violations)
      for (const node of v.nodes) {
        const summary = node.failureSummary ? ` | ${node.failureSummary.replace(/\s+/g, ' ')}` : '';
        const key = `${v.id} (${v.impact}) at ${node.target.join(' ')}: ${v.help}${summary}`;
        this.#seen.set(key, [...(this.#seen.get(key) ?? []), where]);
      }
  }

  get size(): number {
    return this.#seen.size;
  }

  lines(label: string): string[] {
    return [...this.#seen].map(([key, where]) => `${label} [${where.join(', ')}]: ${key}`);
  }
}

/**
 * Runs axe on the page as it is now, in light and dark at 1280 and 360 px. Every serious or critical
 * violation fails the test, as a readable list (rule, impact, target, what to fix), at the test's end:
 * the walk goes on, so one run lists the violations of every state. Minor and moderate ones are
 * printed. The page is left light at 1280 px. `label` names the state, e.g. "reveal page: waiting (en)".
 */
export async function checkState(page: Page, label: string, options: { exclude?: string[] } = {}): Promise<void> {
  const failing = new Findings();
  const minor = new Findings();
  let runs = 0;
  for (const viewport of VIEWPORTS) {
    await page.setViewportSize({ width: viewport.width, height: viewport.height });
    for (const scheme of COLOR_SCHEMES) {
      await page.emulateMedia({ colorScheme: scheme });
      await ensureAxe(page);
      // Legacy mode runs axe.run in the page itself: no frames to visit, and no blank page opened per run.
      let builder = new AxeBuilder({ page, axeSource: AXE_ALREADY_THERE }).setLegacyMode(true);
      for (const selector of options.exclude ?? []) builder = builder.exclude(selector);
      const { violations, passes } = await builder.analyze();
      expect(passes.length, `axe checked nothing on ${label}`).toBeGreaterThan(0);
      runs++;
      const where = `${viewport.name} px ${scheme}`;
      failing.add(
        where,
        violations.filter((v) => FAILING.has(v.impact ?? '')),
      );
      minor.add(
        where,
        violations.filter((v) => !FAILING.has(v.impact ?? '')),
      );
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1280, height: 900 });
  if (minor.size > 0) console.log(`axe, minor or moderate (not failing):\n${minor.lines(label).join('\n')}`);
  expect(runs).toBe(VIEWPORTS.length * COLOR_SCHEMES.length);
  expect.soft(failing.size, `axe found serious or critical violations:\n${failing.lines(label).join('\n')}\n`).toBe(0);
}

/**
 * Holds the page's API requests of one method and path until released, so the page stays in the state it
 * shows while it waits (each request then goes on to the real relay). `arrived` resolves with the first one.
 */
export async function holdRequests(
  page: Page,
  method: string,
  path: RegExp,
): Promise<{ arrived: Promise<void>; release(): Promise<void> }> {
  const held: Route[] = [];
  let released = false;
  let arrive = () => {};
  const arrived = new Promise<void>((resolve) => (arrive = resolve));
  const handler = (route: Route) => {
    const request = route.request();
    if (request.method() !== method) return route.fallback();
    if (released) return route.continue();
    held.push(route);
    arrive();
  };
  const matches = (url: URL) => path.test(url.pathname);
  await page.route(matches, handler);
  return {
    arrived,
    async release() {
      released = true;
      for (const route of held.splice(0)) await route.continue();
      await page.unroute(matches, handler);
    },
  };
}

/**
 * "Your links" (composer-ui's HistoryList, the links this browser created), in both hosts of the composer
 * (the popup, the web composer): from a new link shown, back to the composer, where the link waits in the
 * list; `check` runs axe on that state. The host then walks its own states with the link still waiting and
 * calls `revoke`, which revokes that link and checks the list with it revoked. Found by structure, any language.
 */
export async function showYourLinks(page: Page, check: (state: string) => Promise<void>): Promise<{ revoke(): Promise<void> }> {
  // "New secret", the last secondary button under the new link, goes back to the composer.
  await page.locator('.result .row button.secondary').last().click();
  const waiting = page.locator('.history li.state-waiting').first();
  await waiting.waitFor();
  const id = await waiting.getAttribute('data-id');
  expect(id, 'a link in Your links has a data-id').toBeTruthy();
  await check('a link waiting in Your links');
  return {
    async revoke() {
      await page.locator(`.history li.state-waiting[data-id="${id}"] button`).click();
      await page.locator(`.history li.state-deleted[data-id="${id}"]`).waitFor();
      await check('a link revoked in Your links');
    },
  };
}

export interface TabStop {
  /** tag#id.class "text", for messages. */
  element: string;
  /** A focus ring is drawn: :focus-visible matches and an outline or a box shadow shows. */
  ring: boolean;
  /** Which of the selectors asked for this element matches. */
  matched: string[];
}

/**
 * Presses Tab (only Tab) from where focus is, round the whole page, until focus comes back to the first
 * element reached (or `limit` presses), and describes every element reached on the way.
 */
export async function tabThrough(page: Page, selectors: string[] = [], limit = 40): Promise<TabStop[]> {
  const stops: TabStop[] = [];
  let first: string | null = null;
  let outside = 0;
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const stop = await page.evaluate((wanted) => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return null;
      const style = getComputedStyle(el);
      const outline = style.outlineStyle !== 'none' && Number.parseFloat(style.outlineWidth) > 0;
      const text = (el.textContent ?? '').trim().slice(0, 30);
      const classes = [...el.classList].map((c) => `.${c}`).join('');
      return {
        element: `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${classes}${text ? ` "${text}"` : ''}`,
        ring: el.matches(':focus-visible') && (outline || style.boxShadow !== 'none'),
        matched: wanted.filter((s) => el.matches(s)),
        key: `${el.tagName}|${el.id}|${[...(el.parentElement?.children ?? [])].indexOf(el)}|${text}`,
      };
    }, selectors);
    // Past the last element focus leaves the page (the body); the next Tab starts again at the top.
    if (stop === null) {
      if (++outside > 1) break;
      continue;
    }
    if (stop.key === first) break;
    first ??= stop.key;
    stops.push({ element: stop.element, ring: stop.ring, matched: stop.matched });
  }
  return stops;
}

/** Tab reaches every one of `selectors`, and every element it reaches shows where the focus is. */
export async function expectTabReachesWithRing(page: Page, selectors: string[], what: string): Promise<void> {
  const stops = await tabThrough(page, selectors);
  expect(
    stops.filter((s) => !s.ring).map((s) => s.element),
    `${what}: elements Tab reaches without a visible focus ring`,
  ).toEqual([]);
  const reached = new Set(stops.flatMap((s) => s.matched));
  expect(
    selectors.filter((s) => !reached.has(s)),
    `${what}: not reached by Tab (reached: ${stops.map((s) => s.element).join(', ')})`,
  ).toEqual([]);
}

/** Presses Tab until `matches` holds for the focused element (at most 30 times). */
export async function tabUntil(page: Page, matches: string, what: string): Promise<void> {
  for (let i = 0; i < 30; i++) {
    if (await page.evaluate((selector) => document.activeElement?.matches(selector) ?? false, matches)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${what}; focus is on ${await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 120))}`);
}

/** The focused element shows a focus ring (an outline of some width, or a box shadow). */
export async function expectFocusVisible(page: Page, what: string): Promise<void> {
  const ring = await page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el) return null;
    const style = getComputedStyle(el);
    return {
      visible: el.matches(':focus-visible'),
      outline: style.outlineStyle !== 'none' && Number.parseFloat(style.outlineWidth) > 0,
      shadow: style.boxShadow !== 'none',
    };
  });
  expect(ring, what).not.toBeNull();
  expect(ring?.visible, `${what} matches :focus-visible`).toBe(true);
  expect(ring?.outline || ring?.shadow, `${what} shows a focus ring`).toBe(true);
}
