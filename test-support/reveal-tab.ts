// The reads and waits of a RevealTab (reveal-page/test/reveal-cases.ts) that
// happen inside the page, written once for every browser: each driver
// (firefox.ts's firefoxTab for puppeteer and Firefox, playwright-tab.ts's
// playwrightTab for playwright-core and Chromium) only says how its browser
// evaluates a function in the tab, through a Poll.

/** Every wait of a browser suite's tab is bounded by this. Generous: with every helper's tests on the 2 shared cores an extension page once took over 20 s to render. */
export const WAIT_MS = 30_000;

/** Evaluates `fn(arg)` in the tab until it returns something truthy, and returns that; `what` names it in the timeout's error. */
export type Poll = <T, A>(fn: (arg: A) => T, arg: A, what: string) => Promise<NonNullable<T>>;

/**
 * Calls `evaluate` every 50 ms until it resolves to something truthy, and returns that. A rejection
 * counts as a miss (the document is being replaced: the next one is asked). After `timeoutMs` it
 * throws, naming `what`, the last answer and what `where()` says of the tab.
 */
export async function pollUntil<T>(
  evaluate: () => Promise<T>,
  what: string,
  where: () => Promise<string>,
  timeoutMs = WAIT_MS,
): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await evaluate();
      if (value) return value as NonNullable<T>;
      last = value;
    } catch (error) {
      last = error; // the document is being replaced: try again in the next one
    }
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${String(last)}; ${await where()})`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The in-page waits of a RevealTab, through the browser's `poll`. `loading` is the heading shown before the page has looked the link up. */
export function revealTabDriver(poll: Poll, loading: string) {
  return {
    settledHeading(): Promise<string> {
      return poll(
        (loading: string) => {
          const text = document.querySelector('h1')?.textContent;
          return text && text !== loading ? text : '';
        },
        loading,
        'a heading other than the loading one',
      );
    },
    async waitForHeading(title: string): Promise<void> {
      await poll((t: string) => document.querySelector('h1')?.textContent === t, title, `the heading ${JSON.stringify(title)}`);
    },
    async waitForText(selector: string, text: string): Promise<void> {
      await poll(
        ([s, t]: [string, string]) => [...document.querySelectorAll(s)].some((e) => e.textContent === t),
        [selector, text] as [string, string],
        `${selector} reading ${JSON.stringify(text)}`,
      );
    },
    /** Waits until the tab shows a document whose address starts with `prefix`. */
    async waitForAddress(prefix: string): Promise<void> {
      await poll((p: string) => location.href.startsWith(p) && document.readyState !== 'loading', prefix, `an address starting ${prefix}`);
    },
  };
}
