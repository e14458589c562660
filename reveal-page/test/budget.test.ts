// The built site: each page within its weight budget in every language (what it
// loads at once, and its reader's catalogue; lazy chunks are printed), the
// reveal page loading nothing of the composer, and nothing inline or remote, so both run under the
// strict CSP and request nothing but their own origin.
// Needs `pnpm --filter @psst/reveal-page build` first (the root `pnpm test` builds).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LANGUAGE_CODES } from '@psst/i18n/catalogue-files';
import { describe, expect, it } from 'vitest';
import { BUDGET_BYTES, measurePage, PAGES } from '../scripts/size.mjs';

const dist = join(import.meta.dirname, '../dist');
const reveal = measurePage(dist, 'reveal');
const composer = measurePage(dist, 'composer');

const table = (page: typeof reveal) =>
  page.languages
    .map((l) => `${l.lang} ${l.totalGzipBytes} B (catalogue ${l.catalogue.gzipBytes} B; with lazy chunks ${l.withLazyGzipBytes} B)`)
    .join(', ');

describe('the built reveal page and composer', () => {
  // What this holds to 30 KB is the first load: HTML, JS and CSS before the Look, and the reader's catalogue. The
  // decrypting chunk (fetched after the Look, for every reveal) and scrypt (only for a passphrase) come on top and are
  // printed, not budgeted: a reveal without a passphrase loads about 6 KB more, one with a passphrase about 8 KB.
  it('keeps the reveal page’s first load within 30 KB gzip in every language (HTML + JS + CSS before the Look, and its language)', () => {
    console.log(
      `reveal page: ${reveal.totalGzipBytes} B gzip in its heaviest language (${reveal.largestLanguage}) of ${BUDGET_BYTES} B budget; code ${reveal.codeGzipBytes} B, lazy ${reveal.lazyGzipBytes} B`,
      reveal.files,
      reveal.lazy,
      table(reveal),
    );
    expect(reveal.budgetBytes).toBe(30 * 1024);
    expect(reveal.files.some((f) => f.file.endsWith('.js'))).toBe(true);
    expect(reveal.files.some((f) => f.file.endsWith('.css'))).toBe(true);
    // Every language psst speaks has its catalogue beside the page.
    expect(reveal.languages.map((l) => l.lang).sort()).toEqual([...LANGUAGE_CODES].sort());
    for (const language of reveal.languages) expect(language.totalGzipBytes, language.lang).toBeLessThanOrEqual(BUDGET_BYTES);
    // The decrypting code and scrypt come later, each once it is needed.
    expect(reveal.lazy.map((f) => f.file).join(' ')).toMatch(/secret-.*scrypt-|scrypt-.*secret-/);
  });

  it('keeps the composer within 40 KB gzip in every language, its QR encoder loaded when a code is shown', () => {
    console.log(
      `composer: ${composer.totalGzipBytes} B gzip in its heaviest language (${composer.largestLanguage}) of ${PAGES.composer.budgetBytes} B budget; code ${composer.codeGzipBytes} B, lazy ${composer.lazyGzipBytes} B`,
      composer.files,
      composer.lazy,
      table(composer),
    );
    expect(composer.budgetBytes).toBe(40 * 1024);
    expect(composer.files.some((f) => f.file.endsWith('.js'))).toBe(true);
    expect(composer.languages.map((l) => l.lang).sort()).toEqual([...LANGUAGE_CODES].sort());
    for (const language of composer.languages) expect(language.totalGzipBytes, language.lang).toBeLessThanOrEqual(40 * 1024);
    expect(composer.lazy.some((f) => /\/qr-[\w-]+\.js$/.test(f.file))).toBe(true);
    const english = composer.languages.find((l) => l.lang === 'en')?.catalogue.file ?? '';
    expect(readFileSync(join(dist, english), 'utf8')).toContain('QR code of the link');
  });

  it('gives the reveal page not one file of the composer, and no composer code or words in its own', () => {
    const revealFiles = [...reveal.files, ...reveal.lazy, ...reveal.languages.map((l) => l.catalogue)].map((f) => f.file);
    const composerFiles = [...composer.files, ...composer.lazy, ...composer.languages.map((l) => l.catalogue)].map((f) => f.file);
    const composerOnly = composerFiles.filter((f) => !revealFiles.includes(f));
    expect(composerOnly.length).toBeGreaterThan(0);
    for (const file of revealFiles) {
      expect(composerOnly).not.toContain(file);
      const text = readFileSync(join(dist, file), 'utf8');
      // Words and code only the composer has: its sealing (scrypt while creating), its UI, its QR code.
      for (const marker of ['Create link', 'Strengthening the passphrase', 'QR code of the link', 'psst:history', '/api/config']) {
        expect(text, `${file} holds "${marker}"`).not.toContain(marker);
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
