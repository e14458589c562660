// The built page: within its weight budget, and nothing inline or remote, so
// it runs under the strict CSP and requests nothing but its own origin.
// Needs `pnpm --filter @psst/reveal-page build` first (the root `pnpm test` builds).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUDGET_BYTES, measurePage } from '../scripts/size.mjs';

const dist = join(import.meta.dirname, '../dist');
const size = measurePage(dist);
const html = readFileSync(join(dist, 'index.html'), 'utf8');

describe('the built reveal page', () => {
  it('weighs at most 30 KB gzip (HTML + JS + CSS)', () => {
    console.log(`reveal page: ${size.totalGzipBytes} B gzip of ${BUDGET_BYTES} B budget`, size.files);
    expect(size.files.some((f) => f.file.endsWith('.js'))).toBe(true);
    expect(size.files.some((f) => f.file.endsWith('.css'))).toBe(true);
    expect(size.totalGzipBytes).toBeLessThanOrEqual(BUDGET_BYTES);
  });

  it('has no inline script, style or event handler', () => {
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

  it('loads its assets from absolute /assets/ paths on its own origin', () => {
    const urls = [...html.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((m) => m[1]);
    expect(urls).toContain('data:,'); // the empty favicon, so no /favicon.ico request
    for (const url of urls.filter((u) => u !== 'data:,')) expect(url).toMatch(/^\/assets\/[\w.-]+\.(js|css)$/);
    for (const file of size.files) {
      const text = readFileSync(join(dist, file.file), 'utf8');
      expect(text).not.toMatch(/https?:\/\/(?!www\.w3\.org\/)[a-z0-9]/i); // only XML namespace names, never a resource
      expect(text).not.toMatch(/@import|url\(/);
    }
  });

  it('carries the privacy and security metadata', () => {
    expect(html).toContain('<meta name="referrer" content="no-referrer"');
    expect(html).toContain('<meta name="robots" content="noindex, nofollow"');
    expect(html).toMatch(
      /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self';/,
    );
    // The policy comes before anything it must govern.
    expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('<script'));
  });
});
