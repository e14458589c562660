// End to end in Debian's Chromium against the real relay serving the built
// page: secrets are created through the HTTP API with the protocol package,
// then opened the way a recipient would. Screenshots of the main states go to
// artifacts/reveal-page/ (light and dark, 1280 px and 360 px), and the time
// from the click to the plaintext on screen is written there as timings.json.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_KDF } from '@psst/protocol/limits';
import { strings } from '@psst/reveal-ui/strings';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LaunchedBrowser, launchChromium, screenshotStates } from '../../test-support/browser.js';
import { createTestSecret, type RunningRelay, startRelay } from '../../test-support/relay.js';

const dist = join(import.meta.dirname, '../dist');
const artifacts = join(import.meta.dirname, '../../artifacts/reveal-page');
const SMALL_KDF = { log2n: 10, r: 8, p: 1 };

let relay: RunningRelay;
let browser: LaunchedBrowser;
const timings: Record<string, number> = {};

beforeAll(async () => {
  if (!existsSync(join(dist, 'index.html'))) throw new Error(`${dist} is missing: run pnpm --filter @psst/reveal-page build first`);
  mkdirSync(artifacts, { recursive: true });
  relay = await startRelay({ staticDir: dist, env: { PSST_RATE_LIMIT_READ: '0', PSST_RATE_LIMIT_CREATE: '0' } });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await relay?.stop();
  if (Object.keys(timings).length > 0) {
    writeFileSync(join(artifacts, 'timings.json'), `${JSON.stringify(timings, null, 2)}\n`);
    console.log('click → secret on screen (ms):', timings);
  }
});

interface Opened {
  page: Page;
  /** Every request the page made, in order. */
  requests: { method: string; url: string; referer: string | undefined }[];
  /** Console errors and CSP violations. */
  problems: string[];
  apiCalls(): string[];
}

