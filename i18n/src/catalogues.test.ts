// The catalogues are complete and consistent: every language has exactly the
// source language's keys, the same placeholders, every plural form its
// language needs, and every key is used somewhere (and every t() key exists).

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { areas, LANGUAGE_CODES, LOCALES_DIR, readCatalogue, readLanguage } from './catalogue-files.js';
import { messageName } from './extension.js';
import { SOURCE_LANGUAGE } from './languages.js';
import { type Message, placeholdersOf } from './translate.js';

const REPO = join(LOCALES_DIR, '..', '..');
/** Where the UIs' code lives: every key must be used in one of these, and every t() key must exist. */
const SOURCE_DIRS = [
  'reveal-ui/src',
  'composer-ui/src',
  'reveal-page/src',
  'extension/components',
  'extension/entrypoints',
  'extension/lib',
  'i18n/src',
];
const KEY_SHAPE = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)*$/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx)$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

const source = SOURCE_DIRS.flatMap((dir) => sourceFiles(join(REPO, dir)))
  .map((file) => readFileSync(file, 'utf8'))
  .join('\n');
const english = readLanguage(SOURCE_LANGUAGE);
const forms = (message: Message) => (typeof message === 'string' ? ['(text)'] : Object.keys(message).sort());

describe('the source catalogues', () => {
  it('has every language folder and every area in each', () => {
    expect(readdirSync(LOCALES_DIR).sort()).toEqual([...LANGUAGE_CODES].sort());
    for (const lang of LANGUAGE_CODES) {
      expect(
        readdirSync(join(LOCALES_DIR, lang))
          .filter((name) => name.endsWith('.json'))
          .sort(),
      ).toEqual(areas().map((area) => `${area}.json`));
    }
  });

  it('uses well-formed keys, no key in two areas, and distinct extension message names', () => {
    const seen = new Map<string, string>();
    const names = new Map<string, string>();
    for (const area of areas()) {
      for (const key of Object.keys(readCatalogue(SOURCE_LANGUAGE, area))) {
        expect(key, `${area}: ${key}`).toMatch(KEY_SHAPE);
        expect(seen.get(key), `${key} is in ${seen.get(key)} and ${area}`).toBeUndefined();
        seen.set(key, area);
        // Chrome compares message names case-insensitively.
        const name = messageName(key).toLowerCase();
        expect(names.get(name), `${key} and ${names.get(name)} collide in messages.json`).toBeUndefined();
        names.set(name, key);
      }
    }
  });

  it('uses every key in the code, as a quoted literal', () => {
    const unused = Object.keys(english).filter((key) => key !== 'language.code' && !source.includes(`'${key}'`));
    expect(unused, 'keys no code uses: remove them from every language').toEqual([]);
  });

  it('has every key a t() call names', () => {
    const called = [...source.matchAll(/\bt\(\s*'([^']+)'/g)].map((match) => match[1] as string);
    expect(called.filter((key) => !(key in english))).toEqual([]);
  });
});

describe.each(LANGUAGE_CODES)('%s', (lang) => {
  const categories = new Intl.PluralRules(lang).resolvedOptions().pluralCategories.slice().sort();

  it.each(areas())('%s has exactly the source keys', (area) => {
    const catalogue = readCatalogue(lang, area);
    const sourceKeys = Object.keys(readCatalogue(SOURCE_LANGUAGE, area)).sort();
    expect(Object.keys(catalogue).sort()).toEqual(sourceKeys);
  });

  it('names itself', () => {
    expect(readLanguage(lang)['language.code']).toBe(lang);
  });

  it('has the same placeholders as English in every message, and the plural forms its language needs', () => {
    const catalogue = readLanguage(lang);
    for (const [key, source] of Object.entries(english)) {
      const message = catalogue[key];
      if (message === undefined) continue; // reported by the test above
      expect(placeholdersOf(message), `${lang} ${key}: placeholders`).toEqual(placeholdersOf(source));
      if (typeof source === 'string') expect(typeof message, `${lang} ${key}: a plain text in English`).toBe('string');
      else expect(forms(message), `${lang} ${key}: plural forms`).toEqual(categories);
      for (const text of typeof message === 'string' ? [message] : Object.values(message)) {
        expect(text?.trim(), `${lang} ${key}: empty`).toBeTruthy();
        expect(text, `${lang} ${key}: stray space`).toBe(text?.trim());
      }
    }
  });
});
