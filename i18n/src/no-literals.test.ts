// No UI text bypasses the catalogues: the TSX of every page and of the
// extension holds no JSX text and no user-facing attribute (aria-label, title,
// placeholder, alt, label) written as a literal, so every new word has to be a
// key, and the catalogue tests then ask for it in every language.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCALES_DIR } from './catalogue-files.js';

const REPO = join(LOCALES_DIR, '..', '..');
const UI_DIRS = ['reveal-ui/src', 'composer-ui/src', 'reveal-page/src', 'extension/components', 'extension/entrypoints'];
/** Words that are the same in every language: the product's name, and technical samples. */
const UNTRANSLATED = [/^psst$/, /^https?:\/\//];

function tsxFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tsxFiles(path);
    return name.endsWith('.tsx') && !name.includes('.test.') ? [path] : [];
  });
}

/** The literal texts a person could read in one TSX source. */
function literalTexts(source: string): string[] {
  const found: string[] = [];
  // JSX text between tags (not after an arrow's `=>`): letters, and none of the characters code between a `>` and a `<` would have.
  for (const match of source.matchAll(/(?<!=)>\s*([^<>{}();=`'"\n]*\p{L}{2,}[^<>{}();=`'"\n]*?)\s*</gu)) found.push(match[1] as string);
  for (const match of source.matchAll(/\s(?:aria-label|aria-description|title|placeholder|alt|label)="([^"]*\p{L}[^"]*)"/gu))
    found.push(match[1] as string);
  return found.filter((text) => !UNTRANSLATED.some((allowed) => allowed.test(text.trim())));
}

describe('UI text', () => {
  it('finds literals (the check itself works)', () => {
    expect(literalTexts('<p>Hello there</p><input placeholder="Your name" /><b>{t(\'x\')}</b><i>psst</i>')).toEqual([
      'Hello there',
      'Your name',
    ]);
    expect(
      literalTexts('const a = useState<string>(null); const f = (): Promise<void> => go(); if (a > b && c < d) return (<p>{x}</p>);'),
    ).toEqual([]);
  });

  it.each(UI_DIRS)('%s has no literal words outside the catalogues', (dir) => {
    const found = tsxFiles(join(REPO, dir)).flatMap((file) =>
      literalTexts(readFileSync(file, 'utf8')).map((text) => `${file.slice(REPO.length + 1)}: ${text}`),
    );
    expect(found).toEqual([]);
  });
});
