// Walks one page through every state of the reveal UI, in order, with real
// secrets on a real relay: shared by the reveal page's and the extension's
// accessibility suites (both hosts mount the same reveal-ui). Nothing here
// reads English: states are found by structure, so any language walks alike.
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { expectFocusVisible, expectTabReachesWithRing, holdRequests, tabUntil } from './axe.js';
import { createTestSecret, TEST_KDF } from './relay.js';

export const REVEAL_STATES = [
  'looking',
  'waiting',
  'revealing',
  'revealed text',
  'copied',
  'revealed here',
  'already viewed',
  'waiting with passphrase',
  'passphrase empty',
  'wrong passphrase',
  'burned',
  'revealed file',
  'deleted',
  'not found',
  'incomplete link',
  'not a link',
  'rate limited',
  'unreachable',
] as const;
export type RevealState = (typeof REVEAL_STATES)[number];

export interface RevealWalk {
  page: Page;
  /** Where secrets are made; links of this origin open in the host under test. */
  origin: string;
  /** Opens a link the way a recipient does (an address typed or clicked), in the language under test. */
  open(link: string): Promise<void>;
  /** A relay of its own (settings in env) whose links this host opens; stopped by the walk. */
  startRelay(env: Record<string, string>): Promise<{ origin: string; stop(): Promise<unknown> }>;
  /** Called once the page has settled in each state, in REVEAL_STATES order. */
  check(state: RevealState): Promise<void>;
}

/** The page has answered: a heading in a main that is no longer busy. */
async function settled(page: Page): Promise<void> {
  await page.locator('main[aria-busy="false"] h1').waitFor({ timeout: 30_000 });
}

const revealButton = (page: Page) => page.locator('form button[type="submit"]');

export async function walkRevealStates(walk: RevealWalk): Promise<void> {
  const { page, origin, open, check } = walk;
  const text = 'correct horse battery staple';
  const once = await createTestSecret(origin, { text });

  const look = await holdRequests(page, 'GET', /^\/api\/secrets\/[^/]+$/);
  await open(once.link);
  await look.arrived;
  await page.locator('main[aria-busy="true"] h1').waitFor({ timeout: 30_000 });
  await check('looking');
  await look.release();
  await settled(page);
  await revealButton(page).waitFor();
  await check('waiting');

  const reveal = await holdRequests(page, 'POST', /\/reveal$/);
  await revealButton(page).click();
  await reveal.arrived;
  await page.locator('main[aria-busy="true"] form button[disabled]').waitFor();
  await check('revealing');
  await reveal.release();
  await page.locator('.secret pre').waitFor({ timeout: 30_000 });
  await settled(page);
  await check('revealed text');
  await page.locator('.secret ~ .row button').click();
  await page.locator('.secret ~ .row [role="status"]:not(:empty)').waitFor();
  await check('copied');

  await page.reload();
  await settled(page);
  await check('revealed here');
  await open(once.link);
  await settled(page);
  await check('already viewed');

  const guarded = await createTestSecret(origin, { text: 'behind a passphrase', passphrase: 'right', kdf: TEST_KDF });
  await open(guarded.link);
  await settled(page);
  await page.locator('#passphrase').waitFor();
  await check('waiting with passphrase');
  await revealButton(page).click();
  await page.locator('#passphrase-error').waitFor();
  await check('passphrase empty');
  // Every wrong passphrase but the last leaves the error shown; the fifth destroys the secret.
  for (let attempt = 1; attempt <= 5; attempt++) {
    await page.locator('#passphrase').fill(`wrong ${attempt}`);
    const answered = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/reveal'), { timeout: 30_000 });
    await revealButton(page).click();
    await answered;
    if (attempt === 5) break;
    await page.locator('main[aria-busy="false"] #passphrase-error').waitFor();
    if (attempt === 1) await check('wrong passphrase');
  }
  await page.locator('main[aria-busy="false"] .message h1').waitFor({ timeout: 30_000 });
  await check('burned');

  const file = await createTestSecret(origin, {
    views: 2,
    file: { name: 'quarterly report.pdf', mime: 'application/pdf', bytes: Uint8Array.from({ length: 3000 }, (_, i) => i % 256) },
  });
  await open(file.link);
  await settled(page);
  await revealButton(page).click();
  await page.locator('a[download]').waitFor({ timeout: 30_000 });
  await settled(page);
  await check('revealed file');

  const withdrawn = await createTestSecret(origin, { text: 'withdrawn' });
  const deleted = await fetch(`${origin}/api/secrets/${withdrawn.id}`, {
    method: 'DELETE',
    headers: { Authorization: `Bearer ${withdrawn.manageToken}` },
  });
  if (deleted.status !== 204) throw new Error(`deleting a test secret failed: ${deleted.status}`);
  await open(withdrawn.link);
  await settled(page);
  await check('deleted');

  await open(`${origin}/s/${file.id}#${'A'.repeat(42)}E`);
  await settled(page);
  await check('not found');
  await open(`${origin}/s/${file.id}`);
  await settled(page);
  await check('incomplete link');
  await open(`${origin}/s/not-a-secret-link`);
  await settled(page);
  await check('not a link');

  // Look takes the only token a minute, so Reveal is refused.
  const strict = await walk.startRelay({ PSST_RATE_LIMIT_READ: '1' });
  try {
    const limited = await createTestSecret(strict.origin, { text: 'not yet' });
    await open(limited.link);
    await settled(page);
    await revealButton(page).click();
    await page.locator('main[aria-busy="false"] .message button').waitFor({ timeout: 30_000 });
    await check('rate limited');
  } finally {
    await strict.stop();
  }
  const doomed = await walk.startRelay({});
  const lost = await createTestSecret(doomed.origin, { text: 'unreachable' });
  await open(lost.link);
  await settled(page);
  await doomed.stop();
  await revealButton(page).click();
  await page.locator('main[aria-busy="false"] .message button').waitFor({ timeout: 30_000 });
  await check('unreachable');
}

/**
 * The reveal UI with the keyboard only (Tab, Enter, Space): focus starts on the heading, Tab reaches the
 * passphrase, Enter tries it, a wrong one leaves the field focused, the right one reveals; Tab reaches the
 * scrollable secret and Copy, Space copies. Every element Tab reaches shows a focus ring.
 */
export async function walkRevealByKeyboard(page: Page, origin: string, open: (link: string) => Promise<void>): Promise<void> {
  const secret = await createTestSecret(origin, { text: 'typed with keys only', passphrase: 'right', kdf: TEST_KDF });
  await open(secret.link);
  await settled(page);
  await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
  await expectTabReachesWithRing(page, ['#passphrase', 'form button[type="submit"]'], 'the waiting secret');
  await tabUntil(page, '#passphrase', 'the passphrase');
  await page.keyboard.type('wrong');
  await page.keyboard.press('Enter');
  await page.locator('main[aria-busy="false"] #passphrase-error').waitFor({ timeout: 30_000 });
  // A wrong passphrase leaves the field focused and selected: typing replaces it.
  await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('passphrase');
  await expectFocusVisible(page, 'the passphrase after a wrong one');
  await page.keyboard.type('right');
  await page.keyboard.press('Enter');
  await page.locator('.secret pre').waitFor({ timeout: 30_000 });
  expect(await page.locator('.secret pre').textContent()).toBe('typed with keys only');
  await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
  await expectTabReachesWithRing(page, ['.secret', '.secret ~ .row button'], 'the revealed secret');
  await tabUntil(page, '.secret ~ .row button', 'Copy');
  await page.keyboard.press('Space');
  await page.locator('.secret ~ .row [role="status"]:not(:empty)').waitFor();
}
