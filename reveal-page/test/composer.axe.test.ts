// axe-core on every state of the web composer served by the real relay, in
// Debian's Chromium: light and dark, 1280 and 360 px, in each language of
// LOCALES. One browser, one page, the states walked in order; they are found
// by structure (ids, roles, classes), not by English words. Then the keyboard
// walk with the focus ring checked at every Tab stop.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkState, expectTabReachesWithRing, holdRequests, LOCALES, showYourLinks, tabUntil } from '../../test-support/axe.js';
import { type LaunchedBrowser, launchChromium, pageLanguageApplied, usePageLanguage } from '../../test-support/browser.js';
import { BUILDS, requireBuilds } from '../../test-support/builds.js';
import { REVEAL_DIST as dist, type RunningRelay, startRelay } from '../../test-support/relay.js';

let relay: RunningRelay;
let closed: RunningRelay;
let browser: LaunchedBrowser;

beforeAll(async () => {
  requireBuilds(BUILDS.composer);
  [relay, closed] = await Promise.all([
    startRelay({ staticDir: dist, env: { PSST_RATE_LIMIT_READ: '0', PSST_RATE_LIMIT_CREATE: '0' } }),
    startRelay({ staticDir: dist, env: { PSST_CREATE_ENABLED: 'false' } }),
  ]);
  browser = await launchChromium();
  await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: relay.origin });
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([relay?.stop(), closed?.stop()]);
});

const ready = (page: Page) => page.locator('main[data-ready][aria-busy="false"]').waitFor({ timeout: 30_000 });
const submit = (page: Page) => page.locator('form.composer button[type="submit"]');

describe.each(LOCALES)('the web composer with axe-core (%s)', (locale) => {
  // Four axe runs per state: minutes when the machine is busy, seconds when it is not.
  it('has no serious or critical violation in any state, light and dark, at 1280 and 360 px', { timeout: 180_000 }, async () => {
    const page = await browser.context.newPage();
    await usePageLanguage(page, locale);
    const check = (state: string) => checkState(page, `web composer: ${state} (${locale})`);
    try {
      const settings = await holdRequests(page, 'GET', /^\/api\/config$/);
      await page.goto(`${relay.origin}/`);
      await pageLanguageApplied(page, locale);
      await settings.arrived;
      await page.locator('main[aria-busy="true"]').waitFor();
      await check('loading the settings');
      await settings.release();
      await ready(page);
      await check('empty');

      await submit(page).click();
      await page.locator('#secret-empty').waitFor();
      await check('nothing to share');

      await page.locator('#secret').fill('correct horse battery staple');
      await page.locator('#passphrase').fill('abc');
      await page.locator('.strength-weak').waitFor();
      await check('filled, weak passphrase');
      await page.locator('#passphrase').fill('violet-harbor 7 lantern');
      await page.locator('#label').fill('Wi-Fi for Sam');
      await check('filled');

      const upload = await holdRequests(page, 'POST', /^\/api\/secrets$/);
      await submit(page).click();
      await upload.arrived;
      await page.locator('main[aria-busy="true"] form.composer progress').waitFor();
      await check('uploading');
      await upload.release();
      await page.locator('#link').waitFor({ timeout: 30_000 });
      await check('link created');
      await page.locator('.result button[aria-expanded]').click();
      await page.locator('.result [role="img"]').waitFor();
      const created = await page.locator('.result h2').textContent();
      await page.locator('.result .row button.primary').click();
      await page
        .locator('.result h2')
        .filter({ hasNotText: created ?? '' })
        .waitFor();
      await check('link with QR code, copied');

      const yourLinks = await showYourLinks(page, check);

      await page
        .locator('#file')
        .setInputFiles({ name: 'too big.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(1_100_000) });
      await page.locator('.file-card').waitFor();
      await page.locator('form.composer > p.error[role="alert"]').waitFor();
      await check('file too large');
      await page.locator('.file-card button').click();

      await page.locator('#secret').fill('wait for the network');
      await browser.context.setOffline(true);
      try {
        await submit(page).click();
        await page.locator('.problem').waitFor();
        await check('offline');
      } finally {
        await browser.context.setOffline(false);
      }

      await yourLinks.revoke();

      await page.goto(`${closed.origin}/new`);
      await pageLanguageApplied(page, locale);
      await ready(page);
      await page.locator('.problem').waitFor();
      await check('creation switched off');
    } finally {
      await page.close();
    }
  });
});

describe('the web composer with the keyboard only', () => {
  it('Tab reaches every control with its focus shown; Enter creates, Space copies and opens the QR code, Your links too', async () => {
    const page = await browser.context.newPage();
    try {
      await page.goto(`${relay.origin}/`);
      await ready(page);
      await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('secret');
      await page.keyboard.type('typed with keys only');
      await expectTabReachesWithRing(
        page,
        [
          '#secret',
          'form.composer .row button.secondary',
          '#ttl',
          '#views',
          '#passphrase',
          '#label',
          'form.composer button[type="submit"]',
        ],
        'the composer',
      );
      await tabUntil(page, 'form.composer button[type="submit"]', 'Create link');
      await page.keyboard.press('Enter');
      await page.locator('#link').waitFor({ timeout: 30_000 });
      await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('link');
      await expectTabReachesWithRing(
        page,
        ['#link', '.result .row button.primary', '.result button[aria-expanded]', '.history li button'],
        'the new link and Your links',
      );
      await tabUntil(page, '.result .row button.primary', 'Copy');
      const before = await page.locator('.result h2').textContent();
      await page.keyboard.press('Space');
      await page
        .locator('.result h2')
        .filter({ hasNotText: before ?? '' })
        .waitFor();
      await tabUntil(page, '.result button[aria-expanded]', 'Show QR code');
      await page.keyboard.press('Space');
      await page.locator('.result [role="img"]').waitFor();
      await tabUntil(page, '.history li.state-waiting button', 'Revoke');
      const id = await page.evaluate(() => document.activeElement?.closest('li')?.dataset.id);
      await page.keyboard.press('Enter');
      await page.locator(`.history li.state-deleted[data-id="${id}"]`).waitFor();
    } finally {
      await page.close();
    }
  });
});
