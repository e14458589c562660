// The languages psst speaks, and how a reader's preferences pick one.

export interface Language {
  /** BCP 47 tag, as `Intl` and `navigator.languages` spell it. */
  readonly code: string;
  /** The language's own name for itself, as the switcher shows it. */
  readonly name: string;
  readonly dir: 'ltr' | 'rtl';
  /** The folder name under the extension's `_locales/` (Chrome spells regions with `_`). */
  readonly extensionLocale: string;
}

export const LANGUAGES = [
  { code: 'en', name: 'English', dir: 'ltr', extensionLocale: 'en' },
  { code: 'fr', name: 'Français', dir: 'ltr', extensionLocale: 'fr' },
  { code: 'de', name: 'Deutsch', dir: 'ltr', extensionLocale: 'de' },
  { code: 'es', name: 'Español', dir: 'ltr', extensionLocale: 'es' },
  { code: 'it', name: 'Italiano', dir: 'ltr', extensionLocale: 'it' },
  { code: 'pt-BR', name: 'Português (Brasil)', dir: 'ltr', extensionLocale: 'pt_BR' },
  { code: 'nl', name: 'Nederlands', dir: 'ltr', extensionLocale: 'nl' },
  { code: 'pl', name: 'Polski', dir: 'ltr', extensionLocale: 'pl' },
  { code: 'uk', name: 'Українська', dir: 'ltr', extensionLocale: 'uk' },
  { code: 'ja', name: '日本語', dir: 'ltr', extensionLocale: 'ja' },
  { code: 'zh-CN', name: '简体中文', dir: 'ltr', extensionLocale: 'zh_CN' },
  { code: 'ar', name: 'العربية', dir: 'rtl', extensionLocale: 'ar' },
] as const satisfies readonly Language[];

export type LanguageCode = (typeof LANGUAGES)[number]['code'];

/** The source language: its catalogues define the keys every other language must have. */
export const SOURCE_LANGUAGE: LanguageCode = 'en';

export function isLanguageCode(code: string): code is LanguageCode {
  return LANGUAGES.some((language) => language.code === code);
}

export function languageOf(code: LanguageCode): Language {
  return LANGUAGES.find((language) => language.code === code) ?? LANGUAGES[0];
}

/**
 * The first of the reader's preferred languages that psst speaks: an exact
 * tag first ("pt-BR"), then the same language in another region ("pt-PT",
 * "pt" → pt-BR, "zh-Hans-CN" → zh-CN), else English. Case does not matter.
 */
export function matchLanguage(preferred: readonly string[]): LanguageCode {
  for (const wanted of preferred) {
    const tag = wanted.trim().toLowerCase().replace(/_/g, '-');
    if (!tag) continue;
    const exact = LANGUAGES.find((language) => language.code.toLowerCase() === tag);
    if (exact) return exact.code;
    const base = tag.split('-')[0];
    // Traditional Chinese readers are better served by English than by simplified characters.
    if (base === 'zh' && /-(hant|tw|hk|mo)\b/.test(tag)) continue;
    const sameLanguage = LANGUAGES.find((language) => language.code.toLowerCase().split('-')[0] === base);
    if (sameLanguage) return sameLanguage.code;
  }
  return SOURCE_LANGUAGE;
}