async function open(link: string, viewport = { width: 1280, height: 900 }): Promise<Opened> {
  const page = await browser.context.newPage();
  await page.setViewportSize(viewport);
  const requests: Opened['requests'] = [];
  const problems: string[] = [];
  page.on('request', (r) => requests.push({ method: r.method(), url: r.url(), referer: r.headers().referer }));
  page.on('console', (m) => {
    // Chromium logs every 4xx API answer (403 wrong passphrase, 410 gone…) as a failed resource: expected here.
    if (m.type() === 'error' && !/^Failed to load resource: the server responded with a status of 4\d\d/.test(m.text()))
      problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.goto(link);
  const apiCalls = () =>
    requests.filter((r) => new URL(r.url).pathname.startsWith('/api/')).map((r) => `${r.method} ${new URL(r.url).pathname}`);
  return { page, requests, problems, apiCalls };
}

const heading = (page: Page, name: string) => page.getByRole('heading', { level: 1, name }).waitFor({ timeout: 30_000 });

/** The checks every page load must pass: own origin only, no secret material in any URL, no CSP violation. */
function expectCleanRequests(opened: Opened, secrets: string[]) {
  for (const { url, referer } of opened.requests) {
    if (url.startsWith('blob:') || url.startsWith('data:')) continue;
    expect(new URL(url).origin, url).toBe(relay.origin);
    expect(url, url).not.toContain('#');
    expect(referer ?? '', `Referer of ${url}`).toBe(''); // no-referrer: not even the origin
    for (const s of secrets) expect(url).not.toContain(s);
  }
  expect(opened.problems).toEqual([]);
}

/** Clicks Reveal and measures, in the page, the time until the secret is on screen. */
async function revealAndTime(page: Page, selector: string): Promise<number> {
  await page.evaluate((sel) => {
    const w = window as unknown as { psstT0?: number; psstT1?: Promise<number> };
    w.psstT1 = new Promise((resolve) => {
      new MutationObserver((_, observer) => {
        if (document.querySelector(sel)) {
          observer.disconnect();
          resolve(performance.now());
        }
      }).observe(document.body, { childList: true, subtree: true });
    });
    document.addEventListener('click', () => (w.psstT0 = performance.now()), { capture: true, once: true });
  }, selector);
  await page.getByRole('button', { name: strings.waiting.reveal }).click();
  await page.locator(selector).waitFor({ timeout: 60_000 });
  return page.evaluate(async () => {
    const w = window as unknown as { psstT0: number; psstT1: Promise<number> };
    return (await w.psstT1) - w.psstT0;
  });
}

async function receiptState(id: string, manageToken: string) {
  const res = await fetch(`${relay.origin}/api/secrets/${id}/receipt`, { headers: { Authorization: `Bearer ${manageToken}` } });
  return (await res.json()) as { state: string; viewsLeft: number };
}

/** Light and dark, desktop and phone, of whatever state the page is in now. */
const screenshots = (page: Page, name: string) => screenshotStates(page, artifacts, name);

describe('the reveal page in Chromium, served by the relay', () => {
  it('reveals a text only after the click, then removes the key from the address bar', async () => {
    const text = 'correct horse battery staple';
    const secret = await createTestSecret(relay.origin, { text });
    const opened = await open(secret.link);
    const { page } = opened;
    await heading(page, strings.waiting.title);
    await screenshots(page, 'waiting');

    // Nothing is consumed before the click: only Look was called, and the relay agrees.
    expect(opened.apiCalls()).toEqual([`GET /api/secrets/${secret.id}`]);
    expect(await receiptState(secret.id, secret.manageToken)).toMatchObject({ state: 'active', viewsLeft: 1 });

    timings.text = await revealAndTime(page, '.secret pre');
    expect(await page.locator('.secret pre').textContent()).toBe(text);
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
    expect(await page.getByText(strings.revealed.destroyed).isVisible()).toBe(true);
    expect(page.url()).toBe(`${relay.origin}/s/${secret.id}`);
    expect(await page.evaluate(() => location.hash)).toBe('');
    expect(opened.apiCalls()).toEqual([`GET /api/secrets/${secret.id}`, `POST /api/secrets/${secret.id}/reveal`]);
    expect(await receiptState(secret.id, secret.manageToken)).toMatchObject({ state: 'read', viewsLeft: 0 });
    await screenshots(page, 'revealed-text');

    // A reload has no key any more: the page says it was revealed here, and asks nothing of the relay.
    await page.reload();
    await heading(page, strings.revealedHere.title);
    expect(await page.getByText('You revealed it in this tab less than a minute ago').isVisible()).toBe(true);
    await screenshots(page, 'revealed-here');
    expect(opened.apiCalls()).toHaveLength(2);

    // The link itself, used again, finds the secret already viewed.
    await page.goto(secret.link);
    await heading(page, strings.gone.read.title);
    await screenshots(page, 'already-viewed');
    expectCleanRequests(opened, [secret.link.split('#')[1] as string, secret.accessToken]);
    await page.close();
  });

  it('shows multi-line Unicode text exactly as sent', async () => {
    const text =
      '  indented line\n\ttabbed\tcolumns\n\nRTL: שלום עולם\nCombining: e\u0301 n\u0303\nEmoji: 🔑🧪👩‍💻\r\nTrailing spaces   \n<b>not bold</b> & &amp;\n';
    const secret = await createTestSecret(relay.origin, { text, views: 1 });
    const opened = await open(secret.link);
    await heading(opened.page, strings.waiting.title);
    timings.unicodeText = await revealAndTime(opened.page, '.secret pre');
    expect(await opened.page.locator('.secret pre').textContent()).toBe(text);
    expect(await opened.page.locator('.secret b').count()).toBe(0);
    // The copy button puts exactly the same text on the clipboard.
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: relay.origin });
    await opened.page.getByRole('button', { name: strings.revealed.copy }).click();
    await opened.page.getByText(strings.revealed.copiedStatus).waitFor();
    expect(await opened.page.evaluate(() => navigator.clipboard.readText())).toBe(text);
    expectCleanRequests(opened, [secret.link.split('#')[1] as string, secret.accessToken]);
    await opened.page.close();
  });

  it('offers a file as a download with its name and exact bytes', async () => {
    const bytes = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 7919) % 256);
    const secret = await createTestSecret(relay.origin, { file: { name: 'quarterly report.pdf', mime: 'application/pdf', bytes } });
    const opened = await open(secret.link);
    await heading(opened.page, strings.waiting.title);
    timings.file70kB = await revealAndTime(opened.page, 'a[download]');
    await heading(opened.page, strings.revealed.titleFile);
    await screenshots(opened.page, 'revealed-file');
    const [download] = await Promise.all([
      opened.page.waitForEvent('download'),
      opened.page.getByRole('link', { name: strings.revealed.download('quarterly report.pdf') }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('quarterly report.pdf');
    const path = await download.path();
    expect(new Uint8Array(readFileSync(path))).toEqual(bytes);
    expectCleanRequests(opened, [secret.link.split('#')[1] as string, secret.accessToken]);
    await opened.page.close();
  });

  it('asks for the passphrase, counts a wrong one, and reveals with the right one (default scrypt cost)', async () => {
    const secret = await createTestSecret(relay.origin, {
      text: 'behind a passphrase',
      passphrase: 'correct horse',
      kdf: { ...DEFAULT_KDF },
    });
    const opened = await open(secret.link);
    const { page } = opened;
    await heading(page, strings.waiting.title);
    const field = page.getByLabel(strings.waiting.passphraseLabel);
    await field.fill('wrong horse');
    await page.getByRole('button', { name: strings.waiting.reveal }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: strings.waiting.wrongPassphrase(4) })
      .waitFor({ timeout: 60_000 });
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('passphrase');
    expect(await receiptState(secret.id, secret.manageToken)).toMatchObject({ state: 'active', viewsLeft: 1 });
    await screenshots(page, 'wrong-passphrase');

    // Keyboard only: the field has focus; type and press Enter.
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type('correct horse');
    const started = Date.now();
    await page.keyboard.press('Enter');
    await page.locator('.secret pre').waitFor({ timeout: 60_000 });
    timings.passphraseDefaultScrypt = Date.now() - started;
    expect(await page.locator('.secret pre').textContent()).toBe('behind a passphrase');
    expectCleanRequests(opened, [secret.link.split('#')[1] as string, secret.accessToken, 'correct horse', 'correct%20horse']);
    await page.close();
  });

  it('explains the burn after the last wrong passphrase', async () => {
    const secret = await createTestSecret(relay.origin, { text: 'never seen', passphrase: 'right', kdf: SMALL_KDF });
    const { page } = await open(secret.link);
    await heading(page, strings.waiting.title);
    for (let left = 4; left >= 1; left--) {
      await page.getByLabel(strings.waiting.passphraseLabel).fill(`wrong ${left}`);
      await page.getByRole('button', { name: strings.waiting.reveal }).click();
      await page
        .getByRole('alert')
        .filter({ hasText: strings.waiting.wrongPassphrase(left) })
        .waitFor();
    }
    await page.getByLabel(strings.waiting.passphraseLabel).fill('wrong again');
    await page.getByRole('button', { name: strings.waiting.reveal }).click();
    await heading(page, strings.gone.burned.title);
    await screenshots(page, 'burned');
    expect(await receiptState(secret.id, secret.manageToken)).toMatchObject({ state: 'burned' });
    await page.close();
  });

  it('counts views down for a secret that allows two', async () => {
    const secret = await createTestSecret(relay.origin, { text: 'twice', views: 2 });
    const first = await open(secret.link);
    await heading(first.page, strings.waiting.title);
    expect(await first.page.getByText(strings.waiting.views(2)).isVisible()).toBe(true);
    await revealAndTime(first.page, '.secret pre');
    expect(await first.page.getByText(strings.revealed.viewsLeft(1)).isVisible()).toBe(true);
    await first.page.close();

    // The second time with the keyboard only: focus starts on the heading, Tab reaches Reveal.
    const second = await open(secret.link);
    await heading(second.page, strings.waiting.title);
    expect(await second.page.getByText(strings.waiting.views(1)).isVisible()).toBe(true);
    const focused = () => second.page.evaluate(() => document.activeElement?.textContent ?? '');
    await expect.poll(() => second.page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
    await second.page.keyboard.press('Tab');
    expect(await focused()).toBe(strings.waiting.reveal);
    await second.page.keyboard.press('Enter');
    await second.page.locator('.secret pre').waitFor();
    expect(await second.page.locator('.secret pre').textContent()).toBe('twice');
    await expect.poll(() => second.page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
    await second.page.keyboard.press('Tab'); // the scrollable secret
    await second.page.keyboard.press('Tab');
    expect(await focused()).toBe(strings.revealed.copy);
    expect(await second.page.getByText(strings.revealed.destroyed).isVisible()).toBe(true);
    await second.page.goto(secret.link);
    await heading(second.page, strings.gone.read.title);
    await second.page.close();
  });

  it('says the sender deleted a secret', async () => {
    const secret = await createTestSecret(relay.origin, { text: 'withdrawn' });
    const res = await fetch(`${relay.origin}/api/secrets/${secret.id}`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${secret.manageToken}` },
    });
    expect(res.status).toBe(204);
    const { page } = await open(secret.link);
    await heading(page, strings.gone.deleted.title);
    await screenshots(page, 'deleted');
    await page.close();
  });

  it('says a link with a wrong key finds nothing, and one without a key is incomplete', async () => {
    const secret = await createTestSecret(relay.origin, { text: 'x' });
    const wrongKey = await open(`${relay.origin}/s/${secret.id}#${'A'.repeat(42)}E`);
    await heading(wrongKey.page, strings.notFound.title);
    await screenshots(wrongKey.page, 'not-found');
    await wrongKey.page.close();

    const noKey = await open(`${relay.origin}/s/${secret.id}`);
    await heading(noKey.page, strings.incomplete.title);
    await screenshots(noKey.page, 'incomplete');
    expect(noKey.apiCalls()).toEqual([]);
    expect(await receiptState(secret.id, secret.manageToken)).toMatchObject({ state: 'active' });
    await noKey.page.close();
  });
});

describe('the reveal page when the relay refuses or disappears', () => {
  it('says when to retry when the relay rate-limits, and that nothing was opened', async () => {
    const strict = await startRelay({ staticDir: dist, env: { PSST_RATE_LIMIT_READ: '1', PSST_RATE_LIMIT_CREATE: '0' } });
    try {
      const secret = await createTestSecret(strict.origin, { text: 'not yet' });
      const { page } = await open(secret.link);
      await heading(page, strings.waiting.title); // Look took the only token
      await page.getByRole('button', { name: strings.waiting.reveal }).click();
      await heading(page, strings.rateLimited.title);
      expect(await page.getByText(/Please wait (\d+ seconds?|about 1 minute) and try again\. Nothing was opened\./).isVisible()).toBe(true);
      await screenshots(page, 'rate-limited');
      await page.getByRole('button', { name: strings.retry }).click();
      await heading(page, strings.rateLimited.title);
      await page.close();
    } finally {
      await strict.stop();
    }
  });

  it('offers a retry when the relay cannot be reached', async () => {
    const doomed = await startRelay({ staticDir: dist });
    const secret = await createTestSecret(doomed.origin, { text: 'unreachable' });
    const { page } = await open(secret.link);
    await heading(page, strings.waiting.title);
    await doomed.stop();
    await page.getByRole('button', { name: strings.waiting.reveal }).click();
    await heading(page, strings.unreachable.title);
    await screenshots(page, 'unreachable');
    await page.getByRole('button', { name: strings.retry }).click();
    await heading(page, strings.unreachable.title);
    await page.close();
  });
});
