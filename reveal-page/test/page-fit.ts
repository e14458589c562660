// Checks of a rendered page in some language, run in the browser: what
// overflows (an element wider than its box, or sticking out of the viewport),
// and which catalogue keys are shown instead of words.
import type { Page } from 'playwright-core';

/** Every element that overflows: its scrolled content wider than its box, or its box outside the viewport. */
export function findOverflows(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const found: string[] = [];
    const describe = (el: Element) => {
      const classes = typeof el.className === 'string' && el.className.trim() ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
      return `<${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${classes}> "${(el.textContent ?? '').trim().slice(0, 50)}"`;
    };
    if (document.documentElement.scrollWidth > width)
      found.push(`the page scrolls sideways: ${document.documentElement.scrollWidth} px of ${width}`);
    for (const el of document.body.querySelectorAll('*')) {
      // Screen-reader text is clipped on purpose.
      if (el.closest('.sr-only')) continue;
      const style = getComputedStyle(el);
      if (style.display === 'none' || style.visibility === 'hidden') continue;
      const box = el.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue;
      if (box.right > width + 0.5 || box.left < -0.5)
        found.push(`${describe(el)} sticks out of the viewport: ${Math.round(box.left)} to ${Math.round(box.right)} of ${width} px`);
      // Scrolling regions (the revealed secret) and form fields (a long link) scroll by design.
      const scrolls = /auto|scroll/.test(style.overflowX) || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName);
      if (!scrolls && el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1)
        found.push(`${describe(el)} overflows its box: ${el.scrollWidth} px in ${el.clientWidth}`);
    }
    return found;
  });
}

/** The catalogue keys among the page's visible text and its labels (a missing word shows its key). */
export function findKeys(page: Page, keys: readonly string[]): Promise<string[]> {
  return page.evaluate((keys) => {
    const labels = [...document.querySelectorAll('[aria-label], [placeholder], [title]')].flatMap((el) =>
      ['aria-label', 'placeholder', 'title'].map((name) => el.getAttribute(name) ?? ''),
    );
    // innerText, not textContent: what is shown (screen-reader-only and hidden text count in the labels above).
    // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is what a reader would see
    const text = [document.body.innerText, document.title, ...labels].join('\n');
    return keys.filter((key) => text.includes(key));
  }, keys);
}
