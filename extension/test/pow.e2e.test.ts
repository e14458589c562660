// Proof of work in the built chrome-mv3 extension, in Debian's Chromium, against a real relay that asks for it
// on every create (PSST_PROOF_OF_WORK=always, default difficulty) or under pressure (auto, with its quota over
// half full): a clipboard share solves the challenge in the extension's service worker, the popup solves it
// showing its progress, and a browser without the extension opens both links.
import { strings } from '@psst/reveal-ui/strings';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LaunchedBrowser, launchChromium } from '../../test-support/browser';
import { type RunningRelay, startRelay } from '../../test-support/relay';
import { type ExtensionBrowser, launchWithExtension, requireBuilds, revealDist } from './reveal-support';

// Inside worker.evaluate callbacks, which run in the extension's service worker.
declare const chrome: typeof import('wxt/browser').browser;

interface PsstGlobal {
  shareClipboard(): Promise<{ ok: boolean; words?: { title: string; message: string } }>;
  clipboard: { readText(): Promise<string>; writeText(text: string): Promise<void> };
}

let always: RunningRelay;
let auto: RunningRelay;
let ext: ExtensionBrowser;
let reader: LaunchedBrowser;

beforeAll(async () => {
  requireBuilds();
  always = await startRelay({ staticDir: revealDist, env: { PSST_PROOF_OF_WORK: 'always' } });
  auto = await startRelay({
    staticDir: revealDist,
    env: { PSST_PROOF_OF_WORK: 'auto', PSST_MAX_ACTIVE_SECRETS: '3', PSST_PROOF_OF_WORK_COST: '50' },
  });
  [ext, reader] = await Promise.all([launchWithExtension(), launchChromium()]);
});

afterAll(async () => {
  await Promise.all([ext?.close(), reader?.close()]);
  await Promise.all([always?.stop(), auto?.stop()]);
});

/** The relay's request log lines for one route (method and status), in order. */
function requestsTo(relay: RunningRelay, route: string): string[] {
  return relay
    .logs()
    .split('\n')
    .filter((line) => line.includes('"event":"request"'))
    .map((line) => JSON.parse(line) as { method: string; route: string; status: number })
    .filter((r) => r.route === route)
    .map((r) => `${r.method} ${r.status}`);
}

/** Shares `text` as if from the clipboard, in the service worker, with the relay at `origin`; the link or the failure. */
async function shareInWorker(origin: string, text: string): Promise<string> {
  const outcome = await ext.worker.evaluate(
    async ({ origin, text }) => {
      await chrome.storage.local.set({ relayUrl: origin });
      const psst = (globalThis as unknown as { psst: PsstGlobal }).psst;
      await psst.clipboard.writeText(text);
      const outcome = await psst.shareClipboard();
      return { ...outcome, link: outcome.ok ? await psst.clipboard.readText() : '' };
    },
    { origin, text },
  );
  if (!outcome.ok) throw new Error(`the share failed: ${JSON.stringify(outcome.words)}`);
  return outcome.link;
}

async function revealText(link: string): Promise<string> {
  const page = await reader.context.newPage();
  try {
    await page.goto(link);
    await page.getByRole('heading', { level: 1, name: strings.waiting.title }).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: strings.waiting.reveal }).click();
    const secret = page.locator(`section[aria-label="${strings.revealed.titleText}"] pre`);
    await secret.waitFor({ timeout: 30_000 });
    return (await secret.textContent()) ?? '';
  } finally {
    await page.close();
  }
}

describe('proof of work in the extension', () => {
  it('solves the challenge in the service worker for a clipboard share, and the link opens', async () => {
    const link = await shareInWorker(always.origin, 'shared from the worker, proved');
    expect(link.startsWith(`${always.origin}/s/`)).toBe(true);
    expect(requestsTo(always, '/api/challenge')).toEqual(['GET 200']);
    expect(requestsTo(always, '/api/secrets')).toEqual(['POST 201']);
    expect(await revealText(link)).toBe('shared from the worker, proved');
  });

  it('is refused, solves and retries once in the worker when the relay starts asking (auto, quota over half full)', async () => {
    await shareInWorker(auto.origin, 'one');
    await shareInWorker(auto.origin, 'two');
    // The relay reads its fill level again at most every 5 s.
    await new Promise((resolve) => setTimeout(resolve, 5_500));
    const link = await shareInWorker(auto.origin, 'three, asked');
    expect(requestsTo(auto, '/api/secrets')).toEqual(['POST 201', 'POST 201', 'POST 403', 'POST 201']);
    expect(requestsTo(auto, '/api/challenge')).toEqual(['GET 200']);
    expect(await revealText(link)).toBe('three, asked');
  });

  it('solves it in the popup, showing the progress on the Create button', async () => {
    await ext.worker.evaluate((origin) => chrome.storage.local.set({ relayUrl: origin }), always.origin);
    const popup = await ext.context.newPage();
    await popup.goto(`chrome-extension://${ext.extensionId}/popup.html`);
    await popup.locator('#secret').waitFor();
    await popup.evaluate(() => {
      const w = window as unknown as { psstSaw?: string[] };
      w.psstSaw = [];
      new MutationObserver(() => {
        const text = document.querySelector('button[type="submit"]')?.textContent ?? '';
        if (text.startsWith('Solving')) w.psstSaw?.push(text);
      }).observe(document.body, { childList: true, subtree: true, characterData: true });
    });
    await popup.locator('#secret').fill('from the popup, proved');
    await popup.getByRole('button', { name: 'Create link' }).click();
    await popup.locator('#link').waitFor({ timeout: 60_000 });
    const saw = await popup.evaluate(() => (window as unknown as { psstSaw: string[] }).psstSaw);
    expect(saw[0]).toBe('Solving the relay’s anti-spam check… 0 %');
    const link = await popup.locator('#link').inputValue();
    await popup.close();
    expect(await revealText(link)).toBe('from the popup, proved');
  });
});
