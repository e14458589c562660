// The reveal page's Subresource Integrity hashes (sha384, base64, as in an
// integrity="" attribute): the built index.html and every asset it may load:
// its scripts and style, the chunks it imports later (decrypting, scrypt) and
// the catalogue of each language (a reader's page fetches one of them). The
// README publishes them so anyone can check that a relay serves the page as
// built (`curl -s {relay}/s/x | openssl dgst -sha384 -binary | openssl base64 -A`).
//   node reveal-page/scripts/sri.mjs           prints the table
//   node reveal-page/scripts/sri.mjs --write   rewrites the README's block between the markers
// test/sri.test.ts fails when the README no longer matches a fresh build.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { catalogueFiles, filesOfPage } from './size.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
export const DIST = join(here, '..', 'dist');
export const README = join(here, '..', '..', 'README.md');
export const START = '<!-- reveal-page-sri:start (node reveal-page/scripts/sri.mjs --write) -->';
export const END = '<!-- reveal-page-sri:end -->';

export const sri = (bytes) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;

/** index.html and every asset the page may load, each with its hash, sorted by file name. */
export function revealPageHashes(distDir = DIST) {
  const { initial, lazy } = filesOfPage(distDir, 'index.html');
  const files = [...initial, ...lazy, ...Object.values(catalogueFiles(distDir, 'reveal'))];
  return [...new Set(files)]
    .map((file) => ({ file, integrity: sri(readFileSync(join(distDir, file))) }))
    .sort((a, b) => a.file.localeCompare(b.file));
}

/** A Markdown table, padded the way biome formats it (so `pnpm check` stays clean). */
export function renderTable(hashes) {
  const rows = [['file', 'sha384 (SRI)'], ...hashes.map(({ file, integrity }) => [`\`${file}\``, `\`${integrity}\``])];
  const widths = [0, 1].map((c) => Math.max(...rows.map((r) => r[c].length)));
  const line = (cells) => `| ${cells.map((cell, c) => cell.padEnd(widths[c])).join(' | ')} |`;
  return [line(rows[0]), line(widths.map((w) => '-'.repeat(w))), ...rows.slice(1).map(line)].join('\n');
}

/** The rows of the README's block, as { file, integrity }, in the README's order. */
export function readmeHashes(readme = readFileSync(README, 'utf8')) {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md has no ${START} … ${END} block`);
  return [...readme.slice(start, end).matchAll(/^\| `([^`]+)` *\| `(sha384-[A-Za-z0-9+/=]+)` *\|$/gm)].map((m) => ({
    file: m[1],
    integrity: m[2],
  }));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const table = renderTable(revealPageHashes());
  if (process.argv.includes('--write')) {
    const readme = readFileSync(README, 'utf8');
    const start = readme.indexOf(START);
    const end = readme.indexOf(END);
    if (start < 0 || end < start) throw new Error(`README.md has no ${START} … ${END} block`);
    writeFileSync(README, `${readme.slice(0, start + START.length)}\n\n${table}\n\n${readme.slice(end)}`);
    console.log('README.md: reveal page SRI hashes updated');
  } else console.log(table);
}
