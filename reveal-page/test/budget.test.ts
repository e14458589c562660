// The built site: each page within its weight budget, the reveal page loading
// nothing of the composer, and nothing inline or remote, so both run under the
// strict CSP and request nothing but their own origin.
// Needs `pnpm --filter @psst/reveal-page build` first (the root `pnpm test` builds).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUDGET_BYTES, measurePage, PAGES } from '../scripts/size.mjs';

const dist = join(import.meta.dirname, '../dist');
const reveal = measurePage(dist, 'reveal');
const composer = measurePage(dist, 'composer');

describe('the built reveal page and composer', () => {
  it('keeps the reveal page within 30 KB gzip (HTML + JS + CSS it loads)', () => {
    console.log(`reveal page: ${reveal.totalGzipBytes} B gzip of ${BUDGET_BYTES} B budget`, reveal.files);
    expect(reveal.budgetBytes).toBe(30 * 1024);
    expect(reveal.files.some((f) => f.file.endsWith('.js'))).toBe(true);
    expect(reveal.files.some((f) => f.file.endsWith('.css'))).toBe(true);
    expect(reveal.totalGzipBytes).toBeLessThanOrEqual(BUDGET_BYTES);
  });

  it('keeps the composer within 40 KB gzip, QR code included', () => {
    console.log(`composer: ${composer.totalGzipBytes} B gzip of ${PAGES.composer.budgetBytes} B budget`, composer.files);
    expect(composer.budgetBytes).toBe(40 * 1024);
    expect(composer.files.some((f) => f.file.endsWith('.js'))).toBe(true);
    expect(composer.totalGzipBytes).toBeLessThanOrEqual(40 * 1024);
    const js = composer.files.filter((f) => f.file.endsWith('.js')).map((f) => readFileSync(join(dist, f.file), 'utf8'));
    expect(js.join('')).toContain('QR code of the link');
  });

  it('gives the reveal page not one file of the composer, and no composer code in its own', () => {
    const composerOnly = composer.files.filter((f) => !reveal.files.some((r) => r.file === f.file)).map((f) => f.file);
    expect(composerOnly.length).toBeGreaterThan(0);
    for (const file of reveal.files) {
      expect(composerOnly).not.toContain(file.file);
      const text = readFileSync(join(dist, file.file), 'utf8');
      // Words and code only the composer has: its sealing (scrypt while creating), its UI, its QR code.
      for (const marker of ['Create link', 'Strengthening the passphrase', 'QR code of the link', 'psst:history', '/api/config']) {
        expect(text, `${file.file} holds "${marker}"`).not.toContain(marker);
      }
    }
  });

  for (const page of [reveal, composer]) {
    const html = readFileSync(join(dist, PAGES[page.page].html), 'utf8');

    it(`${page.page}: has no inline script, style or event handler`, () => {
      const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
      expect(scripts.length).toBeGreaterThan(0);
      for (const [, attrs, body] of scripts) {
        expect(attrs).toMatch(/\bsrc="\/assets\/[^"]+\.js"/);
        expect(body?.trim()).toBe('');
      }
      expect(html).not.toMatch(/<style\b/i);
      expect(html).not.toMatch(/\sstyle=/i);
      expect(html).not.toMatch(/\son[a-z]+=/i);
    });

    it(`${page.page}: loads its assets from absolute /assets/ paths on its own origin`, () => {
      const urls = [...html.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((m) => m[1]);
      expect(urls).toContain('data:,'); // the empty favicon, so no /favicon.ico request
      for (const url of urls.filter((u) => u !== 'data:,')) expect(url).toMatch(/^\/assets\/[\w.-]+\.(js|css)$/);
      for (const file of page.files) {
        const text = readFileSync(join(dist, file.file), 'utf8');
        expect(text).not.toMatch(/https?:\/\/(?!www\.w3\.org\/)[a-z0-9]/i); // only XML namespace names, never a resource
        expect(text).not.toMatch(/@import|url\(/);
      }
    });

    it(`${page.page}: carries the privacy and security metadata`, () => {
      expect(html).toContain('<meta name="referrer" content="no-referrer"');
      expect(html).toContain('<meta name="robots" content="noindex, nofollow"');
      expect(html).toMatch(
        /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self';/,
      );
      // The policy comes before anything it must govern.
      expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('<script'));
    });
  }
});
