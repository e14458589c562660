// The pages' language: the reader's stored choice, else the browser's
// preferences (navigator.languages), else English. Only that language's
// catalogues of the page's areas are fetched (one JSON file per language with
// the page's areas, in the folder the build fills: vite.config.ts); the <html>
// element gets its lang and dir. A switch loads the new language and installs
// it: the UI re-renders in place, nothing on screen is lost.
//
// Test hook: localStorage "psst.language" set before the page loads (e.g.
// playwright's addInitScript) chooses the language, as the switcher would;
// <html lang> is set once its catalogues are installed.
import { type Catalogue, createTranslator, type LanguageCode, languageOf, matchLanguage, setTranslator, type Translator } from '@psst/i18n';
import { isLanguageCode } from '@psst/i18n/languages';

/** The localStorage key of the reader's choice (a language code, nothing else). */
export const LANGUAGE_KEY = 'psst.language';

function storedChoice(): string | null {
  try {
    return localStorage.getItem(LANGUAGE_KEY);
  } catch {
    return null;
  }
}

/** The language to show: the stored choice when psst speaks it, else the best match of navigator.languages. */
export function chooseLanguage(stored: string | null, preferred: readonly string[]): LanguageCode {
  return stored && isLanguageCode(stored) ? stored : matchLanguage(preferred);
}

/** A translator for `lang` over the page's areas, fetched from the page's catalogue folder (`/assets/i18n-<page>-<hash>/`). */
export async function loadPageTranslator(lang: LanguageCode, folder: string): Promise<Translator> {
  const response = await fetch(`${folder}${lang}.json`, { credentials: 'omit' });
  if (!response.ok) throw new Error(`no catalogue for ${lang}`);
  return createTranslator(lang, (await response.json()) as Catalogue);
}

/** Loads `lang`'s catalogues, installs them and sets the document's language, direction and title. */
export async function applyLanguage(lang: LanguageCode, folder: string, title: () => string): Promise<void> {
  setTranslator(await loadPageTranslator(lang, folder));
  const root = document.documentElement;
  root.lang = lang;
  root.dir = languageOf(lang).dir;
  document.title = title();
}

/**
 * Starts a page in the reader's language (English when its catalogues cannot be
 * loaded) and returns what the switcher calls: remember the choice, then load it.
 */
export async function startLanguage(folder: string, title: () => string): Promise<(lang: LanguageCode) => void> {
  const lang = chooseLanguage(storedChoice(), navigator.languages ?? []);
  await applyLanguage(lang, folder, title).catch(() => applyLanguage('en', folder, title));
  return (chosen) => {
    try {
      localStorage.setItem(LANGUAGE_KEY, chosen);
    } catch {
      // A browser that refuses storage still switches, for this page view.
    }
    void applyLanguage(chosen, folder, title).catch(() => undefined);
  };
}
