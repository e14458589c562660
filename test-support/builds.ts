// The builds the browser and end-to-end suites run, and one check that they
// are there before a suite starts, naming the command that makes a missing one.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { RELAY_MAIN, REVEAL_DIST } from './relay.js';

const repo = join(import.meta.dirname, '..');
/** The extension's unpacked builds (`pnpm --filter @psst/extension build` makes both). */
export const CHROME_EXTENSION_DIR = join(repo, 'extension', '.output', 'chrome-mv3');
export const FIREFOX_EXTENSION_DIR = join(repo, 'extension', '.output', 'firefox-mv2');

/** A file a suite needs, and the command that builds it. */
export type Build = readonly [file: string, command: string];

export const BUILDS = {
  relay: [RELAY_MAIN, 'pnpm --filter @psst/relay build'],
  revealPage: [join(REVEAL_DIST, 'index.html'), 'pnpm --filter @psst/reveal-page build'],
  composer: [join(REVEAL_DIST, 'composer.html'), 'pnpm --filter @psst/reveal-page build'],
  chromeExtension: [join(CHROME_EXTENSION_DIR, 'manifest.json'), 'pnpm --filter @psst/extension build'],
  firefoxExtension: [join(FIREFOX_EXTENSION_DIR, 'manifest.json'), 'pnpm --filter @psst/extension build'],
} as const satisfies Record<string, Build>;

/** Throws for the first of `builds` that is missing, naming the command that makes it. */
export function requireBuilds(...builds: Build[]): void {
  for (const [file, command] of builds) {
    if (!existsSync(file)) throw new Error(`${file} is missing: run \`${command}\` first (the root \`pnpm test\` builds before testing)`);
  }
}
