// The catalogues as files on disk, for Node: the tests, the extension's
// _locales generation and anything else that runs outside a browser build.

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LANGUAGES, type LanguageCode, SOURCE_LANGUAGE } from './languages.js';
import type { Catalogue } from './translate.js';

export const LOCALES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'locales');

/** The areas (one file each per language), as the source language has them. */
export function areas(): string[] {
  return readdirSync(join(LOCALES_DIR, SOURCE_LANGUAGE))
    .filter((name) => name.endsWith('.json'))
    .map((name) => name.slice(0, -'.json'.length))
    .sort();
}

export function readCatalogue(lang: LanguageCode, area: string): Catalogue {
  return JSON.parse(readFileSync(join(LOCALES_DIR, lang, `${area}.json`), 'utf8')) as Catalogue;
}

/** Every area of one language merged into one catalogue (areas never share a key: a test checks it). */
export function readLanguage(lang: LanguageCode): Catalogue {
  return Object.assign({}, ...areas().map((area) => readCatalogue(lang, area)));
}

export const LANGUAGE_CODES: readonly LanguageCode[] = LANGUAGES.map((language) => language.code);
