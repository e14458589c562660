// Loading the active language's catalogues in a page built by Vite: each
// locales/<lang>/<area>.json becomes its own chunk, so a page downloads only
// the areas it shows, in the one language it shows them in.

import type { LanguageCode } from './languages.js';
import { type Catalogue, createTranslator, type Translator } from './translate.js';

export type Area = 'common' | 'reveal' | 'composer' | 'extension';

const files = import.meta.glob<Catalogue>('../locales/*/*.json', { import: 'default' });

/** A translator for `lang` over the given areas' catalogues (fetched as separate chunks). */
export async function loadTranslator(lang: LanguageCode, areas: readonly Area[]): Promise<Translator> {
  const catalogues = await Promise.all(
    areas.map((area) => {
      const load = files[`../locales/${lang}/${area}.json`];
      if (!load) throw new Error(`no ${area} catalogue for ${lang}`);
      return load();
    }),
  );
  return createTranslator(lang, ...catalogues);
}
