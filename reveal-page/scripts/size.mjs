#!/usr/bin/env node
// Page weights of the built site, gzip level 9: for each page (the reveal page,
// the composer) the HTML, JS and CSS it loads, and the share of the protocol
// package (built on its own from protocol-entry.ts). Prints JSON (the reveal
// page's at the top level, as before, and the composer's under `composer`);
// `pnpm bench` and the budget test use it.
//   node reveal-page/scripts/size.mjs [--no-protocol]
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const pageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The budget for HTML + JS + CSS, gzip: 30 KB, counted as 30 × 1024 bytes. */
export const BUDGET_BYTES = 30 * 1024;
/** The pages of the site, each with its budget: the reveal page, and the composer (QR code included). */
export const PAGES = {
  reveal: { html: 'index.html', budgetBytes: BUDGET_BYTES },
  composer: { html: 'composer.html', budgetBytes: 40 * 1024 },
};

const gzipBytes = (data) => gzipSync(data, { level: 9 }).length;

function listFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

/** Every file a page loads: what its HTML references, then every chunk its JS imports (static and dynamic). */
function filesOfPage(distDir, html) {
  const seen = new Set();
  const queue = [html];
  while (queue.length > 0) {
    const file = queue.shift();
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(join(distDir, file), 'utf8');
    const refs = file.endsWith('.html')
      ? [...text.matchAll(/\b(?:src|href)="\/([^"]+\.(?:js|css))"/g)].map((m) => m[1])
      : file.endsWith('.js')
        ? [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)["']\.\/([^"']+\.(?:js|css))["']/g)].map((m) => join(dirname(file), m[1]))
        : [];
    queue.push(...refs);
  }
  return [...seen];
}

/**
 * Sizes of one page's HTML, JS and CSS in `distDir` (the reveal page unless `page` says otherwise),
 * counting exactly what that page loads; throws when there is no build.
 */
export function measurePage(distDir = join(pageDir, 'dist'), page = 'reveal') {
  const { html, budgetBytes } = PAGES[page];
  if (!existsSync(join(distDir, html)))
    throw new Error(`${distDir} has no ${html}: build the site first (pnpm --filter @psst/reveal-page build)`);
  const files = filesOfPage(distDir, html)
    .map((file) => {
      const data = readFileSync(join(distDir, file));
      return { file, bytes: data.length, gzipBytes: gzipBytes(data) };
    })
    .sort((a, b) => b.gzipBytes - a.gzipBytes);
  const totalGzipBytes = files.reduce((sum, f) => sum + f.gzipBytes, 0);
  const totalBytes = files.reduce((sum, f) => sum + f.bytes, 0);
  return { page, totalGzipBytes, totalBytes, budgetBytes, withinBudget: totalGzipBytes <= budgetBytes, files };
}

/** Builds protocol-entry.ts alone (minified like the page) and measures it. */
export async function measureProtocol() {
  const { build, defaultClientConditions } = await import('vite');
  const outDir = mkdtempSync(join(tmpdir(), 'psst-protocol-size-'));
  try {
    await build({
      configFile: false,
      logLevel: 'silent',
      root: pageDir,
      resolve: { conditions: ['source', ...defaultClientConditions] },
      build: {
        outDir,
        target: 'es2022',
        modulePreload: { polyfill: false },
        rolldownOptions: { input: join(pageDir, 'scripts/protocol-entry.ts'), preserveEntrySignatures: 'exports-only' },
      },
    });
    const js = listFiles(outDir).filter((p) => p.endsWith('.js'));
    return {
      modules: ['api (Look, Reveal, Error schemas)', 'b64u', 'key-schedule', 'link', 'secret (envelope open, framing)'],
      bytes: js.reduce((s, p) => s + statSync(p).size, 0),
      gzipBytes: js.reduce((s, p) => s + gzipBytes(readFileSync(p)), 0),
    };
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    const page = measurePage();
    const composer = measurePage(undefined, 'composer');
    const protocol = process.argv.includes('--no-protocol') ? undefined : await measureProtocol();
    console.log(JSON.stringify({ ...page, composer, ...(protocol ? { protocol } : {}) }, null, 2));
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
