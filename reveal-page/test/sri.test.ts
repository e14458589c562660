// The README's published SRI hashes of the reveal page are those of a fresh
// build (order aside), and they are what the relay actually serves: the page
// at /s/{id} and each asset hash to the published values.
// Needs `pnpm --filter @psst/reveal-page build` (and the relay) first; the root `pnpm test` builds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningRelay, startRelay } from '../../test-support/relay.js';
import { DIST, readmeHashes, revealPageHashes, sri } from '../scripts/sri.mjs';

const byFile = (list: { file: string; integrity: string }[]) => [...list].sort((a, b) => a.file.localeCompare(b.file));

let relay: RunningRelay;
beforeAll(async () => {
  relay = await startRelay({ staticDir: DIST });
});
afterAll(async () => {
  await relay?.stop();
});

describe('the reveal page’s published SRI hashes', () => {
  it('match a fresh build exactly (regenerate with `node reveal-page/scripts/sri.mjs --write`)', () => {
    const built = revealPageHashes();
    expect(built.map((h) => h.file)).toContain('index.html');
    expect(built.some((h) => h.file.endsWith('.js'))).toBe(true);
    expect(byFile(readmeHashes())).toEqual(byFile(built));
  });

  it('are the hashes of what the relay serves', async () => {
    for (const { file, integrity } of readmeHashes()) {
      const path = file === 'index.html' ? '/s/AAAAAAAAAAAAAAAAAAAAAA' : `/${file}`;
      const res = await fetch(`${relay.origin}${path}`);
      expect(res.status, path).toBe(200);
      expect(sri(new Uint8Array(await res.arrayBuffer())), path).toBe(integrity);
    }
  });
});
