// The reveal page's end-to-end cases, written once against a small tab driver
// so they run in any browser and in either host of @psst/reveal-ui: the page
// the relay serves and the extension's own reveal.html. The Firefox suites
// (reveal.firefox.test.ts here, extension/test/reveal.firefox.test.ts) run them
// through puppeteer, the Chromium ones (reveal.e2e.test.ts here and in extension/)
// through playwright-core; selectors are structural, words come from reveal-ui.
import { createTranslator, t } from '@psst/i18n';
import { readLanguage } from '@psst/i18n/catalogue-files';
import { DEFAULT_KDF, MAX_PASSPHRASE_ATTEMPTS } from '@psst/protocol/limits';
import { strings } from '@psst/reveal-ui/strings';
import { expect, it } from 'vitest';
import { createTestSecret, REVEAL_DIST, startRelay, TEST_KDF, type TestSecretOptions } from '../../test-support/relay.js';

/** One open tab of a reveal host. Every wait is bounded by the driver. */
export interface RevealTab {
  /** The level-1 heading once the link has been looked up (no longer "Opening the link…"). */
  settledHeading(): Promise<string>;
  waitForHeading(title: string): Promise<void>;
  /** Waits until an element matching `selector` has exactly this text. */
  waitForText(selector: string, text: string): Promise<void>;
  click(selector: string): Promise<void>;
  fill(selector: string, value: string): Promise<void>;
  press(key: 'Enter' | 'Tab'): Promise<void>;
  /** Waits for the element, then returns its textContent. */
  text(selector: string): Promise<string>;
  attribute(selector: string, name: string): Promise<string | null>;
  /** Runs `fn` in the page and returns its (JSON) result. */
  evaluate<T>(fn: () => T | Promise<T>): Promise<T>;
  reload(): Promise<void>;
  /** Clicks the download link and returns what the browser saved. */
  download(selector: string): Promise<{ name: string; bytes: Uint8Array }>;
  close(): Promise<void>;
}

export interface RevealHost {
  /** Secrets are created here; every request reaching the relay through it is logged (`METHOD /path`). */
  door: { origin: string; log: string[] };
  /** The relay itself, for receipts. */
  relayOrigin: string;
  /** Opens the link in a fresh tab as a recipient would (typed or clicked). */
  open(link: string): Promise<RevealTab>;
  /** The tab's address once the key is dropped, for the secret `id` of `origin`. */
  addressAfterReveal(origin: string, id: string): string;
  /** Called in each state worth a picture ('waiting', 'revealed-text', 'burned'…), e.g. for screenshots. */
  snapshot?(tab: RevealTab, state: string): Promise<void>;
  /** Clicks Reveal and waits for `shown`; a host may time it under `label`. Default: a click. */
  clickReveal?(tab: RevealTab, shown: string, label: string): Promise<void>;
}

const REVEAL = 'form button[type="submit"]';
const SECRET_TEXT = '.secret pre';
const COPY = '.secret + .row button';
const RETRY = '.message button';
const PASSPHRASE = '#passphrase';

/** Every text, file name and passphrase the cases have sent or typed, in each form a request could carry it. */
const sent = new Set<string>();

/**
 * Notes `secret` as sent, for sentSecrets. It must have a character outside base64url (a space, punctuation):
 * a word of those letters alone turns up in a ciphertext by chance (a 70 kB file is 175 000 of them; a
 * five-letter word is in that once in about 6 000 runs), and the check would fail for nothing.
 */
function sending(secret: string): string {
  if (/^[A-Za-z0-9_-]*$/.test(secret))
    throw new Error(`${JSON.stringify(secret)} could occur in a ciphertext: give the case a secret with a space`);
  const url = encodeURIComponent(secret);
  for (const form of [secret, url, url.replaceAll('%20', '+'), JSON.stringify(secret).slice(1, -1)]) sent.add(form);
  return secret;
}

/** What the cases that have run sent or typed (texts, file names, passphrases, as typed and encoded): a suite checks that none of it reached the relay. */
export const sentSecrets = (): readonly string[] => [...sent];

