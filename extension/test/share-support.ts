// The share checks that the extension's end-to-end suites in Chromium
// (e2e.test.ts) and Firefox (share.firefox.test.ts) both make, written once:
// the receipt alarm turning a history entry to viewed, and the refusals of a
// share in words. Each suite passes how its browser reaches the extension's
// background (Chromium's service worker, Firefox's background page).
import type { Worker } from 'playwright-core';
import { expect } from 'vitest';
import type { BackgroundWindow } from '../../test-support/firefox';
import { freePort } from '../../test-support/ports';
import { startRelay } from '../../test-support/relay';

/** What the background's share handlers (onMenuClick, shareClipboard) answer. */
export type Outcome =
  | { ok: true; notice: { title: string; message: string } }
  | { ok: false; words: { title: string; message: string; openOptions?: boolean } };

/**
 * Runs `fn(background, arg)` in the extension's background and returns its JSON result: `background` holds the
 * browser.* (in Chromium chrome.*) APIs and the `psst` handlers entrypoints/background.ts exposes
 * (test-support/firefox.ts's background has this shape).
 */
export type InBackground = <T, A>(fn: (bg: BackgroundWindow, arg: A) => T | Promise<T>, arg: A) => Promise<T>;

/** InBackground for Chromium: `fn` runs in the extension's service worker, with chrome.* as `browser`. */
export function inServiceWorker(worker: Worker): InBackground {
  return <T, A>(fn: (bg: BackgroundWindow, arg: A) => T | Promise<T>, arg: A) =>
    worker.evaluate(`(${fn.toString()})({ browser: chrome, psst: globalThis.psst }, ${JSON.stringify(arg ?? null)})`) as Promise<T>;
}

/**
 * Runs the receipt alarm at once (as if its period were over) and checks that the history entry of
 * `link` turned to viewed, with the time it was read. Returns the entry's id.
 */
export async function expectReceiptTurnsViewed(inBackground: InBackground, link: string): Promise<string> {
  const id = new URL(link).pathname.split('/').at(-1) as string;
  await inBackground((bg) => bg.psst.onAlarm({ name: 'psst-receipts' }, { force: true }), null);
  const history = await inBackground(
    async (bg) => (await bg.browser.storage.local.get('history')).history as { id: string; state: string; readAt: string | null }[],
    null,
  );
  const entry = history.find((e) => e.id === id);
  expect(entry?.state).toBe('viewed');
  expect(entry?.readAt).toBeTruthy();
  return id;
}

/** The titles each refusal must show, in the suite's words. */
export interface RefusalTitles {
  creationDisabled: string;
  tooLarge: string;
  unreachable: string;
  noPermission: string;
}

/**
 * Shares onto relays that must refuse: one taking no new secrets, one taking envelopes of at most
 * 1 KiB, a closed port, and `relayOrigin` under the host localhost, which psst holds no permission
 * for. Checks each refusal's title, that the unreachable relay and the missing permission offer the
 * options page, and that the latter shows a notification opening it. `shareOn(relayUrl)` sets the
 * relay and shares the clipboard, returning the outcome and the ids of the notifications shown;
 * `restore()` sets the suite's own relay again, also when a check fails.
 */
export async function expectShareRefusals(options: {
  relayOrigin: string;
  shareOn(relayUrl: string): Promise<{ outcome: Outcome; notifications: string[] }>;
  titles: RefusalTitles;
  restore(): Promise<unknown>;
}): Promise<void> {
  const { relayOrigin, shareOn, titles } = options;
  const closedPort = await freePort();
  const disabled = await startRelay({ env: { PSST_CREATE_ENABLED: 'false' } });
  const small = await startRelay({ env: { PSST_MAX_ENVELOPE_BYTES: '1024' } });
  try {
    const words = async (relayUrl: string) => {
      const { outcome } = await shareOn(relayUrl);
      if (outcome.ok) throw new Error(`sharing on ${relayUrl} unexpectedly worked`);
      return outcome.words;
    };
    expect((await words(disabled.origin)).title).toBe(titles.creationDisabled);
    expect((await words(small.origin)).title).toBe(titles.tooLarge);
    expect(await words(`http://127.0.0.1:${closedPort}`)).toMatchObject({ title: titles.unreachable, openOptions: true });
    const noPermission = await shareOn(`http://localhost:${new URL(relayOrigin).port}`);
    expect(noPermission.outcome).toMatchObject({ ok: false, words: { title: titles.noPermission, openOptions: true } });
    expect(noPermission.notifications.some((id) => id.startsWith('psst-options-'))).toBe(true);
  } finally {
    await options.restore();
    await disabled.stop();
    await small.stop();
  }
}
