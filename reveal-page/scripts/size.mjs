#!/usr/bin/env node
// Page weights of the built site, gzip level 9: for each page (the reveal page,
// the composer) the HTML, JS and CSS it loads before it shows anything, the
// chunks only a dynamic import() reaches (loaded later, when needed: `lazy`),
// and in each language that language's catalogue of the page
// (assets/i18n-<page>-<hash>/<lang>.json: a page fetches only its reader's
// language). Per language, `firstLoadGzipBytes` is what the page loads before
// it shows anything and `totalGzipBytes` all it may ever load. The reveal
// page's budget counts the total (a reveal with a passphrase loads every
// chunk); the composer's counts its first load (its lazy chunks, the QR code,
// sealing and proof of work, each come with an action). A page's weight is
// that of its heaviest language; the budget holds for every one. Also the
// share of the protocol package (built on its own from protocol-entry.ts).
// Prints JSON (the reveal page's at the top level, as before, and the
// composer's under `composer`); `pnpm bench` and the budget test use it.
//   node reveal-page/scripts/size.mjs [--no-protocol]
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const pageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The reveal page's budget, gzip: 30 KB, counted as 30 × 1024 bytes, for everything it may load in one language. */
export const BUDGET_BYTES = 30 * 1024;
/** The pages of the site, each with its budget and what that budget counts (`total` or `firstLoad`, per language). */
export const PAGES = {
  reveal: { html: 'index.html', budgetBytes: BUDGET_BYTES, budgetCounts: 'total' },
  composer: { html: 'composer.html', budgetBytes: 40 * 1024, budgetCounts: 'firstLoad' },
};

const gzipBytes = (data) => gzipSync(data, { level: 9 }).length;

function listFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

const STATIC_IMPORT = /(?:\bfrom\s*|\bimport\s*)["'`]\.\/([^"'`]+\.(?:js|css))["'`]/g;
const DYNAMIC_IMPORT = /\bimport\s*\(\s*["'`]\.\/([^"'`]+\.(?:js|css))["'`]\s*\)/g;

/** What `file` references: [static, dynamic] imports (a page's HTML loads its references at once). */
function referencesOf(distDir, file) {
  const text = readFileSync(join(distDir, file), 'utf8');
  if (file.endsWith('.html')) return [[...text.matchAll(/\b(?:src|href)="\/([^"]+\.(?:js|css))"/g)].map((m) => m[1]), []];
  if (!file.endsWith('.js')) return [[], []];
  const resolve = (matches) => [...matches].map((m) => join(dirname(file), m[1]));
  return [resolve(text.matchAll(STATIC_IMPORT)), resolve(text.matchAll(DYNAMIC_IMPORT))];
}

/**
 * Every file a page loads: `initial`, what its HTML references and every chunk
 * those import statically (loaded before the page shows anything), and `lazy`,
 * the rest of what it can reach through a dynamic import() (loaded later, when
 * needed, e.g. scrypt for a passphrase).
 */
export function filesOfPage(distDir, html) {
  const references = new Map();
  const of = (file) => {
    if (!references.has(file)) references.set(file, referencesOf(distDir, file));
    return references.get(file);
  };
  const reach = (follow) => {
    const seen = new Set();
    const queue = [html];
    while (queue.length > 0) {
      const file = queue.shift();
      if (seen.has(file)) continue;
      seen.add(file);
      queue.push(...follow(of(file)));
    }
    return seen;
  };
  const initial = reach(([statics]) => statics);
  const all = reach(([statics, dynamics]) => [...statics, ...dynamics]);
  return { initial: [...initial], lazy: [...all].filter((file) => !initial.has(file)) };
}

const measure = (distDir, file) => {
  const data = readFileSync(join(distDir, file));
  return { file, bytes: data.length, gzipBytes: gzipBytes(data) };
};
const sum = (files, field) => files.reduce((total, f) => total + f[field], 0);

/** The page's catalogue of each language: assets/i18n-<page>-<hash>/<lang>.json (one folder per page). */
export function catalogueFiles(distDir, page) {
  const assets = join(distDir, 'assets');
  const folders = existsSync(assets) ? readdirSync(assets).filter((name) => name.startsWith(`i18n-${page}-`)) : [];
  if (folders.length !== 1)
    throw new Error(`${assets} should hold one i18n-${page}-<hash>/ folder, found ${folders.length}: rebuild the site`);
  const folder = `assets/${folders[0]}`;
  return Object.fromEntries(
    readdirSync(join(distDir, folder))
      .filter((name) => name.endsWith('.json'))
      .sort()
      .map((name) => [name.slice(0, -'.json'.length), `${folder}/${name}`]),
  );
}

/**
 * Sizes of one page in `distDir` (the reveal page unless `page` says otherwise): the HTML, JS and CSS it
 * loads at once (`files`) and later (`lazy`), and per language those plus that language's catalogue
 * (`languages`). `totalGzipBytes` and `firstLoadGzipBytes` are the heaviest language's; `withinBudget`
 * holds when every language's `budgetCounts` figure is within `budgetBytes`. Throws when there is no build.
 */
export function measurePage(distDir = join(pageDir, 'dist'), page = 'reveal') {
  const { html, budgetBytes, budgetCounts } = PAGES[page];
  if (!existsSync(join(distDir, html)))
    throw new Error(`${distDir} has no ${html}: build the site first (pnpm --filter @psst/reveal-page build)`);
  const loaded = filesOfPage(distDir, html);
  const bySize = (a, b) => b.gzipBytes - a.gzipBytes;
  const files = loaded.initial.map((file) => measure(distDir, file)).sort(bySize);
  const lazy = loaded.lazy.map((file) => measure(distDir, file)).sort(bySize);
  const codeGzipBytes = sum(files, 'gzipBytes');
  const codeBytes = sum(files, 'bytes');
  const lazyGzipBytes = sum(lazy, 'gzipBytes');
  const lazyBytes = sum(lazy, 'bytes');
  const languages = Object.entries(catalogueFiles(distDir, page)).map(([lang, file]) => {
    const catalogue = measure(distDir, file);
    const firstLoadGzipBytes = codeGzipBytes + catalogue.gzipBytes;
    const totalGzipBytes = firstLoadGzipBytes + lazyGzipBytes;
    const counted = budgetCounts === 'total' ? totalGzipBytes : firstLoadGzipBytes;
    return {
      lang,
      firstLoadGzipBytes,
      totalGzipBytes,
      totalBytes: codeBytes + lazyBytes + catalogue.bytes,
      withinBudget: counted <= budgetBytes,
      catalogue,
    };
  });
  const largest = languages.reduce((a, b) => (b.totalGzipBytes > a.totalGzipBytes ? b : a));
  return {
    page,
    totalGzipBytes: largest.totalGzipBytes,
    firstLoadGzipBytes: largest.firstLoadGzipBytes,
    totalBytes: largest.totalBytes,
    largestLanguage: largest.lang,
    budgetBytes,
    budgetCounts,
    withinBudget: languages.every((l) => l.withinBudget),
    codeGzipBytes,
    lazyGzipBytes,
    files,
    lazy,
    languages,
  };
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
      modules: ['responses (Look, Reveal, Error parsers)', 'b64u', 'key-schedule', 'link', 'secret (envelope open, framing)'],
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
