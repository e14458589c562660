// axe-core on every state of the reveal page served by the real relay, in
// Debian's Chromium: light and dark, 1280 and 360 px, in each language of
// LOCALES. One browser, one page, the states walked in order (reveal-walk);
// and the keyboard-only walk with the focus ring checked at every Tab stop.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { checkState, LOCALES } from '../../test-support/axe.js';
import { type LaunchedBrowser, launchChromium, pageLanguageApplied, usePageLanguage } from '../../test-support/browser.js';
import { BUILDS, requireBuilds } from '../../test-support/builds.js';
import { REVEAL_DIST as dist, type RunningRelay, startRelay } from '../../test-support/relay.js';
import { walkRevealByKeyboard, walkRevealStates } from '../../test-support/reveal-walk.js';

let relay: RunningRelay;
let browser: LaunchedBrowser;

beforeAll(async () => {
  requireBuilds(BUILDS.revealPage);
  relay = await startRelay({ staticDir: dist, env: { PSST_RATE_LIMIT_READ: '0', PSST_RATE_LIMIT_CREATE: '0' } });
  browser = await launchChromium();
  await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: relay.origin });
});

afterAll(async () => {
  await browser?.close();
  await relay?.stop();
});

describe.each(LOCALES)('the reveal page with axe-core (%s)', (locale) => {
  // Four axe runs per state: minutes when the machine is busy, seconds when it is not.
  it('has no serious or critical violation in any state, light and dark, at 1280 and 360 px', { timeout: 180_000 }, async () => {
    const page: Page = await browser.context.newPage();
    await usePageLanguage(page, locale);
    try {
      await walkRevealStates({
        page,
        origin: relay.origin,
        async open(link) {
          await page.goto(link);
          await pageLanguageApplied(page, locale);
        },
        startRelay: (env) => startRelay({ staticDir: dist, env }),
        check: (state) => checkState(page, `reveal page: ${state} (${locale})`),
      });
    } finally {
      await page.close();
    }
  });
});

describe('the reveal page with the keyboard only', () => {
  it('Tab reaches the passphrase, Enter reveals, Tab reaches Copy and Space copies, focus always shown', async () => {
    const page = await browser.context.newPage();
    try {
      await walkRevealByKeyboard(page, relay.origin, (link) => page.goto(link).then(() => {}));
    } finally {
      await page.close();
    }
  });
});
