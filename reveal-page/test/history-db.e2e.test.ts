// What Chromium keeps of a link after the reveal page used it: a fresh
// profile opens {origin}/s/{id}#{k}, reveals, and is closed (so it writes
// everything down); then every file of the profile is searched for the key,
// and the History database is read. The findings are written to
// artifacts/reveal-page/history-db.json and pinned here, so a browser that
// starts or stops keeping the key makes this test (and the README) change.
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { strings } from '@psst/reveal-ui/strings';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../test-support/browser.js';
import { createTestSecret, type RunningRelay, startRelay } from '../../test-support/relay.js';

// The relay's SQLite driver, reached through its package: the History file is SQLite.
interface SqliteDatabase {
  prepare(sql: string): { all(): unknown[] };
  close(): void;
}
const Database = createRequire(join(import.meta.dirname, '../../relay/package.json'))('better-sqlite3') as new (
  path: string,
  options: { readonly: boolean; fileMustExist: boolean },
) => SqliteDatabase;

const dist = join(import.meta.dirname, '../dist');
const artifacts = join(import.meta.dirname, '../../artifacts/reveal-page');
let relay: RunningRelay;

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  relay = await startRelay({ staticDir: dist });
});
afterAll(async () => {
  await relay?.stop();
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    try {
      return statSync(path).isDirectory() ? filesUnder(path) : [path];
    } catch {
      return [];
    }
  });
}

describe('what the browser keeps of a revealed link', () => {
  it("keeps the key only in the browser's own records of the navigation, never where the page writes", async () => {
    const secret = await createTestSecret(relay.origin, { text: 'history probe' });
    const key = secret.link.split('#')[1] as string;
    const browser = await launchChromium();
    const page = await browser.context.newPage();
    await page.goto(secret.link);
    await page.getByRole('button', { name: strings.waiting.reveal }).click();
    await page.locator('.secret pre').waitFor();
    // The page took the key out of the address bar and the current history entry.
    expect(page.url()).toBe(`${relay.origin}/s/${secret.id}`);
    expect(await page.evaluate(() => location.hash)).toBe('');
    await browser.close({ keepProfile: true });
    try {
      const withKey = filesUnder(browser.profileDir)
        .filter((path) => readFileSync(path).includes(key))
        .map((path) => relative(browser.profileDir, path))
        .sort();
      const db = new Database(join(browser.profileDir, 'Default', 'History'), { readonly: true, fileMustExist: true });
      const urls = db.prepare('SELECT url, title, visit_count AS visits FROM urls ORDER BY id').all() as {
        url: string;
        title: string;
        visits: number;
      }[];
      db.close();
      const findings = {
        chromium: 'Debian chromium, headless=new, fresh profile, closed before reading',
        historyUrls: urls.map((u) => ({ ...u, url: u.url.replace(key, '{k}').replace(secret.id, '{id}') })),
        // After a reload the keyless address shows "revealed here"; the keyed one only the tombstone.
        filesHoldingTheKey: withKey,
      };
      writeFileSync(join(artifacts, 'history-db.json'), `${JSON.stringify(findings, null, 2)}\n`);
      console.log('what Chromium keeps of a revealed link:', JSON.stringify(findings, null, 2));
      // The page itself writes the key nowhere: not in sessionStorage, localStorage, IndexedDB or the cache.
      // Only the browser's own records of the navigation hold it: the History database (the link as opened,
      // and the keyless address the page replaced it with), the append-only session log, and the
      // segmentation platform's URL metrics. A page cannot edit any of them.
      for (const file of withKey)
        expect(file).toMatch(/^Default\/(History(-journal)?|Sessions\/(Session|Tabs)_\d+)$|^segmentation_platform\/ukm_db$/);
      expect(withKey).toContain('Default/History');
      const revealPage = `${relay.origin}/s/{id}`;
      expect(findings.historyUrls.map((u) => u.url)).toEqual([`${revealPage}#{k}`, revealPage]);
    } finally {
      rmSync(browser.profileDir, { recursive: true, force: true });
    }
  });
});
