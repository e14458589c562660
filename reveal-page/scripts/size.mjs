#!/usr/bin/env node
// Page weight of the built reveal page: every HTML, JS and CSS file in dist/,
// gzip level 9, and the share of the protocol package (built on its own from
// protocol-entry.ts). Prints JSON; `pnpm bench` and the budget test use it.
//   node reveal-page/scripts/size.mjs [--no-protocol]
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const pageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The budget for HTML + JS + CSS, gzip: 30 KB, counted as 30 × 1024 bytes. */
export const BUDGET_BYTES = 30 * 1024;

const gzipBytes = (data) => gzipSync(data, { level: 9 }).length;

function listFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

/** Sizes of the page's HTML, JS and CSS in `distDir`; throws when there is no build. */
export function measurePage(distDir = join(pageDir, 'dist')) {
  let paths;
  try {
    paths = listFiles(distDir);
  } catch {
    throw new Error(`${distDir} does not exist: build the page first (pnpm --filter @psst/reveal-page build)`);
  }
  if (!paths.some((p) => p.endsWith('index.html'))) throw new Error(`${distDir} has no index.html: build the page first`);
  const files = paths
    .filter((p) => /\.(html|js|css)$/.test(p))
    .map((p) => {
      const data = readFileSync(p);
      return { file: relative(distDir, p), bytes: data.length, gzipBytes: gzipBytes(data) };
    })
    .sort((a, b) => b.gzipBytes - a.gzipBytes);
  const totalGzipBytes = files.reduce((sum, f) => sum + f.gzipBytes, 0);
  const totalBytes = files.reduce((sum, f) => sum + f.bytes, 0);
  return { totalGzipBytes, totalBytes, budgetBytes: BUDGET_BYTES, withinBudget: totalGzipBytes <= BUDGET_BYTES, files };
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
    const protocol = process.argv.includes('--no-protocol') ? undefined : await measureProtocol();
    console.log(JSON.stringify({ ...page, ...(protocol ? { protocol } : {}) }, null, 2));
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
