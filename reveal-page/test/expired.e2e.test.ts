// Expiry end to end: the relay's own code, started in-process with a clock
// the test can move forward (the child-process relay has no clock to inject),
// on a real SQLite file and a real HTTP listener serving the built page.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strings } from '@psst/reveal-ui/strings';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../relay/src/config.js';
import { silentLogger } from '../../relay/src/logger.js';
import { type RelayServer, startRelayServer } from '../../relay/src/server.js';
import { type LaunchedBrowser, launchChromium } from '../../test-support/browser.js';
import { BUILDS, requireBuilds } from '../../test-support/builds.js';
import { createTestSecret, REVEAL_DIST as dist } from '../../test-support/relay.js';

let relay: RelayServer;
let origin: string;
let dataDir: string;
let browser: LaunchedBrowser;
/** How far the relay's clock runs ahead of the real one. */
let skewMs = 0;

beforeAll(async () => {
  requireBuilds(BUILDS.revealPage);
  dataDir = mkdtempSync(join(tmpdir(), 'psst-reveal-expiry-'));
  const { config } = loadConfig({
    PSST_HOST: '127.0.0.1',
    PSST_PORT: '0',
    PSST_METRICS_HOST: '127.0.0.1',
    PSST_METRICS_PORT: '0',
    PSST_DB_PATH: join(dataDir, 'psst.db'),
    PSST_STATIC_DIR: dist,
    PSST_HTTP_ENGINE: 'node',
    PSST_RATE_LIMIT_READ: '0',
    PSST_RATE_LIMIT_CREATE: '0',
  });
  relay = await startRelayServer({ config, logger: silentLogger, now: () => Date.now() + skewMs });
  origin = `http://127.0.0.1:${relay.port}`;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await relay?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const heading = (page: import('playwright-core').Page, name: string) =>
  page.getByRole('heading', { level: 1, name }).waitFor({ timeout: 30_000 });

describe('an expired secret in Chromium', () => {
  it('is announced as expired when the link is opened after the expiry', async () => {
    skewMs = 0;
    const secret = await createTestSecret(origin, { text: 'too late', ttl: 60 });
    const page = await browser.context.newPage();
    await page.goto(secret.link);
    await heading(page, strings.waiting.title);
    expect(await page.getByText(/It expires in (less than a minute|1 minute)/).isVisible()).toBe(true);

    skewMs = 61_000;
    await page.reload();
    await heading(page, strings.gone.expired.title);
    expect(await page.getByRole('button').count()).toBe(0);
    await page.close();
  });

  it('says expired, not an error, when the secret expires while the page waits for the click', async () => {
    skewMs = 0;
    const secret = await createTestSecret(origin, { text: 'also too late', ttl: 60 });
    const page = await browser.context.newPage();
    await page.goto(secret.link);
    await heading(page, strings.waiting.title);
    skewMs = 120_000;
    await page.getByRole('button', { name: strings.waiting.reveal }).click();
    await heading(page, strings.gone.expired.title);
    expect(page.url()).toContain('#'); // nothing was revealed, so the key stays for a retry
    await page.close();
  });
});
