// The web composer against relays that ask for proof of work (PROTOCOL.md "Proof of work"), in Debian's
// Chromium: with PSST_PROOF_OF_WORK=always at the default difficulty it solves the challenge first, showing
// its progress, and the link opens in a fresh browser; with auto, a relay whose quota is over half full
// answers 403, and the composer solves a challenge and retries once. The time spent solving (the challenge
// fetched, then PBKDF2 in WebCrypto) goes to artifacts/composer/proof-of-work.json: a measurement, not a check.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { strings } from '@psst/reveal-ui/strings';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LaunchedBrowser, launchChromium } from '../../test-support/browser.js';
import { BUILDS, requireBuilds } from '../../test-support/builds.js';
import { REVEAL_DIST as dist, type RunningRelay, startRelay } from '../../test-support/relay.js';
import { filesOfPage } from '../scripts/size.mjs';

const artifacts = join(import.meta.dirname, '../../artifacts/composer');
const PROVING = /Solving the relay’s anti-spam check… \d+ %/;

let browser: LaunchedBrowser;
const relays: RunningRelay[] = [];

beforeAll(async () => {
  requireBuilds(BUILDS.composer);
  mkdirSync(artifacts, { recursive: true });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await Promise.all(relays.map((r) => r.stop()));
});

async function start(env: Record<string, string>): Promise<RunningRelay> {
  const relay = await startRelay({ staticDir: dist, env });
  relays.push(relay);
  return relay;
}

const isCreateOrChallenge = (request: string) => request === 'GET /api/challenge' || request === 'POST /api/secrets';

interface Opened {
  page: Page;
  /** Method and path of every API request the page made, in order. */
  api: string[];
  problems: string[];
}

async function openComposer(origin: string): Promise<Opened> {
  const page = await browser.context.newPage();
  const api: string[] = [];
  const problems: string[] = [];
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (url.pathname.startsWith('/api/')) api.push(`${r.method()} ${url.pathname}`);
  });
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.goto(origin);
  await page.locator('main[data-ready]').waitFor({ timeout: 30_000 });
  return { page, api, problems };
}

/**
 * Clicks Create link and returns the link and, measured in the page, how long the button said it was solving
 * (from the first "Solving…" to the next phase) and every percent it showed.
 */
async function createWatchingProgress(page: Page): Promise<{ link: string; provingMs: number; percents: number[] }> {
  await page.evaluate((source) => {
    const pattern = new RegExp(source);
    const w = window as unknown as { psstProving?: { start?: number; end?: number; percents: number[] } };
    const seen: { start?: number; end?: number; percents: number[] } = { percents: [] };
    w.psstProving = seen;
    const button = document.querySelector('button[type="submit"]') as HTMLButtonElement;
    new MutationObserver(() => {
      const text = button.textContent ?? '';
      if (pattern.test(text)) {
        seen.start ??= performance.now();
        seen.percents.push(Number(/(\d+) %/.exec(text)?.[1]));
      } else if (seen.start !== undefined) seen.end ??= performance.now();
    }).observe(button, { childList: true, subtree: true, characterData: true });
  }, PROVING.source);
  await page.getByRole('button', { name: 'Create link' }).click();
  await page.locator('#link').waitFor({ timeout: 60_000 });
  const seen = await page.evaluate(
    () => (window as unknown as { psstProving: { start?: number; end?: number; percents: number[] } }).psstProving,
  );
  expect(seen.start, 'the button said it was solving').toBeDefined();
  return {
    link: await page.locator('#link').inputValue(),
    provingMs: (seen.end ?? Number.NaN) - (seen.start ?? Number.NaN),
    percents: seen.percents,
  };
}

async function revealText(link: string): Promise<string> {
  const reader = await launchChromium();
  try {
    const page = await reader.context.newPage();
    await page.goto(link);
    await page.getByRole('heading', { level: 1, name: strings.waiting.title }).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: strings.waiting.reveal }).click();
    await page.locator('.secret pre').waitFor({ timeout: 30_000 });
    return (await page.locator('.secret pre').textContent()) ?? '';
  } finally {
    await reader.close();
  }
}

describe('the web composer and proof of work, in Chromium', () => {
  it('keeps the solver out of the reveal page: none of the files it loads asks for a challenge or runs PBKDF2', () => {
    const all = (html: string) => {
      const { initial, lazy } = filesOfPage(dist, html);
      return [...initial, ...lazy];
    };
    const revealFiles = all('index.html');
    const composerFiles = all('composer.html');
    const solves = (file: string) => /api\/challenge|PBKDF2/.test(readFileSync(join(dist, file), 'utf8'));
    expect(composerFiles.some(solves)).toBe(true);
    expect(revealFiles.filter(solves)).toEqual([]);
  });

  it('solves first on a relay that always asks (default difficulty), showing progress; the link opens', async () => {
    const relay = await start({ PSST_PROOF_OF_WORK: 'always' });
    const { page, api, problems } = await openComposer(relay.origin);
    const runs: number[] = [];
    let last = { link: '', provingMs: 0, percents: [] as number[] };
    for (let i = 0; i < 5; i++) {
      if (i > 0) await page.getByRole('button', { name: 'New secret' }).click();
      await page.locator('#secret').fill(`proved ${i}`);
      last = await createWatchingProgress(page);
      runs.push(last.provingMs);
    }
    expect(last.percents[0]).toBe(0);
    // One challenge per create, fetched before the create: never a refused create first.
    expect(api.filter(isCreateOrChallenge)).toEqual(Array(5).fill(['GET /api/challenge', 'POST /api/secrets']).flat());
    expect(await revealText(last.link)).toBe('proved 4');
    expect(problems).toEqual([]);
    const sorted = [...runs].sort((a, b) => a - b);
    const summary = { difficulty: 'default', runsMs: runs.map(Math.round), medianMs: Math.round(sorted[2] ?? Number.NaN) };
    writeFileSync(join(artifacts, 'proof-of-work.json'), `${JSON.stringify(summary, null, 2)}\n`);
    console.log('composer: proof of work solved in Chromium (ms, challenge fetch included):', summary);
    await page.close();
  });

  it('is asked once the quota is over half full (auto), solves a challenge and retries once', async () => {
    const relay = await start({ PSST_PROOF_OF_WORK: 'auto', PSST_MAX_ACTIVE_SECRETS: '3', PSST_PROOF_OF_WORK_COST: '50' });
    const { page, api } = await openComposer(relay.origin);
    for (const text of ['first, not asked', 'second, not asked']) {
      await page.locator('#secret').fill(text);
      await page.getByRole('button', { name: 'Create link' }).click();
      await page.locator('#link').waitFor({ timeout: 30_000 });
      await page.getByRole('button', { name: 'New secret' }).click();
    }
    // The relay reads its fill level again at most every 5 s.
    await new Promise((resolve) => setTimeout(resolve, 5_500));
    await page.locator('#secret').fill('third, asked');
    const { link } = await createWatchingProgress(page);
    expect(api.filter(isCreateOrChallenge)).toEqual([
      'POST /api/secrets',
      'POST /api/secrets',
      'POST /api/secrets',
      'GET /api/challenge',
      'POST /api/secrets',
    ]);
    expect(await revealText(link)).toBe('third, asked');
    await page.close();
  });
});
