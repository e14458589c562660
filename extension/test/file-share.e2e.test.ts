// The popup's file share end to end in Debian's Chromium: the built chrome-mv3
// extension picks a file, says its name and size, creates the link on the
// real relay, and a browser without the extension downloads exactly the same
// bytes under the same name. A file larger than the relay accepts is refused
// before anything is encrypted or sent. Screenshots go to artifacts/extension/.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeMeta } from '@psst/protocol/framing';
import { maxBodyBytes } from '@psst/protocol/limits';
import { strings } from '@psst/reveal-ui/strings';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LaunchedBrowser, launchChromium } from '../../test-support/browser';
import { type RunningRelay, startRelay } from '../../test-support/relay';
import { artifacts, type ExtensionBrowser, launchWithExtension, requireBuilds, revealDist } from './reveal-support';

declare const chrome: typeof import('wxt/browser').browser;
/** A small relay limit keeps "the largest file it accepts" quick to seal and check. */
const MAX_ENVELOPE_BYTES = 262_144;

let relay: RunningRelay;
let browser: ExtensionBrowser;
let reader: LaunchedBrowser;
let extensionId: string;
const posts: string[] = [];

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

beforeAll(async () => {
  requireBuilds();
  mkdirSync(artifacts, { recursive: true });
  relay = await startRelay({ staticDir: revealDist, env: { PSST_MAX_ENVELOPE_BYTES: String(MAX_ENVELOPE_BYTES) } });
  [browser, reader] = await Promise.all([launchWithExtension(), launchChromium()]);
  browser.context.on('request', (r) => {
    if (r.method() === 'POST') posts.push(r.url());
  });
  extensionId = browser.extensionId;
  await browser.worker.evaluate(async (relayUrl) => chrome.storage.local.set({ relayUrl, autoCopy: false }), relay.origin);
});

afterAll(async () => {
  await Promise.all([browser?.close(), reader?.close()]);
  await relay?.stop();
});

async function openPopup(): Promise<Page> {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 380, height: 720 });
  await page.goto(`chrome-extension://${extensionId}/popup.html`);
  await page.locator('#secret').waitFor();
  // The relay's settings have arrived once the limit they give is shown.
  await page.getByText(/Up to 192 kB/).waitFor();
  return page;
}

async function download(link: string): Promise<{ name: string; bytes: Uint8Array }> {
  const page = await reader.context.newPage();
  try {
    await page.goto(link);
    await page.getByRole('button', { name: strings.waiting.reveal }).click();
    const [file] = await Promise.all([page.waitForEvent('download'), page.locator('a[download]').click()]);
    return { name: file.suggestedFilename(), bytes: new Uint8Array(readFileSync(await file.path())) };
  } finally {
    await page.close();
  }
}

describe('the popup shares files', () => {
  it('keeps translation, spellcheck and autocorrection away from its secret fields', async () => {
    const popup = await openPopup();
    for (const selector of ['#secret', '#passphrase', '#open-link']) {
      const attrs = await popup
        .locator(selector)
        .evaluate((el) => [
          el.getAttribute('translate'),
          el.classList.contains('notranslate'),
          el.getAttribute('spellcheck'),
          el.getAttribute('autocomplete'),
          el.getAttribute('autocapitalize'),
          el.getAttribute('autocorrect'),
        ]);
      expect(attrs, selector).toEqual(['no', true, 'false', 'off', 'off', 'off']);
    }
    await popup.close();
  });

  it('round-trips files of 0 B, 1 B, a name with spaces and non-ASCII, and the largest the relay accepts', async () => {
    const mime = 'application/octet-stream';
    const largestName = 'largest popup file.bin';
    const largest = maxBodyBytes(MAX_ENVELOPE_BYTES, encodeMeta({ type: 'file', name: largestName, mime }).length, false);
    const files = [
      { name: 'empty.txt', mime: 'text/plain', bytes: new Uint8Array(0) },
      { name: 'one.bin', mime, bytes: Uint8Array.of(0) },
      { name: 'Übersicht Q3 — 報告書 ✓.csv', mime: 'text/csv', bytes: new TextEncoder().encode('a;b\r\n1;2\r\n') },
      { name: largestName, mime, bytes: Uint8Array.from({ length: largest }, (_, i) => (i * 7 + (i >> 10)) % 256) },
    ];
    const popup = await openPopup();
    for (const file of files) {
      await popup.locator('#file').setInputFiles({ name: file.name, mimeType: file.mime, buffer: Buffer.from(file.bytes) });
      await popup.locator('.file-card').filter({ hasText: file.name }).waitFor();
      if (file.name === largestName) await popup.screenshot({ path: join(artifacts, 'popup-file-chosen.png'), fullPage: true });
      await popup.getByRole('button', { name: 'Create link' }).click();
      await popup.locator('#link').waitFor({ timeout: 60_000 });
      // The popup says what was shared: the file's name and size.
      expect(await popup.getByRole('list', { name: 'What the recipient will see' }).textContent()).toContain(`A file, ${file.name} (`);
      if (file.name === largestName) await popup.screenshot({ path: join(artifacts, 'popup-file-link.png'), fullPage: true });
      const link = await popup.locator('#link').inputValue();
      const got = await download(link);
      expect(got.name).toBe(file.name);
      expect(got.bytes.length, file.name).toBe(file.bytes.length);
      expect(sha256(got.bytes), file.name).toBe(sha256(file.bytes));
      await popup.getByRole('button', { name: 'New secret' }).click();
    }
    await popup.close();
  });

  it('refuses a file larger than the relay accepts before encrypting or sending it', async () => {
    const popup = await openPopup();
    const before = posts.length;
    await popup
      .locator('#file')
      .setInputFiles({ name: 'too big.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(MAX_ENVELOPE_BYTES) });
    await popup.getByRole('alert').filter({ hasText: 'This file is 256 kB: this relay accepts up to 192 kB.' }).waitFor();
    await popup.getByRole('button', { name: 'Create link' }).click();
    await popup.screenshot({ path: join(artifacts, 'popup-file-too-large.png'), fullPage: true });
    expect(posts.length).toBe(before);
    await popup.close();
  });
});
