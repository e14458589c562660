// The pages' language: the reader's stored choice, else the browser's
// preferences (navigator.languages), else English. Only that language's
// catalogues of the page's areas are fetched (one JSON file per language with
// the page's areas, in the folder the build fills: vite.config.ts); the <html>
// element gets its lang and dir. A switch loads the new language and installs
// it: the UI re-renders in place, nothing on screen is lost. Of switches made
// in quick succession (arrow keys on the list), the last one chosen is shown,
// whichever catalogue arrives first.
//
// Test hook: localStorage "psst.language" set before the page loads (e.g.
// playwright's addInitScript) chooses the language, as the switcher would;
// <html lang> is set once its catalogues are installed.
import { type Catalogue, createTranslator, type LanguageCode, languageOf, matchLanguage, setTranslator } from '@psst/i18n';
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

/**
 * Starts a page in the reader's language (English when its catalogue cannot be
 * loaded) and returns what the switcher calls: remember the choice, then load it.
 * `folder` is the page's catalogue folder (`/assets/i18n-<page>-<hash>/`), `title`
 * the document's title in the language installed.
 */
export async function startLanguage(folder: string, title: () => string): Promise<(lang: LanguageCode) => void> {
  // How many languages were asked for: a catalogue that arrives after a later choice's is not installed.
  let asked = 0;
  /** Fetches `lang`'s catalogue and, unless another language was asked for since, installs it and sets the document's language, direction and title. */
  const apply = async (lang: LanguageCode) => {
    const ask = ++asked;
    const response = await fetch(`${folder}${lang}.json`, { credentials: 'omit' });
    if (!response.ok) throw new Error(`no catalogue for ${lang}`);
    const catalogue = (await response.json()) as Catalogue;
    if (ask !== asked) return;
    setTranslator(createTranslator(lang, catalogue));
    const root = document.documentElement;
    root.lang = lang;
    root.dir = languageOf(lang).dir;
    document.title = title();
  };
  await apply(chooseLanguage(storedChoice(), navigator.languages ?? [])).catch(() => apply('en'));
  return (chosen) => {
    try {
      localStorage.setItem(LANGUAGE_KEY, chosen);
    } catch {
      // A browser that refuses storage still switches, for this page view.
    }
    void apply(chosen).catch(() => undefined);
  };
}