/** Creates a test secret at `origin`, noting its text, file name and passphrase as sent. */
function create(origin: string, options: TestSecretOptions) {
  for (const secret of [options.text, options.file?.name, options.passphrase]) if (secret !== undefined) sending(secret);
  return createTestSecret(origin, options);
}

/** Types a passphrase into the page's field, noting it as sent. */
const typePassphrase = (tab: RevealTab, passphrase: string) => tab.fill(PASSPHRASE, sending(passphrase));

async function receiptState(origin: string, id: string, manageToken: string) {
  const res = await fetch(`${origin}/api/secrets/${id}/receipt`, { headers: { Authorization: `Bearer ${manageToken}` } });
  return (await res.json()) as { state: string; viewsLeft: number };
}

const apiCalls = (log: string[]) => log.filter((line) => line.includes(' /api/'));
const snapshot = (h: RevealHost, tab: RevealTab, state: string) => h.snapshot?.(tab, state);
const clickReveal = (h: RevealHost, tab: RevealTab, shown: string, label: string) =>
  h.clickReveal ? h.clickReveal(tab, shown, label) : tab.click(REVEAL);
const focusedTag = (tab: RevealTab) => tab.evaluate(() => document.activeElement?.tagName ?? '');

/** Creates a secret through the front door, empties its log, opens the link and waits until the page says a secret is waiting. */
async function openWaiting(h: RevealHost, options: TestSecretOptions) {
  const secret = await create(h.door.origin, options);
  h.door.log.length = 0;
  const tab = await h.open(secret.link);
  expect(await tab.settledHeading()).toBe(strings.waiting.title);
  return { secret, tab };
}

export interface RevealCaseOptions {
  /** The host shows the footer's language switcher (the page the relay serves; the extension follows the browser's language). */
  switcher?: boolean;
  /** The host is the extension's reveal.html: everything the extension keeps (its local and session storage), read when the case asks. */
  extensionStorage?: () => Promise<unknown>;
}

/** Picks Arabic in the footer's switcher, or English when the page is in Arabic, as a reader does (the page re-renders in place and keeps the choice). */
const toggleArabic = (tab: RevealTab) =>
  tab.evaluate(() => {
    const select = document.querySelector<HTMLSelectElement>('select#language');
    if (!select) throw new Error('no language switcher');
    select.value = document.documentElement.lang === 'ar' ? 'en' : 'ar';
    select.dispatchEvent(new Event('change', { bubbles: true }));
  });

