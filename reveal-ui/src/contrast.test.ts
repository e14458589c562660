// The colour pairs the page uses reach WCAG AA (4.5:1 for text) in both schemes,
// computed from the custom properties in style.css.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const css = readFileSync(join(import.meta.dirname, 'style.css'), 'utf8');

function palette(block: string): Record<string, string> {
  return Object.fromEntries([...block.matchAll(/--([\w-]+):\s*(#[0-9a-f]{3,6})/gi)].map((m) => [m[1] as string, m[2] as string]));
}

function luminance(hex: string): number {
  const h = hex.length === 4 ? [...hex.slice(1)].map((c) => c + c).join('') : hex.slice(1);
  const [r, g, b] = [0, 2, 4].map((i) => {
    const c = Number.parseInt(h.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

const contrast = (a: string, b: string) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
};

const light = palette(css.slice(0, css.indexOf('@media (prefers-color-scheme: dark)')));
const dark = { ...light, ...palette(css.slice(css.indexOf('@media (prefers-color-scheme: dark)'))) };
const PAIRS: [string, string][] = [
  ['text', 'card'],
  ['text', 'bg'],
  ['text', 'code-bg'],
  ['muted', 'card'],
  ['muted', 'bg'],
  ['accent', 'card'],
  ['on-accent', 'accent'],
  ['on-accent', 'accent-hover'],
  ['error', 'card'],
  ['warn', 'card'],
];

describe('colour contrast', () => {
  for (const [name, colours] of [
    ['light', light],
    ['dark', dark],
  ] as const) {
    it(`reaches AA for every text colour in the ${name} scheme`, () => {
      for (const [fg, bg] of PAIRS) {
        expect(colours[fg], fg).toBeDefined();
        expect(colours[bg], bg).toBeDefined();
        expect(contrast(colours[fg] as string, colours[bg] as string), `${fg} on ${bg}`).toBeGreaterThanOrEqual(4.5);
      }
    });
  }
});
