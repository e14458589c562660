// The built site, served in standalone mode (PSST_STATIC_DIR): the composer
// (composer.html) at / and /new, the reveal page (index.html) at /s/{id}. Every
// file is read into memory at start: the page is tiny, and a lookup in a map
// of known paths cannot be walked out of the folder, whatever the URL holds.
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';

export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Refuse to load a folder that is clearly not a small static page. */
const MAX_SITE_BYTES = 32 * 1_048_576;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.zip': 'application/zip',
};

export interface StaticFile {
  body: Buffer;
  contentType: string;
  etag: string;
  cacheControl: string;
}

export interface StaticMatch {
  file: StaticFile;
  /** The route template for logs and metrics. */
  template: string;
}

export interface StaticSite {
  lookup(path: string): StaticMatch | null;
  readonly files: number;
}

function walk(dir: string, prefix: string, out: Map<string, StaticFile>, total: { bytes: number }): void {
  for (const name of readdirSync(dir)) {
    if (name.startsWith('.')) continue;
    const full = join(dir, name);
    const stat = lstatSync(full);
    const urlPath = `${prefix}/${name}`;
    if (stat.isDirectory()) walk(full, urlPath, out, total);
    else if (stat.isFile()) {
      total.bytes += stat.size;
      if (total.bytes > MAX_SITE_BYTES)
        throw new Error(`PSST_STATIC_DIR holds more than ${MAX_SITE_BYTES} bytes; point it at the built reveal page`);
      const body = readFileSync(full);
      const hashed = urlPath.startsWith('/assets/');
      out.set(urlPath, {
        body,
        contentType: TYPES[extname(name).toLowerCase()] ?? 'application/octet-stream',
        etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
        // Vite names files under assets/ by content hash: they never change. Everything else is revalidated.
        cacheControl: hashed ? 'public, max-age=31536000, immutable' : 'no-store',
      });
    }
    // Symbolic links and special files are skipped: only what is really in the folder is served.
  }
}

export function loadStaticSite(dir: string): StaticSite {
  const files = new Map<string, StaticFile>();
  walk(dir, '', files, { bytes: 0 });
  const index = files.get('/index.html');
  if (!index) throw new Error(`PSST_STATIC_DIR (${dir}) has no index.html; build the reveal page first`);
  // A site built before the composer existed shows the reveal page at / (it says this is not a secret link).
  const composer = files.get('/composer.html') ?? index;
  return {
    files: files.size,
    lookup(path) {
      if (path === '/' || path === '/composer.html') return { file: composer, template: '/' };
      if (path === '/new') return { file: composer, template: '/new' };
      if (path === '/index.html') return { file: index, template: '/index.html' };
      if (/^\/s\/[^/]+$/.test(path)) return { file: index, template: '/s/:id' };
      let file = files.get(path);
      if (!file && path.includes('%')) {
        try {
          file = files.get(decodeURIComponent(path));
        } catch {
          return null;
        }
      }
      return file ? { file, template: path.startsWith('/assets/') ? '/assets/*' : 'static' } : null;
    },
  };
}
