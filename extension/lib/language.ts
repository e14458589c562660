// The extension speaks the browser's UI language: the browser picks the
// _locales catalogue (falling back to default_locale, English), each catalogue
// names its own language (`language.code`), and every context (popup, options,
// reveal page, background) installs a translator over browser.i18n before it
// renders or builds its menus.
import { type LanguageCode, languageOf, SOURCE_LANGUAGE, setTranslator } from '@psst/i18n';
import { createExtensionTranslator, messageName } from '@psst/i18n/extension';
import { isLanguageCode } from '@psst/i18n/languages';

export interface I18nLike {
  getMessage(name: string): string;
}

/** Installs the translator for the browser's language; with a document, sets its `lang` and `dir` too. */
export function installBrowserLanguage(i18n: I18nLike, doc?: Document): LanguageCode {
  const code = i18n.getMessage(messageName('language.code'));
  const lang = isLanguageCode(code) ? code : SOURCE_LANGUAGE;
  setTranslator(createExtensionTranslator(lang, (name) => i18n.getMessage(name)));
  if (doc) {
    doc.documentElement.lang = lang;
    doc.documentElement.dir = languageOf(lang).dir;
  }
  return lang;
}