/** Registers the cases with vitest; `host` is read when each case runs (it is made in beforeAll). */
export function describeRevealCases(host: () => RevealHost, options: RevealCaseOptions = {}): void {
  const { extensionStorage } = options;
  if (extensionStorage) {
    it('says the extension opened it, stores nothing of the key, link or text, and the relay sees only Look and Reveal', async () => {
      const h = host();
      const text = 'kept nowhere';
      const { secret, tab } = await openWaiting(h, { text });
      expect(await tab.text('.host-note')).toBe(t('revealHost.hostNote'));
      expect(await tab.evaluate(() => (document.querySelector('.host-note') as HTMLElement).getClientRects().length > 0)).toBe(true);
      await tab.click(REVEAL);
      expect(await tab.text(SECRET_TEXT)).toBe(text);
      // Nothing of the key, link or text is stored by the extension (only the reveal page's tab note: id and time).
      const stored = JSON.stringify(await extensionStorage());
      for (const part of [secret.id, secret.link.split('#')[1] as string, text]) expect(stored).not.toContain(part);
      expect(h.door.log).toEqual([`GET /api/secrets/${secret.id}`, `POST /api/secrets/${secret.id}/reveal`]);
      await tab.close();
    });
  }

  if (options.switcher) {
    it('in Arabic, picked in the switcher, mirrors the page while the secret stays as sent: left to right, or right to left when written so', async () => {
      const h = host();
      const ar = createTranslator('ar', readLanguage('ar'));
      const latin = 'DATABASE_URL=postgres://psst:c0rrect-h0rse@db.internal.example:5432/psst\nline two\n';
      const arabic = 'كلمة السر: 1234 abc\nسطر ثان';
      for (const [text, direction] of [
        [latin, 'ltr'],
        [arabic, 'rtl'],
      ] as const) {
        const { tab } = await openWaiting(h, { text });
        try {
          await toggleArabic(tab);
          await tab.waitForHeading(ar.t('waiting.title'));
          expect(await tab.attribute('html', 'dir')).toBe('rtl');
          expect(await tab.attribute('html', 'lang')).toBe('ar');
          // Mirrored: the page runs right to left, the list of facts is indented from the right.
          expect(await tab.evaluate(() => getComputedStyle(document.body).direction)).toBe('rtl');
          expect(await tab.evaluate(() => getComputedStyle(document.querySelector('.facts') as Element).paddingRight)).toBe('20px');
          await tab.click(REVEAL);
          await tab.waitForHeading(ar.t('revealed.titleText'));
          // The secret keeps the direction it was written in, byte for byte.
          expect(await tab.evaluate(() => getComputedStyle(document.querySelector('.secret pre') as Element).direction)).toBe(direction);
          expect(await tab.text(SECRET_TEXT)).toBe(text);
          // The note under it has its accent line on the right, the start of a line in Arabic.
          expect(await tab.evaluate(() => getComputedStyle(document.querySelector('.note') as Element).borderRightWidth)).toBe('3px');
          // Back to English in place: the revealed secret stays.
          await toggleArabic(tab);
          await tab.waitForHeading(strings.revealed.titleText);
          expect(await tab.text(SECRET_TEXT)).toBe(text);
        } finally {
          // The choice is kept in the origin's storage: the next cases read in the browser's language again.
          await tab.evaluate(() => localStorage.removeItem('psst.language')).catch(() => undefined);
          await tab.close();
        }
      }
    });
  }

  it('reveals a text only after the click, drops the key from the address bar, and knows it on reload', async () => {
    const h = host();
    const text = 'correct horse battery staple';
    const { secret, tab } = await openWaiting(h, { text });
    await snapshot(h, tab, 'waiting');
    // Nothing is consumed before the click: only Look was called, and the relay agrees.
    expect(apiCalls(h.door.log)).toEqual([`GET /api/secrets/${secret.id}`]);
    expect(await receiptState(h.relayOrigin, secret.id, secret.manageToken)).toMatchObject({ state: 'active', viewsLeft: 1 });

    await clickReveal(h, tab, SECRET_TEXT, 'text');
    expect(await tab.text(SECRET_TEXT)).toBe(text);
    expect(await tab.attribute(SECRET_TEXT, 'translate')).toBe('no');
    expect(await tab.attribute(SECRET_TEXT, 'spellcheck')).toBe('false');
    await expect.poll(() => focusedTag(tab)).toBe('H1');
    expect(await tab.text('.note')).toBe(strings.revealed.destroyed);
    expect(await tab.evaluate(() => location.hash)).toBe('');
    expect(await tab.evaluate(() => location.href)).toBe(h.addressAfterReveal(h.door.origin, secret.id));
    expect(apiCalls(h.door.log)).toEqual([`GET /api/secrets/${secret.id}`, `POST /api/secrets/${secret.id}/reveal`]);
    expect(await receiptState(h.relayOrigin, secret.id, secret.manageToken)).toMatchObject({ state: 'read', viewsLeft: 0 });
    // The tab's own note holds the id and when, never the key or the text.
    const note = await tab.evaluate(() => JSON.stringify({ ...sessionStorage }));
    expect(note).toContain(secret.id);
    for (const part of [secret.link.split('#')[1] as string, text]) expect(note).not.toContain(part);
    await snapshot(h, tab, 'revealed-text');

    // A reload has no key any more: the page says it was revealed here, and asks nothing of the relay.
    await tab.reload();
    await tab.waitForHeading(strings.revealedHere.title);
    expect(await tab.text('.message p')).toBe(strings.revealedHere.body(new Date(Date.now() - 1000)));
    await snapshot(h, tab, 'revealed-here');
    expect(apiCalls(h.door.log)).toHaveLength(2);
    await tab.close();

    // The link itself, opened again, finds the secret already viewed.
    const again = await h.open(secret.link);
    expect(await again.settledHeading()).toBe(strings.gone.read.title);
    await snapshot(h, again, 'already-viewed');
    await again.close();
  });

  it('shows multi-line Unicode text exactly as sent, and Copy puts exactly it on the clipboard', async () => {
    const h = host();
    const text =
      '  indented line\n\ttabbed\tcolumns\n\nRTL: שלום עולם\nCombining: e\u0301 n\u0303\nEmoji: 🔑🧪👩‍💻\r\nTrailing spaces   \n<b>not bold</b> & &amp;\n';
    const { tab } = await openWaiting(h, { text });
    await clickReveal(h, tab, SECRET_TEXT, 'unicodeText');
    expect(await tab.text(SECRET_TEXT)).toBe(text);
    expect(await tab.evaluate(() => document.querySelectorAll('.secret b').length)).toBe(0);
    await tab.click(COPY);
    await tab.waitForText('.row [role="status"]', strings.revealed.copiedStatus);
    expect(await tab.evaluate(() => navigator.clipboard.readText())).toBe(text);
    await tab.close();
  });

  it('offers a file as a download under its cleaned name with its exact bytes', async () => {
    const h = host();
    const bytes = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 7919) % 256);
    const { tab } = await openWaiting(h, { file: { name: '../quarterly\u202Ereport.pdf', mime: 'application/pdf', bytes } });
    await clickReveal(h, tab, 'a[download]', 'file70kB');
    await tab.waitForHeading(strings.revealed.titleFile);
    await snapshot(h, tab, 'revealed-file');
    const name = (await tab.attribute('a[download]', 'download')) ?? '';
    expect(name).toBe('quarterlyreport.pdf');
    const saved = await tab.download('a[download]');
    expect(saved.name).toBe(name);
    expect(saved.bytes).toEqual(bytes);
    await tab.close();
  });

  it('asks for the passphrase, counts a wrong one, and reveals with the right one typed (default scrypt cost)', async () => {
    const h = host();
    const { secret, tab } = await openWaiting(h, { text: 'behind a passphrase', passphrase: 'correct horse', kdf: { ...DEFAULT_KDF } });
    await typePassphrase(tab, 'wrong horse');
    await tab.click(REVEAL);
    await tab.waitForText('[role="alert"]', strings.waiting.wrongPassphrase(MAX_PASSPHRASE_ATTEMPTS - 1));
    await expect.poll(() => tab.evaluate(() => document.activeElement?.id)).toBe('passphrase');
    await snapshot(h, tab, 'wrong-passphrase');
    expect(await receiptState(h.relayOrigin, secret.id, secret.manageToken)).toMatchObject({ state: 'active', viewsLeft: 1 });
    // The field has focus with its text selected: typing replaces it, Enter submits.
    await typePassphrase(tab, 'correct horse');
    await tab.press('Enter');
    expect(await tab.text(SECRET_TEXT)).toBe('behind a passphrase');
    await tab.close();
  });

  it('explains the burn after the last wrong passphrase', async () => {
    const h = host();
    const { secret, tab } = await openWaiting(h, { text: 'never seen', passphrase: 'right one', kdf: TEST_KDF });
    for (let left = MAX_PASSPHRASE_ATTEMPTS - 1; left >= 1; left--) {
      await typePassphrase(tab, `wrong ${left}`);
      await tab.click(REVEAL);
      await tab.waitForText('[role="alert"]', strings.waiting.wrongPassphrase(left));
    }
    await typePassphrase(tab, 'wrong again');
    await tab.click(REVEAL);
    await tab.waitForHeading(strings.gone.burned.title);
    await snapshot(h, tab, 'burned');
    expect(await receiptState(h.relayOrigin, secret.id, secret.manageToken)).toMatchObject({ state: 'burned' });
    await tab.close();
  });

  it('counts views down for a secret that allows two, with the keyboard alone the second time', async () => {
    const h = host();
    const { secret, tab: first } = await openWaiting(h, { text: 'shown twice', views: 2 });
    expect(await first.text('.facts li')).toBe(strings.waiting.views(2));
    await first.click(REVEAL);
    await first.waitForText('.note', strings.revealed.viewsLeft(1));
    await first.close();

    // Focus starts on the heading; Tab reaches Reveal, Enter reveals, Tab Tab reaches Copy.
    const second = await h.open(secret.link);
    expect(await second.settledHeading()).toBe(strings.waiting.title);
    expect(await second.text('.facts li')).toBe(strings.waiting.views(1));
    const focused = () => second.evaluate(() => document.activeElement?.textContent ?? '');
    await expect.poll(() => focusedTag(second)).toBe('H1');
    await second.press('Tab');
    expect(await focused()).toBe(strings.waiting.reveal);
    await second.press('Enter');
    expect(await second.text(SECRET_TEXT)).toBe('shown twice');
    await expect.poll(() => focusedTag(second)).toBe('H1');
    await second.press('Tab'); // the scrollable secret
    await second.press('Tab');
    expect(await focused()).toBe(strings.revealed.copy);
    expect(await second.text('.note')).toBe(strings.revealed.destroyed);
    await second.close();
  });

  it('says deleted, not found for a wrong key, and incomplete without a key (asking nothing)', async () => {
    const h = host();
    const secret = await create(h.door.origin, { text: 'withdrawn secret' });
    const res = await fetch(`${h.relayOrigin}/api/secrets/${secret.id}`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${secret.manageToken}` },
    });
    expect(res.status).toBe(204);
    const deleted = await h.open(secret.link);
    expect(await deleted.settledHeading()).toBe(strings.gone.deleted.title);
    await snapshot(h, deleted, 'deleted');
    await deleted.close();

    const other = await create(h.door.origin, { text: 'with another key' });
    const wrongKey = await h.open(`${h.door.origin}/s/${other.id}#${'A'.repeat(42)}E`);
    expect(await wrongKey.settledHeading()).toBe(strings.notFound.title);
    await snapshot(h, wrongKey, 'not-found');
    await wrongKey.close();

    h.door.log.length = 0;
    const noKey = await h.open(`${h.door.origin}/s/${other.id}`);
    expect(await noKey.settledHeading()).toBe(strings.incomplete.title);
    await snapshot(h, noKey, 'incomplete');
    expect(apiCalls(h.door.log)).toEqual([]);
    expect(await receiptState(h.relayOrigin, other.id, other.manageToken)).toMatchObject({ state: 'active' });
    await noKey.close();
  });

  it('says when to retry when the relay rate-limits, and offers a retry when the relay is gone', async () => {
    const h = host();
    const strict = await startRelay({ staticDir: REVEAL_DIST, env: { PSST_RATE_LIMIT_READ: '1' } });
    try {
      const secret = await create(strict.origin, { text: 'not yet' });
      const tab = await h.open(secret.link);
      expect(await tab.settledHeading()).toBe(strings.waiting.title); // Look took the only token
      await tab.click(REVEAL);
      await tab.waitForHeading(strings.rateLimited.title);
      await snapshot(h, tab, 'rate-limited');
      expect(await tab.text('.message p')).toMatch(/Please wait (\d+ seconds?|about 1 minute) and try again\. Nothing was opened\./);
      await tab.click(RETRY);
      await tab.waitForHeading(strings.rateLimited.title);
      await tab.close();
    } finally {
      await strict.stop();
    }

    const doomed = await startRelay({ staticDir: REVEAL_DIST });
    const secret = await create(doomed.origin, { text: 'never reached' });
    const tab = await h.open(secret.link);
    expect(await tab.settledHeading()).toBe(strings.waiting.title);
    await doomed.stop();
    await tab.click(REVEAL);
    await tab.waitForHeading(strings.unreachable.title);
    await snapshot(h, tab, 'unreachable');
    await tab.click(RETRY);
    await tab.waitForHeading(strings.unreachable.title);
    await tab.close();
  });
}
