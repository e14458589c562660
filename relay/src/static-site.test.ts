// Standalone mode: the relay serves the built reveal page with a strict CSP,
// index.html for /s/{id}, long caching for hashed assets, and nothing else.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from './static-site.js';
import { call, ENGINES, startTestRelay, type TestRelay } from './testing/harness.js';

const INDEX = '<!doctype html><title>psst</title><script type="module" src="/assets/index-abc123.js"></script>';
const COMPOSER = '<!doctype html><title>psst · share</title><script type="module" src="/assets/composer-abc123.js"></script>';

/** A GET with the path sent exactly as written (fetch would normalise `/../`). */
function rawGet(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .request({ host: '127.0.0.1', port, path, method: 'GET' }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => {
          body += chunk.toString('utf8');
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject)
      .end();
  });
}

describe.each(ENGINES)('static reveal page (%s)', (engine) => {
  let site: string;
  let relay: TestRelay;
  beforeAll(async () => {
    site = mkdtempSync(join(tmpdir(), 'psst-site-'));
    mkdirSync(join(site, 'assets'));
    writeFileSync(join(site, 'index.html'), INDEX);
    writeFileSync(join(site, 'composer.html'), COMPOSER);
    writeFileSync(join(site, 'assets/index-abc123.js'), 'console.log("psst")');
    writeFileSync(join(site, 'assets/index-def456.css'), 'body{}');
    writeFileSync(join(site, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    writeFileSync(join(site, '.env'), 'SECRET=1');
    symlinkSync('/etc/passwd', join(site, 'passwd'));
    relay = await startTestRelay(engine, { PSST_STATIC_DIR: site });
  });
  afterAll(async () => {
    await relay?.close();
    rmSync(site, { recursive: true, force: true });
  });

  it('serves the composer at / and /new and the reveal page at /s/{id}, never cached, with the strict CSP and the security headers', async () => {
    for (const [path, page] of [
      ['/', COMPOSER],
      ['/new', COMPOSER],
      ['/composer.html', COMPOSER],
      ['/index.html', INDEX],
      ['/s/AAAAAAAAAAAAAAAAAAAAAA', INDEX],
      ['/s/whatever', INDEX],
    ] as const) {
      const answer = await call(relay.origin, 'GET', path);
      expect(answer.status, path).toBe(200);
      expect(answer.text, path).toBe(page);
      expect(answer.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(answer.headers.get('cache-control')).toBe('no-store');
      expect(answer.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(answer.headers.get('referrer-policy')).toBe('no-referrer');
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
    }
    expect(CONTENT_SECURITY_POLICY).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
  });

  it('serves hashed assets with their type, an ETag and a long cache, and answers 304 to a matching If-None-Match', async () => {
    const js = await call(relay.origin, 'GET', '/assets/index-abc123.js');
    expect(js.status).toBe(200);
    expect(js.text).toBe('console.log("psst")');
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const etag = js.headers.get('etag') ?? '';
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    const again = await call(relay.origin, 'GET', '/assets/index-abc123.js', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    expect((await call(relay.origin, 'GET', '/assets/index-def456.css')).headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect((await call(relay.origin, 'GET', '/favicon.svg')).headers.get('content-type')).toBe('image/svg+xml');
    const head = await fetch(`${relay.origin}/assets/index-abc123.js`, { method: 'HEAD' });
    expect([head.status, head.headers.get('content-length'), await head.text()]).toEqual([200, '19', '']);
  });

  it('answers 404 to missing files, folders, dotfiles, symlinks and traversal, and 405 to other methods', async () => {
    for (const path of [
      '/missing.js',
      '/assets',
      '/assets/',
      '/.env',
      '/passwd',
      '/../etc/passwd',
      '/assets/../../etc/passwd',
      '/%2e%2e/etc/passwd',
      '/s/a/b',
      '/assets/%2e%2e/index.html',
    ]) {
      const answer = await rawGet(relay.server.port, path);
      expect(answer.status, path).toBe(404);
      expect(JSON.parse(answer.body).error).toBe('not_found');
    }
    const post = await call(relay.origin, 'POST', '/');
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('still routes the API and health checks ahead of the page', async () => {
    expect((await call(relay.origin, 'GET', '/healthz')).json).toEqual({ status: 'ok' });
    expect((await call(relay.origin, 'GET', '/api/secrets/x')).status).toBe(404);
  });
});

describe('a site built before the composer', () => {
  it('shows the reveal page at / and /new, as it did', async () => {
    const site = mkdtempSync(join(tmpdir(), 'psst-site-'));
    writeFileSync(join(site, 'index.html'), INDEX);
    const relay = await startTestRelay('node', { PSST_STATIC_DIR: site });
    try {
      for (const path of ['/', '/new']) expect((await call(relay.origin, 'GET', path)).text, path).toBe(INDEX);
      expect((await call(relay.origin, 'GET', '/composer.html')).status).toBe(200);
    } finally {
      await relay.close();
      rmSync(site, { recursive: true, force: true });
    }
  });
});
