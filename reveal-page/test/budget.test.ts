// The built site: each page within its weight budget in every language (the
// reveal page: all it may load, lazy chunks included, and its reader's
// catalogue; the composer: what it loads at once, and its catalogue), the
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
    .map((l) => `${l.lang} ${l.totalGzipBytes} B (first load ${l.firstLoadGzipBytes} B, of which catalogue ${l.catalogue.gzipBytes} B)`)
    .join(', ');

describe('the built reveal page and composer', () => {
  // The reveal page's 30 KB hold all it may load in one language: HTML, JS and CSS, the reader's catalogue, and scrypt,
  // the one chunk it fetches later (only for a passphrase). The decrypting code is part of the first load.
  it('keeps all the reveal page may load within 30 KB gzip in every language (HTML + JS + CSS, scrypt, its language)', () => {
    console.log(
      `reveal page: ${reveal.totalGzipBytes} B gzip in its heaviest language (${reveal.largestLanguage}) of ${BUDGET_BYTES} B budget; first load ${reveal.firstLoadGzipBytes} B; code ${reveal.codeGzipBytes} B, lazy ${reveal.lazyGzipBytes} B`,
      reveal.files,
      reveal.lazy,
      table(reveal),
    );
    expect(reveal.budgetBytes).toBe(30 * 1024);
    expect(reveal.budgetCounts).toBe('total');
    expect(reveal.files.some((f) => f.file.endsWith('.js'))).toBe(true);
    expect(reveal.files.some((f) => f.file.endsWith('.css'))).toBe(true);
    // Every language psst speaks has its catalogue beside the page.
    expect(reveal.languages.map((l) => l.lang).sort()).toEqual([...LANGUAGE_CODES].sort());
    for (const language of reveal.languages) {
      expect(language.totalGzipBytes, language.lang).toBe(language.firstLoadGzipBytes + reveal.lazyGzipBytes);
      expect(language.totalGzipBytes, language.lang).toBeLessThanOrEqual(BUDGET_BYTES);
    }
    expect(reveal.withinBudget).toBe(true);
    // scrypt comes later, once a passphrase needs it; nothing else does.
    expect(reveal.lazy.map((f) => f.file)).toEqual([expect.stringMatching(/^assets\/scrypt-[\w-]+\.js$/)]);
    // No zod in the page: responses are checked against their JSON Schema (protocol/src/shape.ts).
    for (const file of [...reveal.files, ...reveal.lazy]) expect(readFileSync(join(dist, file.file), 'utf8')).not.toMatch(/\$ZodType|zod_/);
  });

  it('keeps the composer within 40 KB gzip in every language, its QR encoder loaded when a code is shown', () => {
    console.log(
      `composer: first load ${composer.firstLoadGzipBytes} B gzip in its heaviest language (${composer.largestLanguage}) of ${PAGES.composer.budgetBytes} B budget, ${composer.totalGzipBytes} B with every lazy chunk; code ${composer.codeGzipBytes} B, lazy ${composer.lazyGzipBytes} B`,
      composer.files,
      composer.lazy,
      table(composer),
    );
    expect(composer.budgetBytes).toBe(40 * 1024);
    expect(composer.files.some((f) => f.file.endsWith('.js'))).toBe(true);
    expect(composer.languages.map((l) => l.lang).sort()).toEqual([...LANGUAGE_CODES].sort());
    expect(composer.budgetCounts).toBe('firstLoad');
    for (const language of composer.languages) expect(language.firstLoadGzipBytes, language.lang).toBeLessThanOrEqual(40 * 1024);
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
