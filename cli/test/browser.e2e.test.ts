// A link made by the command line opens in the reveal page, in Debian's
// Chromium, served by the real relay: the recipient needs no psst at all.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LaunchedBrowser, launchChromium } from '../../test-support/browser.js';
import { BUILDS, requireBuilds } from '../../test-support/builds.js';
import { type RunningRelay, REVEAL_DIST as revealDist, startRelay } from '../../test-support/relay.js';
import { makeHome, type PsstHome, runPsst } from './run-psst.js';

let relay: RunningRelay;
let browser: LaunchedBrowser;
let home: PsstHome;

beforeAll(async () => {
  requireBuilds(BUILDS.revealPage);
  relay = await startRelay({ staticDir: revealDist });
  browser = await launchChromium();
  home = makeHome(relay.origin);
});

afterAll(async () => {
  await browser?.close();
  await relay?.stop();
  home?.remove();
});

const reveal = (page: import('playwright-core').Page) => page.getByRole('button', { name: /reveal/i }).click({ timeout: 30_000 });

describe('psst create → the reveal page in Chromium', () => {
  it('reveals exactly the text that was piped in', async () => {
    const text = 'from the terminal ✓\n  indented\tand tabbed';
    const link = (await runPsst([], { home, input: text })).out.trim();
    const page = await browser.context.newPage();
    await page.goto(link);
    await reveal(page);
    await page.locator('.secret pre').waitFor({ timeout: 30_000 });
    expect(await page.locator('.secret pre').textContent()).toBe(text);
    await page.close();
    // Spent in the browser: the CLI now hears it was viewed.
    const again = await runPsst(['open', '--yes', link], { home });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('This secret was already viewed');
  });

  it('offers a file made from a pipe as a download with its name and exact bytes', async () => {
    const bytes = randomBytes(5000);
    const link = (await runPsst(['--file-name', 'backup.tar.gz'], { home, input: bytes })).out.trim();
    const page = await browser.context.newPage();
    await page.goto(link);
    await reveal(page);
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('a[download]').click({ timeout: 30_000 })]);
    expect(download.suggestedFilename()).toBe('backup.tar.gz');
    expect(Buffer.compare(readFileSync(await download.path()), bytes)).toBe(0);
    await page.close();
  });
});
